/** The engine's response encoder gives exactly the bytes of JSON.stringify, for big lists too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonBytes } from '../../src/emulator/engine/json.js';

const same = (v: unknown) => assert.deepEqual(jsonBytes(v).toString('utf8'), JSON.stringify(v) ?? '');

test('jsonBytes matches JSON.stringify on pages, bare lists and odd members', () => {
  const server = (i: number) => ({ id: i, name: `s-${i}`, labels: { 'é': 'ü', n: String(i) }, skip: undefined, fn: () => 1, at: new Date(0), nested: [1, undefined, null] });
  const items = Array.from({ length: 50 }, (_, i) => server(i));
  same({ servers: items, meta: { pagination: { page: 1, total_entries: 50 } } });
  same({ data: [...items, undefined, () => 1, Symbol('x')], page: 1 });
  same(items);
  same({ few: [1, 2, 3], empty: {}, nothing: undefined });
  same({});
  same([]);
  same(null);
  same('text');
  same(new Date(0));
  same(new Map([[1, 2]]));
  same(Object.assign(Object.create(null), { a: Array.from({ length: 20 }, (_, i) => i) }));
  same({ '1': 'integer-like keys first', b: 2, '0': 'zero' });
});
