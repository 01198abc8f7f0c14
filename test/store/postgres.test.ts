import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { StoreError, type Db } from '../../src/store/db.js';
import { openPostgres } from '../../src/store/postgres.js';
import { skipReason, startPostgres } from '../support/postgres.js';
import { defineStoreSuite } from './suite.js';
import { defineReportingSuite } from './reporting-suite.js';

const cluster = await startPostgres();
if (!cluster) console.warn(`\n*** ${skipReason()} ***\n`);
after(() => cluster?.stop());

let n = 0;
/** Transactions retry serialization failures without pausing, and often enough for the contention tests. */
const open = (url: string): Db => openPostgres(url, { maxTxAttempts: 20, retryDelayMs: () => 0 });

if (cluster) {
  defineStoreSuite('PostgreSQL', async () => {
    const url = await cluster.createDatabase(`store_${++n}`);
    return { db: open(url), another: () => open(url) };
  });
  defineReportingSuite('PostgreSQL', async () => {
    const url = await cluster.createDatabase(`store_${++n}`);
    return { db: open(url), another: () => open(url) };
  });
} else {
  // Counted in the runner's "skipped" total, so a machine without Postgres never looks fully green.
  it('store on PostgreSQL', { skip: skipReason() }, () => undefined);
}

describe('PostgreSQL driver specifics', { skip: cluster ? false : skipReason() }, () => {
  it('re-runs a transaction that loses a serialization race, so no update is lost', async () => {
    const db = open(await cluster!.createDatabase(`store_${++n}`));
    try {
      await db.execute('CREATE TABLE counter (id TEXT PRIMARY KEY, v INTEGER NOT NULL)');
      await db.execute("INSERT INTO counter (id, v) VALUES ('c', 0)");
      // Both transactions read before either writes: under plain READ COMMITTED one increment would be lost.
      let arrived = 0;
      let release!: () => void;
      const bothRead = new Promise<void>((resolve) => (release = resolve));
      let attempts = 0;
      const bump = () =>
        db.transaction(async (tx) => {
          attempts++;
          const [row] = await tx.query<{ v: number }>("SELECT v FROM counter WHERE id = 'c'");
          if (++arrived === 2) release();
          await bothRead;
          await tx.execute("UPDATE counter SET v = $1 WHERE id = 'c'", [row!.v + 1]);
        });
      await Promise.all([bump(), bump()]);
      assert.deepEqual(await db.query("SELECT v FROM counter WHERE id = 'c'"), [{ v: 2 }]);
      assert.ok(attempts >= 3, `one transaction should have been re-run (attempts: ${attempts})`);
    } finally {
      await db.close();
    }
  });

  it('prepared statements survive another replica adding a column: named ones list columns, SELECT * stays unnamed', async () => {
    const url = await cluster!.createDatabase(`store_${++n}`);
    // One connection, so every query below meets the statements the earlier ones prepared.
    const db = openPostgres(url, { maxConnections: 1 });
    const other = openPostgres(url);
    try {
      await db.execute('CREATE TABLE offers (id TEXT PRIMARY KEY, price INTEGER NOT NULL)');
      await db.execute("INSERT INTO offers (id, price) VALUES ('a', 1)");
      const listed = () => db.query('SELECT id, price FROM offers WHERE id = $1', ['a']);
      const all = () => db.query('SELECT * FROM offers WHERE id = $1', ['a']);
      assert.deepEqual([await listed(), await all()], [[{ id: 'a', price: 1 }], [{ id: 'a', price: 1 }]]);
      await other.execute('ALTER TABLE offers ADD COLUMN region TEXT');
      assert.deepEqual(await listed(), [{ id: 'a', price: 1 }]);
      assert.deepEqual(await all(), [{ id: 'a', price: 1, region: null }]);
    } finally {
      await Promise.all([db.close(), other.close()]);
    }
  });

  it('gives up with StoreError busy after the configured attempts', async () => {
    const db = openPostgres(await cluster!.createDatabase(`store_${++n}`), { maxTxAttempts: 2, retryDelayMs: () => 0 });
    try {
      let calls = 0;
      const serializationFailure = new StoreError('busy', 'could not serialize access');
      await assert.rejects(
        db.transaction(async () => {
          calls++;
          throw serializationFailure;
        }),
        (e) => e === serializationFailure,
      );
      assert.equal(calls, 2);
    } finally {
      await db.close();
    }
  });

  it('reports an unreachable server as a connection error', async () => {
    // The cluster's port with a database that does not exist, and a closed port.
    const missingDb = openPostgres(cluster!.url.replace(/\/[^/]+$/, '/no_such_database'));
    const closed = openPostgres('postgres://postgres@127.0.0.1:1/ferry');
    try {
      await assert.rejects(missingDb.query('SELECT 1'), (e) => StoreError.is(e, 'connection'));
      await assert.rejects(closed.query('SELECT 1'), (e) => StoreError.is(e, 'connection'));
      await assert.rejects(closed.transaction(async () => undefined), (e) => StoreError.is(e, 'connection'));
    } finally {
      await missingDb.close();
      await closed.close();
    }
  });
});
