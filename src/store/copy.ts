/**
 * Copies ferry's store from one database to another (`ferry store migrate --to postgres://…`):
 * both are migrated to the same schema first, the target must be empty, and everything is
 * written in one transaction, so a failed copy leaves the target as it was. Event ids are kept
 * (the history's order), and Postgres's id sequence is moved past them.
 */
import type { Db } from './db.js';
import { STORE_MIGRATIONS } from './migrations.js';

/** ferry's tables and the columns a copy carries, in an order that respects references. */
export const STORE_TABLES: readonly { name: string; columns: readonly string[]; order: string }[] = [
  {
    name: 'inventory',
    columns: ['provider', 'instance_id', 'name', 'labels', 'region', 'size', 'image', 'price_hourly', 'price_monthly', 'currency', 'create_id', 'created_at', 'last_seen_status', 'last_seen_at', 'ipv4', 'ipv6', 'deleted_at', 'endpoint', 'account'],
    order: 'provider, endpoint, instance_id',
  },
  { name: 'create_journal', columns: ['create_id', 'provider', 'name', 'region', 'size', 'request', 'state', 'instance_id', 'error', 'started_at', 'finished_at'], order: 'create_id' },
  { name: 'history', columns: ['id', 'at', 'provider', 'instance_id', 'name', 'kind', 'detail'], order: 'id' },
  { name: 'offer_suppressions', columns: ['provider', 'plan', 'region', 'kind', 'reason', 'until_at', 'recorded_at'], order: 'provider, plan, region' },
];

export interface CopyReport {
  tables: { name: string; rows: number }[];
}

const BATCH = 500;

export async function copyStore(from: Db, to: Db, o: { onTable?: (name: string, rows: number) => void } = {}): Promise<CopyReport> {
  await from.migrate(STORE_MIGRATIONS);
  await to.migrate(STORE_MIGRATIONS);
  for (const t of STORE_TABLES) {
    const [row] = await to.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${t.name}`);
    if (Number(row?.n ?? 0) > 0) throw new Error(`the target store already has rows in ${t.name}; migrate into an empty database`);
  }
  const report: CopyReport = { tables: [] };
  await to.transaction(async (tx) => {
    for (const t of STORE_TABLES) {
      let copied = 0;
      // Pages keep memory flat on large stores.
      for (let offset = 0; ; offset += BATCH) {
        const rows = await from.query(`SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${t.order} LIMIT ${BATCH} OFFSET ${offset}`);
        if (!rows.length) break;
        const params: unknown[] = [];
        const tuples = rows.map((r) => `(${t.columns.map((c) => `$${params.push(r[c] ?? null)}`).join(', ')})`);
        const overriding = t.name === 'history' && tx.dialect === 'postgres' ? ' OVERRIDING SYSTEM VALUE' : '';
        await tx.execute(`INSERT INTO ${t.name} (${t.columns.join(', ')})${overriding} VALUES ${tuples.join(', ')}`, params);
        copied += rows.length;
        if (rows.length < BATCH) break;
      }
      report.tables.push({ name: t.name, rows: copied });
      o.onTable?.(t.name, copied);
    }
    if (tx.dialect === 'postgres') {
      await tx.query(`SELECT setval(pg_get_serial_sequence('history', 'id'), COALESCE((SELECT MAX(id) FROM history), 0) + 1, false)`);
    }
  });
  return report;
}
