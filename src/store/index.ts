import type { Db } from './db.js';
import { CreateJournal } from './journal.js';
import { History } from './history.js';
import { Inventory } from './inventory.js';
import { STORE_MIGRATIONS } from './migrations.js';
import { openDb, type OpenDbOptions } from './open.js';
import { Suppressions } from './suppressions.js';

export * from './db.js';
// openSqlite and openPostgres are imported from './sqlite.js' and './postgres.js' themselves: re-exported
// here, their drivers would load with every module naming the store (openDb loads the one it opens).
export type { SqliteOptions } from './sqlite.js';
export type { PostgresOptions } from './postgres.js';
export { openDb, defaultDataDir, defaultDatabasePath, resolveDatabase, DATABASE_URL_ENV } from './open.js';
export type { OpenDbOptions, DatabaseTarget } from './open.js';
export { STORE_MIGRATIONS } from './migrations.js';
export { Inventory, inScope, inventoryInputFromInstance } from './inventory.js';
export type { InventoryRecord, InventoryInput, InventoryScope, LaunchPrice } from './inventory.js';
export { CreateJournal } from './journal.js';
export type { JournalEntry, JournalBegin, JournalState } from './journal.js';
export { History } from './history.js';
export type { HistoryEvent, HistoryRecord, HistoryFilter, HistoryKind } from './history.js';
export { summariseCosts } from './costs.js';
export { Suppressions, SUPPRESS_FOR_MS, type Suppression } from './suppressions.js';
export { inventoryStats, costsBy, monthlyHours, dimensionName, type InventoryStats, type CostBreakdown, type CostGroup, type CostDimension, type Count } from './report.js';
export { inventoryToCsv, parseCsv, recordFromCsv, toCsv, INVENTORY_CSV_COLUMNS } from './csv.js';
export { copyStore, STORE_TABLES, type CopyReport } from './copy.js';
export type { CostLine, CostSummary, CostTotal } from './costs.js';

/**
 * The CLI's local state. The repositories share `db`: wrap several calls in
 * `store.db.transaction(async () => …)` and they all join that transaction.
 */
export interface Store {
  db: Db;
  inventory: Inventory;
  journal: CreateJournal;
  history: History;
  /** Offers placement skips for a while after a capacity or quota failure. */
  suppressions: Suppressions;
  close(): Promise<void>;
}

export interface StoreOptions {
  now?: () => Date;
}

/** Builds the repositories on an open database after applying the store's migrations. */
export async function createStore(db: Db, options: StoreOptions = {}): Promise<Store> {
  await db.migrate(STORE_MIGRATIONS);
  const now = options.now ?? (() => new Date());
  return {
    db,
    inventory: new Inventory(db, now),
    journal: new CreateJournal(db, now),
    history: new History(db, now),
    suppressions: new Suppressions(db, now),
    close: () => db.close(),
  };
}

/** Opens the configured database (see openDb), migrates it and returns the repositories. */
export async function openStore(url?: string, options: OpenDbOptions = {}): Promise<Store> {
  const db = await openDb(url, options);
  try {
    return await createStore(db, options.now ? { now: options.now } : {});
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
