import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reorderParams, rewritePlaceholders } from '../../src/store/placeholders.js';

describe('placeholder rewriting', () => {
  it('turns $n into ? and records which parameter each binds, repeats included', () => {
    assert.deepEqual(rewritePlaceholders('SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2'), {
      sql: 'SELECT * FROM t WHERE a = ? AND b = ? OR c = ?',
      order: [1, 0, 1],
    });
    assert.deepEqual(reorderParams([1, 0, 1], ['x', 'y']), ['y', 'x', 'y']);
  });

  it('reads multi-digit placeholders whole', () => {
    const sql = Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ');
    assert.deepEqual(rewritePlaceholders(`VALUES (${sql})`).order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('leaves $n inside strings, quoted identifiers and comments untouched', () => {
    const sql = `SELECT 'it''s $1', "col$2", $3 -- $4 here\n/* $5 */ FROM t`;
    assert.deepEqual(rewritePlaceholders(sql), { sql: `SELECT 'it''s $1', "col$2", ? -- $4 here\n/* $5 */ FROM t`, order: [2] });
  });

  it('passes SQL without placeholders through unchanged', () => {
    assert.deepEqual(rewritePlaceholders('SELECT 1 AS "$"'), { sql: 'SELECT 1 AS "$"', order: [] });
  });

  it('rejects $0 and a placeholder with no parameter', () => {
    assert.throws(() => rewritePlaceholders('SELECT $0'), /invalid placeholder/);
    assert.throws(() => reorderParams([0, 2], ['a', 'b']), /uses \$3 but only 2 parameter/);
  });
});
