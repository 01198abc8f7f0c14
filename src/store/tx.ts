import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Dialect, Migration } from './db.js';

export interface RunResult {
  rows: Record<string, unknown>[];
  changes: number;
}

/** What a driver gives a transaction: one statement with parameters, or a parameterless multi-statement script. */
export interface TxConnection {
  run(sql: string, params: readonly unknown[]): Promise<RunResult>;
  script(sql: string): Promise<void>;
}

/**
 * The Db handed to a transaction callback: every call goes to the transaction's one connection.
 * A nested `transaction` becomes a savepoint, so an inner failure undoes only the inner work.
 * Sibling nested transactions must not run concurrently: savepoints on one connection nest, they do not interleave.
 */
export class TxDb implements Db {
  private finished = false;
  private savepoints = 0;

  constructor(
    readonly dialect: Dialect,
    private readonly conn: TxConnection,
  ) {}

  get open(): boolean {
    return !this.finished;
  }

  /** Called by the driver after COMMIT or ROLLBACK; later calls fail instead of running outside the transaction. */
  finish(): void {
    this.finished = true;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.ensureOpen();
    return (await this.conn.run(sql, params)).rows as T[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    this.ensureOpen();
    return { changes: (await this.conn.run(sql, params)).changes };
  }

  async script(sql: string): Promise<void> {
    this.ensureOpen();
    await this.conn.script(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.ensureOpen();
    const name = `ferry_sp_${++this.savepoints}`;
    await this.conn.run(`SAVEPOINT ${name}`, []);
    let result: T;
    try {
      result = await fn(this);
    } catch (err) {
      if (this.open) {
        // Undo only the inner work; the outer transaction carries on. The caller's error is what matters.
        await this.conn.run(`ROLLBACK TO SAVEPOINT ${name}`, []).catch(() => undefined);
        await this.conn.run(`RELEASE SAVEPOINT ${name}`, []).catch(() => undefined);
      }
      throw err;
    }
    await this.conn.run(`RELEASE SAVEPOINT ${name}`, []);
    return result;
  }

  async migrate(): Promise<void> {
    throw new Error('migrate opens its own transaction; call it on the database, not inside a transaction');
  }

  async close(): Promise<void> {
    throw new Error('close the database, not a transaction');
  }

  private ensureOpen(): void {
    if (this.finished) throw new Error('this transaction has already finished; use the database handle instead');
  }
}

/**
 * The transaction the current async call chain runs in, so calls on the database handle join it
 * instead of waiting for it. Node 20's AsyncLocalStorage turns promise hooks on for the whole process
 * while it is enabled, which slows every promise made (≈ 10 ms of a `ferry ls`, and every request of
 * the server); so it is enabled only while a transaction is open.
 */
export class TxScope {
  private readonly storage = new AsyncLocalStorage<TxDb>();
  private running = 0;

  current(): TxDb | undefined {
    const tx = this.storage.getStore();
    return tx?.open ? tx : undefined;
  }

  async run<T>(tx: TxDb, fn: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await this.storage.run(tx, fn);
    } finally {
      // Chains still holding a finished transaction see none after this, as they would see a closed one.
      if (--this.running === 0) this.storage.disable();
    }
  }
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ferry_migrations (
  id TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

/**
 * Applies, inside the caller's transaction, each migration not yet recorded, in the given order.
 * The driver makes the transaction exclusive (SQLite BEGIN IMMEDIATE, Postgres advisory lock),
 * so a racing migrator sees the recorded ids and applies nothing twice.
 */
export async function applyMigrations(tx: TxDb, migrations: readonly Migration[], now: Date): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  await tx.script(MIGRATIONS_TABLE);
  const done = new Set((await tx.query<{ id: string }>('SELECT id FROM ferry_migrations')).map((r) => r.id));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    await tx.script(typeof m.sql === 'string' ? m.sql : m.sql[tx.dialect]);
    await tx.execute('INSERT INTO ferry_migrations (id, applied_at) VALUES ($1, $2)', [m.id, now.toISOString()]);
    applied.push(m.id);
  }
  return applied;
}
