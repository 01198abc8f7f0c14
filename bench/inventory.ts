/**
 * Inventory and costs at scale: a store holding 10,000 servers and 100,000 history events, on
 * SQLite and (when available) a throwaway PostgreSQL. Each operation `ferry inventory`, `costs`,
 * `history` and `inventory export` performs is timed as a ratio against a plain
 * `SELECT COUNT(*) FROM inventory` on the same store in the same run.
 *
 *   node dist/bench/inventory.js [--servers 10000] [--events 100000] [--runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { costsBy, createStore, inventoryStats, inventoryToCsv, type Db, type Store } from '../src/store/index.js';
import { openSqlite } from '../src/store/sqlite.js';
import { openPostgres } from '../src/store/postgres.js';

const { values } = parseArgs({ options: { servers: { type: 'string', default: '10000' }, events: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
const SERVERS = Number(values.servers);
const EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const NOW = new Date('2026-12-01T00:00:00.000Z');
const DAY = 86_400_000;

/** A seeded PRNG so every run fills the same store. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
}

async function insertMany(db: Db, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const batch = Math.floor(30_000 / columns.length);
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += batch) {
      const params: unknown[] = [];
      const tuples = rows.slice(i, i + batch).map((r) => `(${r.map((v) => `$${params.push(v)}`).join(', ')})`);
      await tx.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
  });
}

async function fill(store: Store): Promise<void> {
  const r = rng(42);
  const providers = [
    ['hetzner', ['fsn1', 'nbg1', 'hel1'], 'EUR', 0.0109, 6.8],
    ['digitalocean', ['fra1', 'nyc3', 'sfo3', 'ams3'], 'USD', 0.0357, 24],
    ['proxmox', ['pve1', 'pve2'], 'EUR', 0, 0],
  ] as const;
  const servers: unknown[][] = [];
  for (let i = 0; i < SERVERS; i++) {
    const [provider, regions, currency, hourly, monthly] = providers[i % providers.length]!;
    const created = NOW.getTime() - Math.floor(r() * 365 * DAY);
    const deleted = r() < 0.7 ? created + Math.floor(r() * 60 * DAY) : null;
    const labels = JSON.stringify({ 'managed-by': 'ferry', owner: `user${Math.floor(r() * 50)}`, team: `team${i % 7}` });
    servers.push([provider, String(100_000 + i), `srv-${i}`, labels, regions[i % regions.length], 'size', hourly, monthly, currency, new Date(created).toISOString(), deleted && deleted < NOW.getTime() ? new Date(deleted).toISOString() : null, deleted ? 'destroyed' : 'running']);
  }
  await insertMany(store.db, 'inventory', ['provider', 'instance_id', 'name', 'labels', 'region', 'size', 'price_hourly', 'price_monthly', 'currency', 'created_at', 'deleted_at', 'last_seen_status'], servers);
  const kinds = ['created', 'ready', 'status_changed', 'snapshot_created', 'destroyed'];
  const events: unknown[][] = [];
  for (let i = 0; i < EVENTS; i++) {
    const s = servers[i % SERVERS]!;
    events.push([new Date(Date.parse(s[9] as string) + Math.floor(r() * 30 * DAY)).toISOString(), s[0], s[1], s[2], kinds[i % kinds.length], '{}']);
  }
  await insertMany(store.db, 'history', ['at', 'provider', 'instance_id', 'name', 'kind', 'detail'], events);
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm caches and the query planner
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function measure(label: string, db: Db): Promise<Record<string, number>> {
  const store = await createStore(db, { now: () => NOW });
  const t0 = performance.now();
  await fill(store);
  console.log(`${label}: filled ${SERVERS} servers and ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const base = await median(() => db.query('SELECT COUNT(*) AS n FROM inventory'));
  const list = () => store.inventory.list({ includeDestroyed: true });
  const ops: [string, () => Promise<unknown>][] = [
    ['SELECT COUNT(*) FROM history', () => db.query('SELECT COUNT(*) AS n FROM history')],
    ['SELECT * FROM inventory (every row)', () => db.query('SELECT * FROM inventory')],
    ['inventory stats (ferry inventory)', async () => inventoryStats(await list(), NOW)],
    ['costs by provider (ferry costs)', async () => costsBy(await list(), NOW, 'provider')],
    ['costs by month', async () => costsBy(await list(), NOW, 'month')],
    ['costs by label:owner, --since 90d', async () => costsBy(await list(), NOW, { label: 'owner' }, { since: new Date(NOW.getTime() - 90 * DAY) })],
    ['history --since 7d (20 rows)', () => store.history.list({ since: new Date(NOW.getTime() - 7 * DAY), limit: 20 })],
    ['history --provider hetzner (20 rows)', () => store.history.list({ provider: 'hetzner', limit: 20 })],
    ['inventory export --csv', async () => inventoryToCsv(await list())],
  ];
  const out: Record<string, number> = { 'SELECT COUNT(*) FROM inventory': base };
  console.log(`\n${label}`);
  console.log(`${'operation'.padEnd(40)} ${'median ms'.padStart(10)} ${'× COUNT(*)'.padStart(11)}`);
  console.log(`${'SELECT COUNT(*) FROM inventory'.padEnd(40)} ${base.toFixed(2).padStart(10)} ${'1.0'.padStart(11)}`);
  for (const [name, fn] of ops) {
    const ms = await median(fn);
    out[name] = ms;
    console.log(`${name.padEnd(40)} ${ms.toFixed(2).padStart(10)} ${(ms / base).toFixed(1).padStart(11)}`);
  }
  // Destructive, so once, last: what prune removes depends on what is left.
  const p0 = performance.now();
  const removed = await store.history.prune(new Date(NOW.getTime() - 90 * DAY));
  const prune = performance.now() - p0;
  out['history prune --older-than 90d'] = prune;
  console.log(`${'history prune --older-than 90d (once)'.padEnd(40)} ${prune.toFixed(2).padStart(10)} ${(prune / base).toFixed(1).padStart(11)}   (${removed} events removed)`);
  await store.close();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Number((v / base).toFixed(2))]));
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-inventory-'));
const result: Record<string, unknown> = { servers: SERVERS, events: EVENTS };
try {
  result.sqlite = await measure('SQLite', openSqlite(join(dir, 'ferry.db')));
  const given = process.env.FERRY_BENCH_DATABASE_URL;
  let pg: { url: string; stop(): Promise<void> } | null = given ? { url: given, stop: async () => undefined } : null;
  if (!pg) {
    try {
      const support = (await import(new URL('../test/support/postgres.js', import.meta.url).href)) as typeof import('../test/support/postgres.js');
      pg = await support.startPostgres({ database: 'ferry_bench_inventory' });
    } catch (err) {
      console.log(`(could not start a throwaway Postgres: ${(err as Error).message})`);
    }
  }
  if (pg) {
    try {
      result.postgres = await measure('PostgreSQL', openPostgres(pg.url));
    } finally {
      await pg.stop();
    }
  } else console.log('*** Postgres SKIPPED: no postgres binaries and no FERRY_BENCH_DATABASE_URL ***');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${JSON.stringify({ bench: 'inventory', ratiosToCount: result })}`);
