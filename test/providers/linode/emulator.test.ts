/**
 * The emulated Linode API on its own: per-operation rate limits with their headers, X-Filter,
 * page/pages, async states with events, the error body, capacity and quota faults, v4beta.
 * Raw HTTP, every exchange checked against the official description.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { parseImageSpec, ProviderError } from '../../../src/core/index.js';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { withDefaults } from '../../../src/providers/registry.js';
import { linodeSpec } from './contract-target.js';

async function emulator(t: TestContext, timeScale: number, faults?: string) {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['linode'], timeScale, seed: 9, bootMs: 40_000, actionMs: 10_000, observe: (x) => exchanges.push(x), ...(faults ? { faults } : {}) });
  t.after(() => emu.close());
  const url = emu.urls.linode!;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: 'Bearer emu-token', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  /** Every exchange but those on paths the API does not have. */
  const conformant = () => {
    const spec = linodeSpec();
    if ('missing' in spec) return t.diagnostic(spec.missing);
    assert.deepEqual(exchanges.filter((x) => !x.path.startsWith('/v4/nothing')).flatMap((x) => spec.check(x)).slice(0, 10), []);
  };
  return { url, call, exchanges, conformant };
}

const create = (label: string, extra: Record<string, unknown> = {}) => ({ label, region: 'us-east', type: 'g6-nanode-1', image: 'linode/debian12', root_pass: 'Emulated-Pass-123', ...extra });

test('creates: 20 per 15 s window with X-RateLimit headers; the 21st gets 429 and Retry-After; reads have their own 800 per minute', async (t) => {
  const { call, conformant } = await emulator(t, 1);
  const first = await call('POST', '/v4/linode/instances', create('rl-0'));
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-ratelimit-limit'), '20');
  assert.equal(first.headers.get('x-ratelimit-remaining'), '19');
  const reset = Number(first.headers.get('x-ratelimit-reset'));
  const now = Date.parse(first.headers.get('date')!) / 1000;
  assert.ok(reset > now && reset <= now + 16, `reset ${reset} is the window's end (now ${now})`);
  for (let i = 1; i < 20; i++) assert.equal((await call('POST', '/v4/linode/instances', create(`rl-${i}`))).status, 200);
  const refused = await call('POST', '/v4/linode/instances', create('rl-20'));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(refused.headers.get('retry-after')) >= 1 && Number(refused.headers.get('retry-after')) <= 15);
  assert.deepEqual(refused.body, { errors: [{ reason: 'Too Many Requests' }] });
  const read = await call('GET', '/v4/linode/instances');
  assert.equal(read.status, 200, 'another operation is not limited by the create window');
  assert.equal(read.headers.get('x-ratelimit-limit'), '800');
  assert.equal(read.body.results, 20);
  conformant();
});

test('provisioning → booting → running, with linode_create and linode_boot events finishing', async (t) => {
  const { call, conformant } = await emulator(t, 1000);
  const made = await call('POST', '/v4/linode/instances', create('states-1', { tags: ['a-tag'] }));
  assert.equal(made.body.status, 'provisioning');
  assert.ok(made.body.ipv4.length > 0, 'Linode assigns the address at once');
  const seen = new Set<string>();
  for (let i = 0; i < 2_000 && !seen.has('running'); i++) {
    seen.add((await call('GET', `/v4/linode/instances/${made.body.id}`)).body.status);
    await new Promise((ok) => setTimeout(ok, 2));
  }
  assert.ok(seen.has('running'), [...seen].join(','));
  const events = await call('GET', '/v4/account/events', undefined, { 'X-Filter': JSON.stringify({ 'entity.id': made.body.id, 'entity.type': 'linode' }) });
  assert.deepEqual(events.body.data.map((e: { action: string; status: string }) => `${e.action}:${e.status}`).sort(), ['linode_boot:finished', 'linode_create:finished']);
  const off = await call('POST', `/v4/linode/instances/${made.body.id}/shutdown`);
  assert.deepEqual(off.body, {});
  const after = (await call('GET', `/v4/linode/instances/${made.body.id}`)).body.status;
  assert.ok(['shutting_down', 'offline'].includes(after), after);
  conformant();
});

