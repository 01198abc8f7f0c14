import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreError } from '../../src/store/db.js';
import { mapPgError, mapSqliteError } from '../../src/store/errors.js';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('database error mapping', () => {
  it('maps SQLite result codes to store kinds', () => {
    const cases: [string, string][] = [
      ['SQLITE_CONSTRAINT_UNIQUE', 'unique_violation'],
      ['SQLITE_CONSTRAINT_PRIMARYKEY', 'unique_violation'],
      ['SQLITE_CONSTRAINT_FOREIGNKEY', 'foreign_key'],
      ['SQLITE_BUSY', 'busy'],
      ['SQLITE_BUSY_SNAPSHOT', 'busy'],
      ['SQLITE_LOCKED', 'busy'],
      ['SQLITE_CANTOPEN', 'connection'],
      ['SQLITE_CONSTRAINT_NOTNULL', 'other'],
    ];
    for (const [code, kind] of cases) assert.equal(mapSqliteError(withCode(code)).kind, kind, code);
  });

  it('maps PostgreSQL SQLSTATEs and socket errors to store kinds', () => {
    const cases: [string, string][] = [
      ['23505', 'unique_violation'],
      ['23503', 'foreign_key'],
      ['40001', 'busy'],
      ['40P01', 'busy'],
      ['08006', 'connection'],
      ['57P01', 'connection'],
      ['3D000', 'connection'],
      ['ECONNREFUSED', 'connection'],
      ['42P01', 'other'],
    ];
    for (const [code, kind] of cases) assert.equal(mapPgError(withCode(code)).kind, kind, code);
    assert.equal(mapPgError(new Error('Connection terminated unexpectedly')).kind, 'connection');
  });

  it('finds the code of a refused multi-address connect inside an AggregateError', () => {
    const err = new AggregateError([withCode('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), withCode('ECONNREFUSED')], '');
    const mapped = mapPgError(err);
    assert.equal(mapped.kind, 'connection');
    assert.match(mapped.message, /ECONNREFUSED ::1:5432/);
  });

  it('keeps the original error as the cause and passes StoreErrors through', () => {
    const original = withCode('23505');
    assert.equal(mapPgError(original).cause, original);
    const already = new StoreError('busy', 'x');
    assert.equal(mapSqliteError(already), already);
    assert.equal(mapPgError(already), already);
  });
});
