/**
 * An order whose answer is lost, against strict per-test fixtures: the driver looks the order up
 * by its create id and, not finding it (a new order may not be listed yet), fails without sending
 * a second order. Also: the key goes in X-API-KEY and never into an error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, ProviderError } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/hivelocity/index.js';
import { networkError } from '../../support/fake-fetch.js';
import { fixture } from './fixtures.js';

const KEY = 'hv-secret-3f9a0c77d1';
const API = 'https://core.hivelocity.net/api/v2';

/** Answers by "METHOD path?query"; any other request fails the test. Order of the lookups is free. */
function routes(table: Record<string, () => { status: number; body?: unknown } | Error>) {
  const seen: { key: string; headers: Headers }[] = [];
  const fake: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname.replace('/api/v2', '')}${url.search}`;
    seen.push({ key, headers: new Headers(init?.headers) });
    const answer = table[key];
    assert.ok(answer, `unexpected request: ${key}`);
    const r = answer();
    if (r instanceof Error) throw r;
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fake, seen };
}

const STOCK = fixture('inventory-gpu');
const MAIN = { TPA1: [{ ...STOCK.LAX2[0], product_id: 525, product_gpu: '', data_center: 'TPA1', stock: 'available' }] };

test('hivelocity: an order lost on the wire and not found by its create id is not sent again', async () => {
  const { fetch, seen } = routes({
    'GET /inventory/product?location=MAIN&group_by=facility': () => ({ status: 200, body: MAIN }),
    'GET /inventory/product?location=GPU&group_by=facility': () => ({ status: 200, body: {} }),
    'GET /inventory/locations': () => ({ status: 200, body: [{ id: 1, code: 'TPA1', title: 'Tampa 1' }] }),
    'GET /product/525/operating-systems': () => ({ status: 200, body: [{ id: 1, name: 'Ubuntu 24.04' }, { id: 2, name: 'Custom iPXE' }] }),
    'POST /bare-metal-devices/': () => networkError('ECONNRESET'),
    'GET /bare-metal-devices/': () => ({ status: 200, body: [] }),
    'GET /device/': () => ({ status: 200, body: [] }),
  });
  const p = createProvider({ credentials: { apiKey: KEY }, endpoint: API, http: { fetch, maxRetries: 0, backoffMs: () => 0, budgets: new Map() } });
  await assert.rejects(p.createInstance({ name: 'lost-2', region: 'TPA1', size: '525', image: parseImageSpec('ubuntu-24.04') }), (e: unknown) => {
    assert.ok(ProviderError.is(e, 'network'), String(e));
    assert.ok(!e.message.includes(KEY));
    return true;
  });
  assert.equal(seen.filter((s) => s.key.startsWith('POST')).length, 1, 'one order in all');
  assert.ok(seen.some((s) => s.key === 'GET /bare-metal-devices/'), 'looked up by create id');
  assert.ok(seen.every((s) => s.headers.get('x-api-key') === KEY && !s.headers.has('authorization')));
});

test('hivelocity: an unexpected body shape is an api error, never a TypeError', async () => {
  const { fetch } = routes({
    'GET /bare-metal-devices/': () => ({ status: 200, body: { devices: 'surprise' } }),
    'GET /bare-metal-devices/12': () => ({ status: 200, body: { hostname: 'no-id.example.com' } }),
    'GET /device/12': () => ({ status: 200, body: {} }),
  });
  const p = createProvider({ credentials: { apiKey: KEY }, endpoint: API, http: { fetch, maxRetries: 0, backoffMs: () => 0, budgets: new Map() } });
  await assert.rejects(p.listInstances(), (e: unknown) => ProviderError.is(e, 'api'));
  await assert.rejects(p.getInstance('12'), (e: unknown) => ProviderError.is(e, 'api'));
});
