import { StoreError, type StoreErrorKind } from './db.js';

/** Maps a better-sqlite3 failure to a StoreError; StoreErrors pass through. */
export function mapSqliteError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = errorCode(err) ?? '';
  const message = errorMessage(err);
  return new StoreError(sqliteKind(code, message), `sqlite: ${message}`, { cause: err });
}

function sqliteKind(code: string, message: string): StoreErrorKind {
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique_violation';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_IOERR')) return 'connection';
  // better-sqlite3 throws a plain TypeError once the handle is closed.
  if (/database connection is not open/i.test(message)) return 'connection';
  return 'other';
}

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Maps a node-postgres failure (server SQLSTATE or socket error) to a StoreError; StoreErrors pass through. */
export function mapPgError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = errorCode(err) ?? '';
  const message = errorMessage(err);
  return new StoreError(pgKind(code, message), `postgres: ${message}`, { cause: err });
}

function pgKind(code: string, message: string): StoreErrorKind {
  if (code === '23505') return 'unique_violation';
  if (code === '23503') return 'foreign_key';
  // serialization_failure, deadlock_detected, lock_not_available: the work can be retried.
  if (code === '40001' || code === '40P01' || code === '55P03') return 'busy';
  // data_exception (22…): a NUL in text, a number beyond its column, a time out of range — the value's fault.
  if (code.startsWith('22')) return 'invalid';
  // connection_exception (08…), invalid auth (28…), unknown database, server shutting down or starting up.
  if (code.startsWith('08') || code.startsWith('28') || code === '3D000' || code === '53300') return 'connection';
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'connection';
  if (PG_CONNECTION_CODES.has(code)) return 'connection';
  if (/connection terminated|timeout exceeded when trying to connect|cannot use a pool after calling end|client has encountered a connection error/i.test(message)) {
    return 'connection';
  }
  return 'other';
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node reports a refused multi-address connect as an AggregateError whose members carry the code.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner)) return inner.map(errorCode).find((c) => c !== undefined);
  return undefined;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (err instanceof AggregateError) return err.errors.map(errorMessage).join('; ');
  return String(err);
}
