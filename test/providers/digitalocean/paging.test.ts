/**
 * The emulated DigitalOcean API at fleet scale: pages of a big droplet list (links, meta.total),
 * and the "pending event" lock, which follows running actions only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmulatorContext } from '../../../src/emulator/engine/index.js';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { ACTION_HISTORY, DoState, type DropletRec } from '../../../src/emulator/digitalocean/state.js';
import { loadOpenApi } from '../../support/openapi.js';
import { createProvider } from '../../../src/providers/digitalocean/index.js';
import { nodeFetch } from '../../../src/transport/node-fetch.js';
import type { Fetch } from '../../../src/core/index.js';
import { DO_SPEC, startHarness, TOKEN } from './harness.js';

const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method, headers: HEADERS, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Creates n droplets, ten a request, tagged with the prefix. */
async function createDroplets(base: string, n: number, prefix = 'pg'): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    const names = Array.from({ length: Math.min(10, n - i) }, (_, k) => `${prefix}-${i + k}`);
    const r = await call(base, 'POST', '/v2/droplets', { names, region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: [prefix] });
    assert.equal(r.status, 202, JSON.stringify(r.body));
  }
}

/** Polls until `done` holds: the emulator is time-scaled, so this follows emulated time, not a fixed wait. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await done()) return;
    await new Promise((ok) => setImmediate(ok));
  }
  assert.fail('condition never reached');
}

test('a page of 120 droplets: first, middle and last pages carry the right droplets, links and total', async (t) => {
  const h = await startHarness(t);
  const base = h.emu.urls.digitalocean!;
  await createDroplets(base, 120);
  await until(async () => (await call(base, 'GET', '/v2/droplets?per_page=200')).body.droplets.every((d: { status: string; locked: boolean }) => d.status === 'active' && !d.locked));
  const all = (await call(base, 'GET', '/v2/droplets?per_page=200')).body;
  assert.equal(all.droplets.length, 120);
  assert.equal(all.meta.total, 120);
  assert.deepEqual(all.links.pages, {});
  const ids = all.droplets.map((d: { id: number }) => d.id);
  assert.deepEqual(ids, [...ids].sort((a: number, b: number) => a - b), 'droplets are listed by id');

  const page = async (n: number) => (await call(base, 'GET', `/v2/droplets?per_page=50&page=${n}`)).body;
  const url = (n: number) => `${base}/v2/droplets?per_page=50&page=${n}`;
  const [first, middle, last] = [await page(1), await page(2), await page(3)];
  assert.deepEqual(first.droplets.map((d: { id: number }) => d.id), ids.slice(0, 50));
  assert.deepEqual(middle.droplets.map((d: { id: number }) => d.id), ids.slice(50, 100));
  assert.deepEqual(last.droplets.map((d: { id: number }) => d.id), ids.slice(100));
  for (const p of [first, middle, last]) assert.equal(p.meta.total, 120);
  assert.deepEqual(first.links.pages, { next: url(2), last: url(3) });
  assert.deepEqual(middle.links.pages, { first: url(1), prev: url(1), next: url(3), last: url(3) });
  assert.deepEqual(last.links.pages, { first: url(1), prev: url(2) });
  // A page past the end is empty, with links back.
  const beyond = await page(4);
  assert.deepEqual(beyond.droplets, []);
  assert.deepEqual(beyond.links.pages, { first: url(1), prev: url(3) });
  // A page renders the same droplet as a single read does.
  const one = (await call(base, 'GET', `/v2/droplets/${ids[75]}`)).body.droplet;
  assert.deepEqual(middle.droplets[25], one);

  // Filters apply before the page: a tag that 30 of 150 carry, in pages of 20.
  await createDroplets(base, 30, 'other');
  const tagged = (await call(base, 'GET', '/v2/droplets?tag_name=other&per_page=20&page=2')).body;
  assert.equal(tagged.meta.total, 30);
  assert.deepEqual(tagged.droplets.map((d: { name: string }) => d.name), Array.from({ length: 10 }, (_, i) => `other-${20 + i}`));
  assert.deepEqual(h.nonConforming(), []);
});

test('the driver asks for the pages after the first together, once the first names the last, and keeps their order', async (t) => {
  const h = await startHarness(t);
  const base = h.emu.urls.digitalocean!;
  await createDroplets(base, 23, 'fan');
  const send = nodeFetch();
  const seen: { page: string | null; inFlight: number }[] = [];
  let inFlight = 0;
  const fetch: Fetch = async (url, init) => {
    seen.push({ page: new URL(String(url)).searchParams.get('page'), inFlight: ++inFlight });
    try {
      return await send(url, init);
    } finally {
      inFlight--;
    }
  };
  const provider = createProvider({ credentials: { token: TOKEN }, endpoint: base, http: { fetch, budgets: new Map(), timeScale: h.emu.timeScale }, options: { pageSize: '5' } });
  const droplets = await provider.client.listDroplets({ tag_name: 'fan' });
  assert.deepEqual(droplets.map((d) => d.name), Array.from({ length: 23 }, (_, i) => `fan-${i}`));
  assert.deepEqual(seen, [
    { page: '1', inFlight: 1 },
    { page: '2', inFlight: 1 },
    { page: '3', inFlight: 2 },
    { page: '4', inFlight: 3 },
    { page: '5', inFlight: 4 },
  ]);
});

test('GET /v2/actions pages the whole history, and each droplet lists its own actions', async (t) => {
  const h = await startHarness(t);
  const base = h.emu.urls.digitalocean!;
  await createDroplets(base, 30);
  const all = (await call(base, 'GET', '/v2/actions?per_page=25&page=2')).body;
  assert.equal(all.meta.total, 30);
  assert.equal(all.actions.length, 5);
  const droplets = (await call(base, 'GET', '/v2/droplets?per_page=30')).body.droplets;
  const mine = (await call(base, 'GET', `/v2/droplets/${droplets[3].id}/actions`)).body;
  assert.equal(mine.meta.total, 1);
  assert.equal(mine.actions[0].type, 'create');
  assert.equal(mine.actions[0].resource_id, droplets[3].id);
  assert.deepEqual(h.nonConforming(), []);
});

test('a droplet with a finished action is not locked; one with an action in progress is, until it finishes', async (t) => {
  const exchanges: Exchange[] = [];
  // Boots in 1 s of emulated time (1 ms real); droplet actions take 30 emulated days: never done within the test.
  const emu = await startEmulator({ providers: ['digitalocean'], timeScale: 1000, seed: 3, bootMs: 1000, ipDelayMs: 1000, actionMs: 30 * 86_400_000, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const base = emu.urls.digitalocean!;
  await createDroplets(base, 20);
  const droplets: { id: number }[] = (await call(base, 'GET', '/v2/droplets?per_page=20')).body.droplets;
  const [busy, idle] = [droplets[4]!.id, droplets[12]!.id];
  const createActions = (await call(base, 'GET', '/v2/actions?per_page=200')).body.actions as { id: number }[];
  await until(async () => {
    const states = await Promise.all(createActions.map(async (a) => (await call(base, 'GET', `/v2/actions/${a.id}`)).body.action.status));
    return states.every((s) => s === 'completed');
  });

  // Every create has finished: nothing is locked, and an action is accepted.
  const list = (await call(base, 'GET', '/v2/droplets?per_page=20')).body.droplets as { id: number; locked: boolean; status: string }[];
  assert.ok(list.every((d) => !d.locked && d.status === 'active'), 'finished create actions leave no lock');
  const started = await call(base, 'POST', `/v2/droplets/${busy}/actions`, { type: 'power_off' });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  assert.equal(started.body.action.status, 'in-progress');

  // The running action locks its droplet only.
  const locked = (await call(base, 'GET', '/v2/droplets?per_page=20')).body.droplets as { id: number; locked: boolean }[];
  assert.deepEqual(locked.filter((d) => d.locked).map((d) => d.id), [busy]);
  const refused = await call(base, 'POST', `/v2/droplets/${busy}/actions`, { type: 'reboot' });
  assert.equal(refused.status, 422);
  assert.match(refused.body.message, /pending event/);
  const other = await call(base, 'POST', `/v2/droplets/${idle}/actions`, { type: 'rename', name: 'renamed-12' });
  assert.equal(other.status, 201, 'another droplet is not held by it');

  // The history keeps the finished creates and the running actions.
  const history = (await call(base, 'GET', '/v2/actions?per_page=200')).body;
  assert.equal(history.meta.total, 22);
  assert.deepEqual(
    history.actions.filter((a: { status: string }) => a.status === 'in-progress').map((a: { resource_id: number }) => a.resource_id).sort(),
    [busy, idle].sort(),
  );
  const spec = loadOpenApi(DO_SPEC);
  if (!('missing' in spec)) {
    for (const x of exchanges) {
      const problems: string[] = [...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)), ...spec.validateResponse(x.method, x.path, x.status, x.responseBody)];
      assert.deepEqual(problems, [], `${x.method} ${x.path}${x.query} → ${x.status}`);
    }
  }
});

test('an action that finishes releases the droplet', async (t) => {
  // Actions take 1 s of emulated time; polling the action follows emulated time.
  const emu = await startEmulator({ providers: ['digitalocean'], timeScale: 1000, seed: 5, bootMs: 1000, ipDelayMs: 1000, actionMs: 1000 });
  t.after(() => emu.close());
  const base = emu.urls.digitalocean!;
  await createDroplets(base, 10);
  const d = (await call(base, 'GET', '/v2/droplets?per_page=10')).body.droplets[7];
  let action = (await call(base, 'POST', `/v2/droplets/${d.id}/actions`, { type: 'power_off' })).body.action;
  await until(async () => (await call(base, 'GET', `/v2/actions/${action.id}`)).body.action.status === 'completed');
  const after = (await call(base, 'GET', `/v2/droplets/${d.id}`)).body.droplet;
  assert.equal(after.locked, false);
  assert.equal(after.status, 'off');
  action = (await call(base, 'POST', `/v2/droplets/${d.id}/actions`, { type: 'power_on' })).body.action;
  assert.equal(action.type, 'power_on', 'the next action is accepted');
});

test('the action history is capped: the oldest finished actions go, running ones always stay', () => {
  let now = Date.parse('2026-12-01T00:00:00Z');
  let seed = 1;
  const ctx: EmulatorContext = {
    clock: { now: () => now, iso: (ms) => new Date(ms ?? now).toISOString(), scale: 1 },
    faults: { capacity: () => false, quota: () => false },
    random: () => (seed = (seed * 16807) % 2147483647) / 2147483647,
    config: { bootMs: 1000, ipDelayMs: 1000, actionMs: 1000, orderMs: 1000, installMs: 1000 },
    schedule: () => {},
  };
  const st = new DoState(ctx);
  const droplet = (id: number): DropletRec => ({ id, name: `d${id}`, region: 'nyc3', size: 's-1vcpu-1gb', imageId: 155133621, tags: [], ipv6: false, createdAt: now, power: 'on', snapshotIds: [], octets: [1, 2], vpcUuid: 'v' });
  const [a, b] = [droplet(1), droplet(2)];
  const long = st.startAction('power_off', b, 365 * 86_400_000);
  for (let i = 0; i < ACTION_HISTORY + 50; i++) {
    st.startAction('reboot', a, 1000);
    now += 1000;
    st.settle();
  }
  assert.equal(st.actions.size, ACTION_HISTORY);
  assert.ok(st.actions.has(long.id), 'the running action is kept, however old');
  assert.ok(st.locked(b) && !st.locked(a));
  assert.equal(st.actionsOf(a.id).length, ACTION_HISTORY - 1);
  assert.ok(st.actionsOf(a.id).every((x) => st.actions.get(x.id) === x), 'the per-droplet index holds only kept actions');
});
