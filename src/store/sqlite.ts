import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Db, Migration } from './db.js';
import { mapSqliteError } from './errors.js';
import { checkParams } from './values.js';
import { Mutex } from './mutex.js';
import { reorderParams, rewritePlaceholders, type Rewritten } from './placeholders.js';
import { applyMigrations, TxDb, TxScope, type RunResult, type TxConnection } from './tx.js';

export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing with StoreError 'busy'. */
  busyTimeoutMs?: number;
  now?: () => Date;
}

// better-sqlite3 is CommonJS: required rather than imported, Node does not first scan its source for
// named exports, and given its addon's path it does not search for it (≈ 4 ms of a command's start).
const require = createRequire(import.meta.url);
const entry = require.resolve('better-sqlite3');
const BetterSqlite = require(entry) as typeof Database;
const addon = join(dirname(entry), '..', 'build', 'Release', 'better_sqlite3.node');
const nativeBinding = existsSync(addon) ? { nativeBinding: addon } : {};

const MEMORY = ':memory:';
const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens (creating if needed) a SQLite database file. The parent directory is created private (0700)
 * and a new file is made 0600: the inventory says which servers exist and where.
 */
export function openSqlite(path: string, options: SqliteOptions = {}): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let raw: Database.Database;
  try {
    const isNew = path !== MEMORY && !existsSync(path);
    if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    raw = new BetterSqlite(path, { timeout: busyTimeoutMs, ...nativeBinding });
    if (isNew) chmodSync(path, 0o600);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  } catch (err) {
    throw mapSqliteError(err);
  }
  return new SqliteDb(raw, path, options.now ?? (() => new Date()));
}

/**
 * Handles on one file in one process share a mutex. better-sqlite3 waits for a lock synchronously,
 * so a second handle waiting inside busy_timeout would freeze the event loop and with it the
 * first handle's transaction; other processes are held off by the file lock and busy_timeout.
 */
const fileMutexes = new Map<string, { mutex: Mutex; handles: number }>();

function acquireFileMutex(path: string): Mutex {
  if (path === MEMORY) return new Mutex();
  const key = resolve(path);
  const entry = fileMutexes.get(key) ?? { mutex: new Mutex(), handles: 0 };
  entry.handles++;
  fileMutexes.set(key, entry);
  return entry.mutex;
}

function releaseFileMutex(path: string): void {
  const key = resolve(path);
  const entry = fileMutexes.get(key);
  if (entry && --entry.handles <= 0) fileMutexes.delete(key);
}

class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  /** One connection serves every caller, so a transaction excludes all other work (on any handle to this file) until it ends. */
  private readonly mutex: Mutex;
  /** The transaction the current async call chain runs in, so calls on this handle join it instead of deadlocking. */
  private readonly scope = new TxScope();
  private readonly statements = new Map<string, { stmt: Database.Statement; rewritten: Rewritten }>();
  private readonly conn: TxConnection = {
    run: async (sql, params) => this.run(sql, params),
    script: async (sql) => {
      try {
        this.raw.exec(sql);
      } catch (err) {
        throw mapSqliteError(err);
      }
    },
  };

  constructor(
    private readonly raw: Database.Database,
    private readonly path: string,
    private readonly now: () => Date,
  ) {
    this.mutex = acquireFileMutex(path);
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const tx = this.scope.current();
    if (tx) return tx.query<T>(sql, params);
    return this.mutex.run(() => this.run(sql, params).rows as T[]);
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    const tx = this.scope.current();
    if (tx) return tx.execute(sql, params);
    return this.mutex.run(() => ({ changes: this.run(sql, params).changes }));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const tx = this.scope.current();
    if (tx) return tx.transaction(fn);
    return this.mutex.run(() => this.exclusive(fn));
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.mutex.run(() => this.exclusive((tx) => applyMigrations(tx, migrations, this.now())));
  }

  async close(): Promise<void> {
    await this.mutex.run(() => {
      if (!this.raw.open) return;
      this.raw.close();
      if (this.path !== MEMORY) releaseFileMutex(this.path);
    });
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so two processes cannot both read and then fail to upgrade. */
  private async exclusive<T>(fn: (tx: TxDb) => Promise<T>): Promise<T> {
    this.run('BEGIN IMMEDIATE', []);
    const tx = new TxDb('sqlite', this.conn);
    try {
      const result = await this.scope.run(tx, () => fn(tx));
      this.run('COMMIT', []);
      return result;
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      throw err;
    } finally {
      tx.finish();
    }
  }

  private run(sql: string, params: readonly unknown[]): RunResult {
    checkParams(params);
    try {
      const { stmt, rewritten } = this.prepare(sql);
      const bound = (rewritten.order.length > 0 ? reorderParams(rewritten.order, params) : params).map(toSqliteValue);
      if (stmt.reader) {
        const rows = stmt.all(...bound) as Record<string, unknown>[];
        return { rows, changes: rows.length };
      }
      return { rows: [], changes: stmt.run(...bound).changes };
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  private prepare(sql: string): { stmt: Database.Statement; rewritten: Rewritten } {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const rewritten = rewritePlaceholders(sql);
    const entry = { stmt: this.raw.prepare(rewritten.sql), rewritten };
    if (this.statements.size >= STATEMENT_CACHE_SIZE) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, entry);
    return entry;
  }
}

/** better-sqlite3 binds only numbers, strings, bigints, buffers and null. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}
