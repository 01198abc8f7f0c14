/**
 * Suppressions, history pruning, CSV round trips, reports and store copies, run against every
 * driver (SQLite, throwaway Postgres) like the main suite.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../src/store/db.js';
import { copyStore, costsBy, createStore, inventoryStats, inventoryToCsv, parseCsv, recordFromCsv, type InventoryRecord, type Store } from '../../src/store/index.js';
import { FakeClock } from './clock.js';

export interface Fresh {
  db: Db;
  another(): Db;
}

export function defineReportingSuite(label: string, fresh: () => Promise<Fresh>): void {
  describe(`store reports on ${label}`, () => {
    async function store(clock = new FakeClock()): Promise<{ store: Store; other: Store; clock: FakeClock }> {
      const f = await fresh();
      const s = await createStore(f.db, { now: clock.now });
      const other = await createStore(f.another(), { now: clock.now });
      return { store: s, other, clock };
    }

    it('a suppression written by one process is seen by another until it expires', async (t) => {
      const { store: a, other: b, clock } = await store();
      t.after(() => Promise.all([a.close(), b.close()]));
      const offer = { provider: 'hetzner', plan: 'cx22', region: 'fsn1' };
      await a.suppressions.suppress(offer, 'capacity', 'no capacity in fsn1\nsecond line', 30 * 60_000);
      const seen = await b.suppressions.active();
      assert.deepEqual(seen.map((s) => [s.provider, s.plan, s.region, s.kind, s.reason]), [['hetzner', 'cx22', 'fsn1', 'capacity', 'no capacity in fsn1']]);
      assert.equal(seen[0]!.until, new Date(clock.now().getTime() + 30 * 60_000).toISOString());
      await b.suppressions.suppress(offer, 'quota', 'quota exceeded', 60 * 60_000);
      assert.equal((await a.suppressions.active())[0]!.kind, 'quota', 'a later failure replaces the window');
      clock.advanceHours(1.01);
      assert.deepEqual(await a.suppressions.active(), []);
      assert.equal(await a.suppressions.clear(), 1);
    });

    it('prune removes old events but keeps those of live servers and unsettled creates, and counts what it removed', async (t) => {
      const { store: s, other, clock } = await store();
      t.after(() => Promise.all([s.close(), other.close()]));
      await s.inventory.upsert({ provider: 'hetzner', instanceId: 'live', name: 'live', region: 'fsn1', size: 'cx22' });
      await s.inventory.upsert({ provider: 'hetzner', instanceId: 'gone', name: 'gone', region: 'fsn1', size: 'cx22' });
      await s.inventory.markDestroyed('hetzner', 'gone');
      await s.journal.begin({ createId: 'c1', provider: 'hetzner', name: 'pending-one', region: 'fsn1', size: 'cx22', request: {} } as never);
      for (const [id, name] of [['live', 'live'], ['gone', 'gone'], [null, 'pending-one'], [null, 'other']] as const) {
        await s.history.record({ provider: 'hetzner', kind: 'created', instanceId: id, name });
      }
      clock.advanceHours(24 * 100);
      await s.history.record({ provider: 'hetzner', kind: 'destroyed', instanceId: 'gone', name: 'gone' });
      const removed = await s.history.prune(new Date(clock.now().getTime() - 90 * 24 * 3_600_000));
      assert.equal(removed, 2);
      assert.deepEqual((await s.history.list()).map((e) => `${e.kind}:${e.name}`).sort(), ['created:live', 'created:pending-one', 'destroyed:gone']);
    });

    it('CSV export then import into a fresh store reproduces the inventory', async (t) => {
      const { store: s, other, clock } = await store();
      t.after(() => Promise.all([s.close(), other.close()]));
      await s.inventory.upsert({ provider: 'hetzner', instanceId: '1', name: 'web, "one"', region: 'fsn1', size: 'cx22', labels: { team: 'a,b', note: 'x\ny', formula: '=1+1' }, priceHourly: 0.006, priceMonthly: 3.79, currency: 'EUR', ipv4: '192.0.2.1', createId: 'c-1' });
      clock.advanceHours(5);
      await s.inventory.upsert({ provider: 'digitalocean', instanceId: '2', name: 'db', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' });
      await s.inventory.markDestroyed('digitalocean', '2');
      const before = await s.inventory.list({ includeDestroyed: true });
      const csv = inventoryToCsv(before);
      const [header, ...rows] = parseCsv(csv);
      const records = rows.map((r) => recordFromCsv(header!, r));
      assert.ok(records.every((r) => typeof r !== 'string'), JSON.stringify(records));
      const target = await createStore((await fresh()).db, { now: clock.now });
      t.after(() => target.close());
      for (const r of records as InventoryRecord[]) await target.inventory.restore(r);
      const strip = (x: InventoryRecord) => ({ ...x, lastSeenAt: null });
      assert.deepEqual((await target.inventory.list({ includeDestroyed: true })).map(strip), before.map(strip));
      assert.match(recordFromCsv(header!, ['hetzner', '', 'n', 'r', 's']) as string, /instance_id is empty/);
    });

    it('costs by provider, month and label use the launch price, capped at the monthly price within each month', async (t) => {
      const clock = new FakeClock('2025-01-31T00:00:00.000Z');
      const { store: s, other } = await store(clock);
      t.after(() => Promise.all([s.close(), other.close()]));
      await s.inventory.upsert({ provider: 'hetzner', instanceId: '1', name: 'a', region: 'fsn1', size: 'cx22', priceHourly: 0.01, priceMonthly: 5, currency: 'EUR', labels: { owner: 'ana' } });
      await s.inventory.upsert({ provider: 'digitalocean', instanceId: '2', name: 'b', region: 'fra1', size: 's', priceHourly: 1, priceMonthly: null, currency: 'USD', labels: { owner: 'bo' } });
      clock.advanceHours(24 + 24 * 28); // to 2025-03-01
      const rows = await s.inventory.list({ includeDestroyed: true });
      const byMonth = costsBy(rows, clock.now(), 'month');
      assert.deepEqual(byMonth.groups.map((g) => [g.key, g.currency, +g.cost.toFixed(2), g.hours]), [
        ['2025-01', 'EUR', 0.24, 24],
        ['2025-01', 'USD', 24, 24],
        ['2025-02', 'EUR', 5, 672],
        ['2025-02', 'USD', 672, 672],
      ]);
      const byOwner = costsBy(rows, clock.now(), { label: 'owner' }, { since: '2025-02-01T00:00:00Z' });
      assert.deepEqual(byOwner.groups.map((g) => [g.key, g.cost]), [['ana', 5], ['bo', 672]]);
      const stats = inventoryStats(rows, clock.now());
      assert.equal(stats.live, 2);
      assert.deepEqual(stats.spend.map((x) => [x.currency, +x.amount.toFixed(2)]), [['EUR', 5.24], ['USD', 696]]);
      assert.deepEqual(stats.labels, [{ key: 'owner', values: [{ key: 'ana', count: 1 }, { key: 'bo', count: 1 }] }]);
      assert.equal(stats.oldest?.createdAt, '2025-01-31T00:00:00.000Z');
    });

    it('copies a store into an empty database, keeping event ids, and refuses a target that has rows', async (t) => {
      const { store: s, other, clock } = await store();
      t.after(() => Promise.all([s.close(), other.close()]));
      await s.inventory.upsert({ provider: 'hetzner', instanceId: '1', name: 'a', region: 'fsn1', size: 'cx22', priceHourly: 0.01, currency: 'EUR' });
      await s.history.record({ provider: 'hetzner', kind: 'created', instanceId: '1', name: 'a' });
      await s.history.record({ provider: 'hetzner', kind: 'ready', instanceId: '1', name: 'a' });
      await s.suppressions.suppress({ provider: 'hetzner', plan: 'cx32', region: 'fsn1' }, 'capacity', 'full');
      const target = await createStore((await fresh()).db, { now: clock.now });
      t.after(() => target.close());
      const report = await copyStore(s.db, target.db);
      assert.deepEqual(report.tables, [{ name: 'inventory', rows: 1 }, { name: 'create_journal', rows: 0 }, { name: 'history', rows: 2 }, { name: 'offer_suppressions', rows: 1 }]);
      assert.deepEqual(await target.inventory.list(), await s.inventory.list());
      assert.deepEqual(await target.history.list(), await s.history.list());
      const next = await target.history.record({ provider: 'hetzner', kind: 'destroyed', instanceId: '1' });
      assert.ok(next.id > Math.max(...(await s.history.list()).map((e) => e.id)), 'new events continue after the copied ids');
      await assert.rejects(copyStore(s.db, target.db), /already has rows in inventory/);
    });
  });
}
