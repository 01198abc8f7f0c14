/**
 * The store's behaviour, defined once and run against every driver (SQLite file, throwaway Postgres).
 * Each test gets an empty database; `another()` opens a second, independent handle on the same one.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { StoreError, type Db, type Migration } from '../../src/store/db.js';
import { createStore, inventoryInputFromInstance, type Store } from '../../src/store/index.js';
import type { Instance } from '../../src/core/types.js';
import { FakeClock } from './clock.js';

export interface FreshDatabase {
  db: Db;
  another(): Db;
}

export function defineStoreSuite(label: string, fresh: () => Promise<FreshDatabase>): void {
  describe(`store on ${label}`, () => {
    const handles: Db[] = [];
    afterEach(async () => {
      await Promise.all(handles.splice(0).map((h) => h.close().catch(() => undefined)));
    });

    async function open(): Promise<FreshDatabase> {
      const f = await fresh();
      handles.push(f.db);
      return {
        db: f.db,
        another: () => {
          const h = f.another();
          handles.push(h);
          return h;
        },
      };
    }

    async function store(clock = new FakeClock()): Promise<{ store: Store; clock: FakeClock }> {
      const { db } = await open();
      return { store: await createStore(db, { now: clock.now }), clock };
    }

    describe('driver', () => {
      it('rewrites $n placeholders, reusing and reordering them, and leaves quoted $1 alone', async () => {
        const { db } = await open();
        const rows = await db.query<{ b: string; a: string; again: string; lit: string }>(
          "SELECT $2 AS b, $1 AS a, $1 AS again, '$1' AS lit",
          ['first', 'second'],
        );
        assert.deepEqual(rows, [{ b: 'second', a: 'first', again: 'first', lit: '$1' }]);
      });

      it('binds Dates as ISO text and undefined as NULL, and counts changes', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE t (at TEXT, note TEXT)');
        const when = new Date('2025-01-02T03:04:05.678Z');
        assert.deepEqual(await db.execute('INSERT INTO t (at, note) VALUES ($1, $2)', [when, undefined]), { changes: 1 });
        await db.execute('INSERT INTO t (at, note) VALUES ($1, $2)', [when, 'x']);
        assert.deepEqual(await db.query('SELECT at, note FROM t WHERE note IS NULL'), [{ at: '2025-01-02T03:04:05.678Z', note: null }]);
        assert.deepEqual(await db.query('SELECT at FROM t WHERE note = $1', ['x']), [{ at: '2025-01-02T03:04:05.678Z' }]);
        assert.deepEqual(await db.execute('UPDATE t SET note = $1', ['y']), { changes: 2 });
      });

      it('returns COUNT(*) as a number', async () => {
        const { db } = await open();
        const [row] = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM (SELECT 1 AS x UNION ALL SELECT 2) AS s');
        assert.equal(row?.n, 2);
      });

      it('maps a unique violation and a foreign key violation to StoreError kinds', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE parent (id TEXT PRIMARY KEY)');
        await db.execute('CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent (id))');
        await db.execute('INSERT INTO parent (id) VALUES ($1)', ['p']);
        await assert.rejects(db.execute('INSERT INTO parent (id) VALUES ($1)', ['p']), (e) => StoreError.is(e, 'unique_violation'));
        await assert.rejects(
          db.execute('INSERT INTO child (id, parent_id) VALUES ($1, $2)', ['c', 'missing']),
          (e) => StoreError.is(e, 'foreign_key'),
        );
      });

      it('commits a transaction, and rolls all of it back when the callback throws', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE t (v TEXT)');
        await db.transaction(async (tx) => {
          await tx.execute('INSERT INTO t (v) VALUES ($1)', ['kept']);
        });
        const boom = new Error('boom');
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.execute('INSERT INTO t (v) VALUES ($1)', ['lost']);
            throw boom;
          }),
          (e) => e === boom,
        );
        assert.deepEqual(await db.query('SELECT v FROM t'), [{ v: 'kept' }]);
      });

      it('turns a nested transaction into a savepoint that undoes only the inner work', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE t (v TEXT)');
        await db.transaction(async (tx) => {
          await tx.execute('INSERT INTO t (v) VALUES ($1)', ['outer']);
          await assert.rejects(
            tx.transaction(async (inner) => {
              await inner.execute('INSERT INTO t (v) VALUES ($1)', ['inner']);
              throw new Error('inner fails');
            }),
          );
          await tx.transaction(async (inner) => {
            await inner.execute('INSERT INTO t (v) VALUES ($1)', ['inner-ok']);
          });
        });
        assert.deepEqual((await db.query<{ v: string }>('SELECT v FROM t ORDER BY v')).map((r) => r.v), ['inner-ok', 'outer']);
      });

      it('runs calls made on the database handle inside a transaction callback in that transaction', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE t (v TEXT)');
        await assert.rejects(
          db.transaction(async () => {
            await db.execute('INSERT INTO t (v) VALUES ($1)', ['via handle']);
            assert.equal((await db.query('SELECT v FROM t')).length, 1);
            throw new Error('undo');
          }),
        );
        assert.deepEqual(await db.query('SELECT v FROM t'), []);
      });

      it('keeps a transaction\'s handle calls in it while another transaction ends', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE t (v TEXT)');
        let longStarted!: () => void;
        const started = new Promise<void>((resolve) => (longStarted = resolve));
        let shortEnded!: () => void;
        const ended = new Promise<void>((resolve) => (shortEnded = resolve));
        const long = db.transaction(async () => {
          await db.execute('INSERT INTO t (v) VALUES ($1)', ['long-1']);
          longStarted();
          await ended;
          await db.execute('INSERT INTO t (v) VALUES ($1)', ['long-2']);
          throw new Error('undo');
        });
        await started;
        // PostgreSQL runs the two at once; SQLite's one connection queues the second behind the first.
        const short = db.transaction(async () => {
          await db.execute('INSERT INTO t (v) VALUES ($1)', ['short']);
        });
        if (db.dialect === 'postgres') await short;
        shortEnded();
        await Promise.all([assert.rejects(long, /undo/), short]);
        assert.deepEqual(await db.query('SELECT v FROM t'), [{ v: 'short' }]);
      });

      it('keeps concurrent read-modify-write transactions from losing updates', async () => {
        const { db } = await open();
        await db.execute('CREATE TABLE counter (id TEXT PRIMARY KEY, v INTEGER NOT NULL)');
        await db.execute("INSERT INTO counter (id, v) VALUES ('c', 0)");
        const bump = () =>
          db.transaction(async (tx) => {
            const [row] = await tx.query<{ v: number }>("SELECT v FROM counter WHERE id = 'c'");
            await tx.execute("UPDATE counter SET v = $1 WHERE id = 'c'", [Number(row!.v) + 1]);
          });
        await Promise.all([bump(), bump(), bump(), bump()]);
        assert.deepEqual(await db.query("SELECT v FROM counter WHERE id = 'c'"), [{ v: 4 }]);
      });

      it('applies each migration once when two handles migrate at the same time', async () => {
        const { db, another } = await open();
        const other = another();
        const migrations: Migration[] = [
          // Neither statement is idempotent: running it twice fails or doubles the row.
          { id: '001_race', sql: "CREATE TABLE raced (v TEXT); INSERT INTO raced (v) VALUES ('once');" },
          { id: '002_race', sql: "INSERT INTO raced (v) VALUES ('twice?');" },
        ];
        await Promise.all([db.migrate(migrations), other.migrate(migrations), db.migrate(migrations), other.migrate(migrations)]);
        assert.deepEqual((await db.query<{ v: string }>('SELECT v FROM raced ORDER BY v')).map((r) => r.v), ['once', 'twice?']);
        assert.deepEqual(
          (await db.query<{ id: string }>('SELECT id FROM ferry_migrations ORDER BY id')).map((r) => r.id),
          ['001_race', '002_race'],
        );
      });

      it('leaves no trace of a failed migration and applies it once fixed', async () => {
        const { db } = await open();
        await assert.rejects(db.migrate([{ id: '001_bad', sql: 'CREATE TABLE ok1 (v TEXT); CREATE TABLE ok1 (v TEXT);' }]));
        // Had the first half of the failed migration stuck, this CREATE TABLE would fail.
        await db.migrate([{ id: '001_bad', sql: 'CREATE TABLE ok1 (v TEXT);' }]);
        assert.deepEqual(await db.query('SELECT v FROM ok1'), []);
      });
    });

    describe('inventory', () => {
      const base = { provider: 'hetzner', region: 'fsn1', size: 'cx22', image: 'ubuntu-24.04' };

      it('upserts a created instance and reads it back by id and by name', async () => {
        const { store: s, clock } = await store();
        const rec = await s.inventory.upsert({
          ...base,
          instanceId: '42',
          name: 'web-1',
          labels: { 'managed-by': 'ferry', role: 'web' },
          priceHourly: 0.0071,
          priceMonthly: 4.51,
          currency: 'EUR',
          createId: 'c-1',
          status: 'new',
          ipv4: '203.0.113.7',
        });
        assert.equal(rec.createdAt, clock.iso());
        assert.deepEqual(rec.labels, { 'managed-by': 'ferry', role: 'web' });
        assert.equal(rec.priceHourly, 0.0071);
        assert.equal(rec.lastSeenStatus, 'new');
        assert.equal(rec.deletedAt, null);
        assert.deepEqual(await s.inventory.get('hetzner', '42'), rec);
        assert.deepEqual(await s.inventory.findByName('web-1'), rec);
        assert.equal(await s.inventory.get('hetzner', 'nope'), null);
        assert.equal(await s.inventory.findByName('web-1', 'vultr'), null);
      });

      it('keys rows by endpoint: the same id at two endpoints is two servers, and a store scoped to one never sees the other\'s', async () => {
        const { store: s } = await store();
        const a = { endpoint: 'https://pve-a.example:8006', account: 'user=ferry@pve' };
        const b = { endpoint: 'https://pve-b.example:8006', account: 'user=ferry@pve' };
        await s.inventory.upsert({ ...base, provider: 'proxmox', instanceId: '100', name: 'on-a', ...a });
        await s.inventory.upsert({ ...base, provider: 'proxmox', instanceId: '100', name: 'on-b', ...b });
        assert.equal((await s.inventory.list({ provider: 'proxmox' })).length, 2, 'the second endpoint did not overwrite the first');
        assert.equal((await s.inventory.get('proxmox', '100', a))?.name, 'on-a');
        s.inventory.scope = async () => b;
        assert.equal((await s.inventory.get('proxmox', '100'))?.name, 'on-b');
        assert.equal(await s.inventory.markDestroyed('proxmox', '100'), true);
        assert.equal((await s.inventory.get('proxmox', '100', a))?.deletedAt, null, 'destroying at b left a\'s row alone');
        s.inventory.scope = async () => ({ endpoint: 'https://pve-c.example:8006', account: null });
        assert.equal(await s.inventory.get('proxmox', '100'), null);
        assert.equal(await s.inventory.updateSeen('proxmox', '100', { status: 'off' }), false);
      });

      it('migrates rows from before the endpoint key: they keep their data and are claimed by the first endpoint that sees them', async () => {
        const { db } = await open();
        const { STORE_MIGRATIONS } = await import('../../src/store/migrations.js');
        const before = STORE_MIGRATIONS.filter((m) => m.id < '007');
        await db.migrate(before);
        await db.execute(
          `INSERT INTO inventory (provider, instance_id, name, labels, region, size, created_at, endpoint, account)
           VALUES ('hetzner', '5', 'legacy', '{}', 'fsn1', 'cx22', '2025-01-01T00:00:00.000Z', NULL, NULL),
                  ('hetzner', '6', 'scoped', '{}', 'fsn1', 'cx22', '2025-01-01T00:00:00.000Z', 'https://api.hetzner.cloud/v1', NULL)`,
        );
        const s = await createStore(db, { now: new FakeClock().now });
        assert.deepEqual((await s.inventory.list()).map((r) => [r.name, r.endpoint]), [['legacy', null], ['scoped', 'https://api.hetzner.cloud/v1']]);
        const scope = { endpoint: 'https://api.hetzner.cloud/v1', account: null };
        const claimed = await s.inventory.upsert({ ...base, instanceId: '5', name: 'legacy', ...scope });
        assert.equal(claimed.endpoint, scope.endpoint);
        assert.equal(claimed.createdAt, '2025-01-01T00:00:00.000Z', 'the old row was claimed, not duplicated');
        assert.equal((await s.inventory.list()).length, 2);
      });

      it('keeps created_at and the launch price when the same instance is upserted again', async () => {
        const { store: s, clock } = await store();
        const first = await s.inventory.upsert({ ...base, instanceId: '1', name: 'a', priceHourly: 0.01, currency: 'EUR' });
        clock.advanceHours(2);
        const again = await s.inventory.upsert({ ...base, instanceId: '1', name: 'a-renamed', priceHourly: 0.99, currency: 'USD', status: 'active' });
        assert.equal(again.createdAt, first.createdAt);
        assert.equal(again.priceHourly, 0.01);
        assert.equal(again.currency, 'EUR');
        assert.equal(again.name, 'a-renamed');
        assert.equal(again.lastSeenStatus, 'active');
        assert.equal(again.lastSeenAt, clock.iso());
      });

      it('records what a poll saw, keeping addresses it did not report', async () => {
        const { store: s, clock } = await store();
        await s.inventory.upsert({ ...base, instanceId: '7', name: 'b', ipv6: '2001:db8::1' });
        clock.advanceMs(5000);
        assert.equal(await s.inventory.updateSeen('hetzner', '7', { status: 'active', ipv4: '198.51.100.4' }), true);
        const rec = await s.inventory.get('hetzner', '7');
        assert.equal(rec?.lastSeenStatus, 'active');
        assert.equal(rec?.lastSeenAt, clock.iso());
        assert.equal(rec?.ipv4, '198.51.100.4');
        assert.equal(rec?.ipv6, '2001:db8::1');
        assert.equal(await s.inventory.updateSeen('hetzner', 'missing', { status: 'active' }), false);
      });

      it('records a whole listing at once, skipping servers it does not know', async () => {
        const { store: s, clock } = await store();
        for (const id of ['1', '2', '3']) await s.inventory.upsert({ ...base, instanceId: id, name: `n${id}` });
        clock.advanceMs(5000);
        const seen = [
          { instanceId: '1', status: 'active', ipv4: '198.51.100.1' },
          { instanceId: '3', status: 'off' },
          { instanceId: 'unknown', status: 'active' },
        ];
        assert.equal(await s.inventory.updateSeenAll('hetzner', seen), 2);
        assert.equal(await s.inventory.updateSeenAll('hetzner', []), 0);
        const rows = new Map((await s.inventory.list({ provider: 'hetzner' })).map((r) => [r.instanceId, r]));
        assert.equal(rows.get('1')?.lastSeenStatus, 'active');
        assert.equal(rows.get('1')?.ipv4, '198.51.100.1');
        assert.equal(rows.get('3')?.lastSeenStatus, 'off');
        assert.equal(rows.get('3')?.lastSeenAt, clock.iso());
        assert.notEqual(rows.get('2')?.lastSeenAt, clock.iso(), 'a server the listing did not show is left as it was');
        assert.equal(rows.has('unknown'), false);
      });

      it('lists live instances, by provider, and destroyed ones only when asked', async () => {
        const { store: s, clock } = await store();
        await s.inventory.upsert({ ...base, instanceId: '1', name: 'one' });
        clock.advanceMs(1);
        await s.inventory.upsert({ ...base, instanceId: '2', name: 'two' });
        clock.advanceMs(1);
        await s.inventory.upsert({ ...base, provider: 'vultr', instanceId: 'v-1', name: 'three' });
        clock.advanceHours(1);
        assert.equal(await s.inventory.markDestroyed('hetzner', '1'), true);
        assert.equal(await s.inventory.markDestroyed('hetzner', '1'), false, 'a second destroy changes nothing');
        assert.equal((await s.inventory.get('hetzner', '1'))?.deletedAt, clock.iso());

        const ids = (rows: { instanceId: string }[]) => rows.map((r) => r.instanceId);
        assert.deepEqual(ids(await s.inventory.list()), ['2', 'v-1']);
        assert.deepEqual(ids(await s.inventory.list({ provider: 'hetzner' })), ['2']);
        assert.deepEqual(ids(await s.inventory.list({ includeDestroyed: true })), ['1', '2', 'v-1']);
        assert.deepEqual(ids(await s.inventory.list({ provider: 'hetzner', includeDestroyed: true })), ['1', '2']);
      });

      it('finds the live instance when a destroyed one had the same name', async () => {
        const { store: s, clock } = await store();
        await s.inventory.upsert({ ...base, instanceId: 'old', name: 'db' });
        await s.inventory.markDestroyed('hetzner', 'old');
        clock.advanceHours(1);
        assert.equal((await s.inventory.findByName('db'))?.instanceId, 'old');
        await s.inventory.upsert({ ...base, instanceId: 'new', name: 'db' });
        assert.equal((await s.inventory.findByName('db'))?.instanceId, 'new');
      });

      it('builds its row from a core Instance, taking the create id from the labels', async () => {
        const { store: s } = await store();
        const instance: Instance = {
          provider: 'digitalocean',
          id: '9001',
          name: 'api',
          status: { state: 'active', raw: 'active' },
          ipv4: '192.0.2.10',
          ipv6: null,
          region: 'ams3',
          size: 's-1vcpu-1gb',
          image: 'ubuntu-24-04-x64',
          labels: { 'managed-by': 'ferry', 'ferry-create-id': 'cid-9' },
          createdAt: '2025-02-01T10:00:00.000Z',
        };
        const rec = await s.inventory.upsert(inventoryInputFromInstance(instance, { priceHourly: 0.009, priceMonthly: 6, currency: 'USD' }));
        assert.equal(rec.createId, 'cid-9');
        assert.equal(rec.createdAt, '2025-02-01T10:00:00.000Z');
        assert.equal(rec.lastSeenStatus, 'active');
        assert.equal(rec.priceMonthly, 6);
      });
    });

    describe('create journal', () => {
      const begin = { provider: 'hetzner', name: 'web-1', region: 'fsn1', size: 'cx22', request: { image: 'ubuntu-24.04', labels: { a: 'b' } } };

      it('keeps a begun create pending until it is confirmed', async () => {
        const { store: s, clock } = await store();
        const entry = await s.journal.begin({ ...begin, createId: 'c-1' });
        assert.equal(entry.state, 'pending');
        assert.deepEqual((await s.journal.pending()).map((e) => e.createId), ['c-1']);
        const stored = await s.journal.get('c-1');
        assert.deepEqual(stored?.request, begin.request);
        assert.equal(stored?.startedAt, clock.iso());

        clock.advanceMs(1500);
        assert.equal(await s.journal.confirm('c-1', '42'), true);
        assert.deepEqual(await s.journal.pending(), []);
        const done = await s.journal.get('c-1');
        assert.equal(done?.state, 'confirmed');
        assert.equal(done?.instanceId, '42');
        assert.equal(done?.finishedAt, clock.iso());
        assert.equal(await s.journal.confirm('c-1', '43'), false, 'a confirmed create is not confirmed again');
        assert.equal(await s.journal.fail('c-1', 'late'), false);
        assert.equal((await s.journal.get('c-1'))?.instanceId, '42');
      });

      it('records a failed create with its error message', async () => {
        const { store: s } = await store();
        await s.journal.begin({ ...begin, createId: 'c-2' });
        assert.equal(await s.journal.fail('c-2', new Error('quota exceeded')), true);
        const entry = await s.journal.get('c-2');
        assert.equal(entry?.state, 'failed');
        assert.equal(entry?.error, 'quota exceeded');
        assert.deepEqual(await s.journal.pending(), []);
      });

      it('lists pending creates by provider and start time, for gc to resolve, and removes them', async () => {
        const { store: s, clock } = await store();
        await s.journal.begin({ ...begin, createId: 'old' });
        clock.advanceHours(1);
        const cutoff = clock.iso();
        await s.journal.begin({ ...begin, createId: 'fresh' });
        await s.journal.begin({ ...begin, provider: 'vultr', createId: 'other' });
        assert.deepEqual((await s.journal.pending({ startedBefore: cutoff })).map((e) => e.createId), ['old']);
        assert.deepEqual((await s.journal.pending({ provider: 'vultr' })).map((e) => e.createId), ['other']);
        assert.equal(await s.journal.remove('old'), true);
        assert.equal(await s.journal.remove('old'), false);
        assert.equal(await s.journal.get('old'), null);
      });

      it('rejects a reused create id as a unique violation', async () => {
        const { store: s } = await store();
        await s.journal.begin({ ...begin, createId: 'dup' });
        await assert.rejects(s.journal.begin({ ...begin, createId: 'dup' }), (e) => StoreError.is(e, 'unique_violation'));
      });

      it('confirms the journal and records the inventory in one transaction', async () => {
        const { store: s } = await store();
        await s.journal.begin({ ...begin, createId: 'c-tx' });
        await assert.rejects(
          s.db.transaction(async () => {
            await s.journal.confirm('c-tx', '77');
            await s.inventory.upsert({ provider: 'hetzner', instanceId: '77', name: 'web-1', region: 'fsn1', size: 'cx22', createId: 'c-tx' });
            throw new Error('crash before commit');
          }),
        );
        assert.equal((await s.journal.get('c-tx'))?.state, 'pending');
        assert.equal(await s.inventory.get('hetzner', '77'), null);
      });
    });

    describe('history', () => {
      async function seeded() {
        const { store: s, clock } = await store();
        const start = clock.iso();
        await s.history.record({ provider: 'hetzner', instanceId: '1', name: 'a', kind: 'created', detail: { size: 'cx22' } });
        await s.history.record({ provider: 'hetzner', instanceId: '1', name: 'a', kind: 'ready' });
        clock.advanceHours(1);
        const hourLater = clock.iso();
        await s.history.record({ provider: 'vultr', instanceId: 'v', name: 'b', kind: 'create_failed', detail: { error: 'capacity' } });
        clock.advanceHours(1);
        await s.history.record({ provider: 'hetzner', instanceId: '1', name: 'a', kind: 'destroyed' });
        return { s, start, hourLater };
      }

      it('lists events newest first, same-instant events in reverse order of recording', async () => {
        const { s } = await seeded();
        const events = await s.history.list();
        assert.deepEqual(events.map((e) => e.kind), ['destroyed', 'create_failed', 'ready', 'created']);
        assert.deepEqual(events[3]?.detail, { size: 'cx22' });
        assert.equal(typeof events[0]?.id, 'number');
      });

      it('filters by provider, instance, kind, time window and limit', async () => {
        const { s, start, hourLater } = await seeded();
        const kinds = (events: { kind: string }[]) => events.map((e) => e.kind);
        assert.deepEqual(kinds(await s.history.list({ provider: 'vultr' })), ['create_failed']);
        assert.deepEqual(kinds(await s.history.list({ provider: 'hetzner', instanceId: '1' })), ['destroyed', 'ready', 'created']);
        assert.deepEqual(kinds(await s.history.list({ kind: 'ready' })), ['ready']);
        assert.deepEqual(kinds(await s.history.list({ since: hourLater })), ['destroyed', 'create_failed']);
        assert.deepEqual(kinds(await s.history.list({ since: start, until: hourLater })), ['ready', 'created']);
        assert.deepEqual(kinds(await s.history.list({ limit: 2 })), ['destroyed', 'create_failed']);
        assert.deepEqual(await s.history.list({ name: 'nobody' }), []);
      });

      it('estimates costs from hours alive and the launch price, per currency', async () => {
        const { store: s, clock } = await store();
        await s.inventory.upsert({ provider: 'hetzner', instanceId: '1', name: 'a', region: 'fsn1', size: 'cx22', priceHourly: 0.5, currency: 'EUR' });
        await s.inventory.upsert({ provider: 'vultr', instanceId: 'v', name: 'b', region: 'ams', size: 'vc2', priceHourly: 0.25, currency: 'USD' });
        await s.inventory.upsert({ provider: 'vultr', instanceId: 'w', name: 'c', region: 'ams', size: 'vc2' });
        clock.advanceHours(10);
        await s.inventory.markDestroyed('hetzner', '1');
        clock.advanceHours(6);

        const all = await s.history.costs();
        const byId = new Map(all.lines.map((l) => [l.instanceId, l]));
        assert.equal(byId.get('1')?.hours, 10);
        assert.equal(byId.get('1')?.cost, 5);
        assert.equal(byId.get('1')?.active, false);
        assert.equal(byId.get('v')?.hours, 16);
        assert.equal(byId.get('v')?.cost, 4);
        assert.equal(byId.get('w')?.cost, null);
        assert.equal(all.unpriced, 1);
        assert.deepEqual(all.totals, [
          { currency: 'EUR', cost: 5, hours: 10 },
          { currency: 'USD', cost: 4, hours: 16 },
        ]);
        assert.equal(all.until, clock.iso());

        const vultr = await s.history.costs({ provider: 'vultr' });
        assert.deepEqual(vultr.lines.map((l) => l.instanceId).sort(), ['v', 'w']);
      });
    });
  });
}
