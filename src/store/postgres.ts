import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreError, type Db, type Migration } from './db.js';
import { mapPgError } from './errors.js';
import { checkParams } from './values.js';
import { applyMigrations, TxDb, TxScope, type RunResult, type TxConnection } from './tx.js';

export interface PostgresOptions {
  /** Most connections the pool opens. */
  maxConnections?: number;
  /** Attempts of a transaction that keeps hitting serialization failures or deadlocks. */
  maxTxAttempts?: number;
  /** Pause before retrying a transaction; injectable so tests run without waiting. */
  retryDelayMs?: (attempt: number) => number;
  now?: () => Date;
}

/** Fixed key of the advisory lock migrations take, so replicas starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 4_120_771_963;

/** COUNT(*) and BIGINT arrive as int8 and NUMERIC as text; read both as numbers so rows look the same as SQLite's. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const poolTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Opens a pool on a postgres:// URL. Connections are made lazily, so a bad URL shows up on the
 * first query as StoreError 'connection'. Transactions run SERIALIZABLE on one client and are
 * re-run (up to maxTxAttempts) after a serialization failure, matching SQLite's one-writer-at-a-time
 * semantics: keep side effects other than database writes out of a transaction callback.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    // A CLI run must not hang on idle connections after its last query.
    allowExitOnIdle: true,
    types: poolTypes,
  });
  // An idle client dying (server restart) is reported here; the pool drops it and the next query reconnects.
  pool.on('error', () => undefined);
  return new PostgresDb(pool, {
    maxTxAttempts: options.maxTxAttempts ?? 8,
    // Exponential with jitter: under contention a fixed short pause lets the same transactions collide again.
    retryDelayMs: options.retryDelayMs ?? ((attempt) => Math.floor(Math.random() * Math.min(1000, 10 * 2 ** attempt))),
    now: options.now ?? (() => new Date()),
  });
}

type Isolation = 'SERIALIZABLE' | 'READ COMMITTED';

class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  /** The transaction the current async call chain runs in, so calls on this handle join it. */
  private readonly scope = new TxScope();

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: Required<Pick<PostgresOptions, 'maxTxAttempts' | 'retryDelayMs' | 'now'>>,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const tx = this.scope.current();
    if (tx) return tx.query<T>(sql, params);
    return (await run(this.pool, sql, params)).rows as T[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    const tx = this.scope.current();
    if (tx) return tx.execute(sql, params);
    return { changes: (await run(this.pool, sql, params)).changes };
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const tx = this.scope.current();
    if (tx) return tx.transaction(fn);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once('SERIALIZABLE', fn);
      } catch (err) {
        if (!StoreError.is(err, 'busy') || attempt >= this.opts.maxTxAttempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, this.opts.retryDelayMs(attempt)));
      }
    }
  }

  /**
   * READ COMMITTED on purpose: a SERIALIZABLE snapshot would be taken before the lock wait and
   * hide the migrations the lock holder just committed.
   */
  async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.once('READ COMMITTED', async (tx) => {
      await tx.execute('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await applyMigrations(tx, migrations, this.opts.now());
    });
  }

  async close(): Promise<void> {
    if (!this.pool.ended && !this.pool.ending) await this.pool.end();
  }

  private async once<T>(isolation: Isolation, fn: (tx: TxDb) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw mapPgError(err);
    }
    const conn: TxConnection = {
      run: (sql, params) => run(client, sql, params),
      script: async (sql) => {
        try {
          await client.query(sql);
        } catch (err) {
          throw mapPgError(err);
        }
      },
    };
    const tx = new TxDb('postgres', conn);
    let broken: unknown;
    try {
      await conn.run(`BEGIN ISOLATION LEVEL ${isolation}`, []);
      const result = await this.scope.run(tx, () => fn(tx));
      await conn.run('COMMIT', []);
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr; // the connection is unusable: destroy it instead of returning it to the pool
      }
      throw err;
    } finally {
      tx.finish();
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

// Each connection prepares a statement once and then only binds and executes it: PostgreSQL parses
// and plans a poll's queries once instead of on every request (a fifth less database time per poll).
// The SQL is ferry's own, so the set is small; past the cap (SQL of a varying shape) statements go
// unnamed. So does any statement with a `*`: a prepared `SELECT *` fails ("cached plan must not
// change result type") once another replica's migration adds a column; one naming its columns does not.
const MAX_NAMED = 500;
const statementNames = new Map<string, string>();
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED && PREPARABLE.test(sql) && !sql.includes('*')) {
    name = `ferry_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

async function run(on: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<RunResult> {
  checkParams(params);
  try {
    const res = await on.query({ text: sql, values: params.map(toPgValue), name: statementName(sql) });
    return { rows: res.rows as Record<string, unknown>[], changes: res.rowCount ?? 0 };
  } catch (err) {
    throw mapPgError(err);
  }
}

/** Dates go in as ISO strings (timestamps are TEXT, comparable as strings); pg handles the rest. */
function toPgValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}
