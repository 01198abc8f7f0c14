/** The engine's response encoder gives exactly the bytes of JSON.stringify, for big lists too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixed, jsonBytes } from '../../src/emulator/engine/json.js';

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

test('fixed members are encoded once and stay what JSON.stringify gives; a fixed value is frozen', () => {
  const type = fixed({ name: 'cx22', prices: [{ location: 'fsn1', hourly: { net: '0.0060' } }], at: new Date(0) });
  const items = Array.from({ length: 20 }, (_, i) => ({ id: i, server_type: type, skip: undefined, image: i % 2 ? fixed({ id: 1 }) : null, '1': 'first' }));
  same({ servers: items });
  same({ servers: items });
  assert.throws(() => ((type.prices[0]!.hourly as { net: string }).net = '0'), TypeError);
  assert.equal(type.prices[0]!.hourly.net, '0.0060');
});

test('large fixed members (spliced in as bytes) and small ones (as text) mix in one page, non-ASCII too', () => {
  const big = fixed({ name: 'ccx63', prices: Array.from({ length: 12 }, (_, i) => ({ location: `lö-${i}`, hourly: { net: '0.1000' } })) });
  const small = fixed({ name: 'nbg1', city: 'Nürnberg' });
  assert.ok(JSON.stringify(big).length > 256 && JSON.stringify(small).length < 256);
  same({ servers: Array.from({ length: 20 }, (_, i) => ({ id: i, type: i % 3 ? big : small, location: small, name: `s-€${i}` })), meta: { total: 20 } });
  same({ types: Array.from({ length: 10 }, (_, i) => (i % 2 ? big : small)) });
});

test('a list of fixed values and a fixed value inside a plain member encode as JSON.stringify does', () => {
  const sizes = Array.from({ length: 12 }, (_, i) => fixed({ slug: `s-${i}`, price: i / 3 }));
  same({ sizes, meta: { total: 12 } });
  same(sizes);
  same({ servers: Array.from({ length: 10 }, (_, i) => ({ id: i, nested: { size: sizes[i] }, size: sizes[i], last: undefined })) });
});

test('an item whose own text holds the placeholder of a fixed member still encodes exactly', () => {
  const type = fixed({ name: 'cx22' });
  const sly = '\u0000ferry-fixed\u0000';
  same({ servers: Array.from({ length: 10 }, (_, i) => ({ id: i, before: sly, type, after: i % 2 ? sly : 'x', again: type })) });
});
