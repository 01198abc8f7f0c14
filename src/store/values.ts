import { StoreError } from './db.js';

/** Converters between database rows (snake_case, TEXT JSON, ISO TEXT timestamps) and TS values. */

export function isoTime(value: Date | string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid time: ${String(value)}`);
  return d.toISOString();
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function parseJson<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string' || value === '') return fallback;
  return JSON.parse(value) as T;
}


/** NUL or a lone UTF-16 surrogate: PostgreSQL refuses the first, SQLite silently rewrites the second. */
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The same verdict on every backend for values no column can hold exactly: such text, and numbers
 * that are not finite. Raised as StoreError 'invalid' before the statement runs.
 */
export function checkParams(params: readonly unknown[]): void {
  params.forEach((value, i) => {
    if (typeof value === 'string' && UNSTORABLE_TEXT.test(value)) {
      throw new StoreError('invalid', `parameter ${i + 1} contains a NUL character or an unpaired UTF-16 surrogate`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) throw new StoreError('invalid', `parameter ${i + 1} is not a finite number`);
  });
}
