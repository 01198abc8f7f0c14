/**
 * Thin database drivers over one schema (drizzle's pglite/ beside node-postgres/):
 * SQLite (better-sqlite3) by default, PostgreSQL (pg) when a postgres:// URL is configured.
 * SQL is written once with $1, $2 … placeholders; the SQLite driver rewrites them.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  /** Unique and ordered, e.g. "001_inventory". */
  id: string;
  /** One statement list for both dialects, or one per dialect where they differ. */
  sql: string | { sqlite: string; postgres: string };
}

export interface Db {
  readonly dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Runs fn in one transaction (serializable enough for leases and nonces); rolls back on throw. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Applies the migrations not yet applied, in order, each once, safely under concurrency. */
  migrate(migrations: readonly Migration[]): Promise<void>;
  close(): Promise<void>;
}

/** Database failures mapped to a small union. */
export type StoreErrorKind = 'unique_violation' | 'foreign_key' | 'connection' | 'busy' | 'invalid' | 'other';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  static is(err: unknown, kind?: StoreErrorKind): err is StoreError {
    return err instanceof StoreError && (kind === undefined || err.kind === kind);
  }
}