test('X-Filter on tags (contains), +and, and page/pages over 25-item pages', async (t) => {
  const { call, conformant } = await emulator(t, 1000);
  for (let i = 0; i < 27; i++) {
    const r = await call('POST', '/v4/linode/instances', create(`page-${i}`, { tags: i % 2 ? ['odd', 'team:x'] : ['even'] }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  const p1 = await call('GET', '/v4/linode/instances?page=1&page_size=25');
  const p2 = await call('GET', '/v4/linode/instances?page=2&page_size=25');
  assert.deepEqual([p1.body.pages, p1.body.results, p1.body.data.length, p2.body.data.length], [2, 27, 25, 2]);
  const odd = await call('GET', '/v4/linode/instances', undefined, { 'X-Filter': JSON.stringify({ tags: 'odd' }) });
  assert.equal(odd.body.results, 13);
  const both = await call('GET', '/v4/linode/instances', undefined, { 'X-Filter': JSON.stringify({ '+and': [{ tags: 'odd' }, { tags: 'team:x' }] }) });
  assert.equal(both.body.results, 13);
  const none = await call('GET', '/v4/linode/instances', undefined, { 'X-Filter': JSON.stringify({ '+and': [{ tags: 'odd' }, { tags: 'even' }] }) });
  assert.equal(none.body.results, 0);
  assert.equal((await call('GET', '/v4/linode/instances?page_size=10')).status, 400, 'page_size is 25 to 500');
  assert.equal((await call('GET', '/v4/linode/instances', undefined, { 'X-Filter': '{nope' })).status, 400);
  conformant();
});

test('errors in Linode\'s body: a field named, a missing Linode 404, an unknown route 404, the v4beta paths served', async (t) => {
  const { call, conformant } = await emulator(t, 1000);
  const bad = await call('POST', '/v4/linode/instances', create('bad-1', { type: 'g6-nope' }));
  assert.deepEqual([bad.status, bad.body.errors[0].field], [400, 'type']);
  const gpuWrongRegion = await call('POST', '/v4/linode/instances', create('gpu-1', { type: 'g1-gpu-rtx6000-1', region: 'us-west' }));
  assert.equal(gpuWrongRegion.status, 400);
  assert.deepEqual(await call('GET', '/v4/linode/instances/99999'), { status: 404, headers: (await call('GET', '/v4/linode/instances/99999')).headers, body: { errors: [{ reason: 'Not found' }] } });
  assert.equal((await call('GET', '/v4/nothing/here')).status, 404);
  assert.equal((await call('GET', '/v4beta/linode/instances')).status, 200);
  const gpus = (await call('GET', '/v4/linode/types?page_size=500')).body.data.filter((x: { gpus: number }) => x.gpus > 0).map((x: { id: string }) => x.id);
  assert.ok(gpus.includes('g1-gpu-rtx6000-1') && gpus.includes('g2-gpu-rtx4000a1-s'), gpus.join(', '));
  conformant();
});

test('capacity and quota faults reach the driver as capacity and quota errors', async (t) => {
  const { url } = await emulator(t, 1000, 'capacity=linode:us-east:g6-standard-2,quota=linode:eu-central:*');
  const p = await withDefaults().create('linode', { credentials: { token: 'fault-token' }, endpoint: url, http: { timeScale: 1000, budgets: new Map(), backoffMs: () => 0 } });
  const req = (region: string, size: string) => ({ name: 'fault-1', region, size, image: parseImageSpec('ubuntu-24.04') });
  await assert.rejects(p.createInstance(req('us-east', 'g6-standard-2')), (e: unknown) => ProviderError.is(e, 'capacity'));
  await assert.rejects(p.createInstance(req('eu-central', 'g6-nanode-1')), (e: unknown) => ProviderError.is(e, 'quota'));
  assert.equal((await p.createInstance(req('us-east', 'g6-nanode-1'))).region, 'us-east');
});
