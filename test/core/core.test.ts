import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ProviderError,
  UserError,
  collectPages,
  collectNumberedPages,
  pagesFor,
  normaliseRequest,
  parseImageSpec,
  formatImageSpec,
  pollUntil,
  sleep,
  resolveTimeouts,
  instanceReadyAttempts,
  actionCompleteAttempts,
  ProviderRegistry,
  CREATE_ID_KEY,
} from '../../src/core/index.js';

test('image specs parse and format', () => {
  assert.deepEqual(parseImageSpec('ubuntu-24.04'), { kind: 'ubuntu', version: '24.04' });
  assert.deepEqual(parseImageSpec('debian-12'), { kind: 'debian', version: '12' });
  assert.deepEqual(parseImageSpec('snapshot:42'), { kind: 'snapshot', id: '42' });
  assert.deepEqual(parseImageSpec('my-image'), { kind: 'custom', id: 'my-image' });
  assert.equal(formatImageSpec(parseImageSpec('ubuntu-22.04')), 'ubuntu-22.04');
  assert.throws(() => parseImageSpec(' '), UserError);
});

test('requests are validated before any network call and get a create id', () => {
  const base = { name: 'web-1', region: 'fsn1', size: 'cx22', image: parseImageSpec('debian-12') };
  const r = normaliseRequest(base);
  assert.match(r.createId, /^[0-9a-f-]{36}$/);
  assert.equal(normaliseRequest({ ...base, createId: 'fixed' }).createId, 'fixed');
  assert.throws(() => normaliseRequest({ ...base, name: 'Bad_Name' }), /invalid instance name/);
  assert.throws(() => normaliseRequest({ ...base, region: '' }), /missing region/);
  assert.throws(() => normaliseRequest({ ...base, labels: { 'bad key': 'x' } }), /invalid label/);
});

test('timeouts: seed defaults and attempt helpers', () => {
  const t = resolveTimeouts();
  assert.equal(t.instanceReadyMs, 300_000);
  assert.equal(t.pollIntervalMs, 5_000);
  assert.equal(instanceReadyAttempts(t), 60);
  assert.equal(actionCompleteAttempts(t), 120);
  assert.equal(resolveTimeouts({ pollIntervalMs: 10 }).pollIntervalMs, 10);
});

test('pollUntil returns the value, times out with a typed error, and listens for abort', async () => {
  let n = 0;
  assert.equal(await pollUntil({ provider: 'p', operation: 'op', timeoutMs: 1000, intervalMs: 1, check: async () => (++n >= 3 ? n : undefined) }), 3);
  let clock = 0;
  const err = await pollUntil({ provider: 'p', operation: 'boot', timeoutMs: 10, intervalMs: 1, now: () => (clock += 5), check: async () => undefined }).catch((e: unknown) => e);
  assert.ok(ProviderError.is(err, 'timeout'));
  const ac = new AbortController();
  const waiting = sleep(10_000, ac.signal).catch((e: unknown) => e);
  ac.abort();
  assert.ok(ProviderError.is(await waiting, 'cancelled'));
});

test('collectPages follows cursors to the end', async () => {
  const pages: Record<number, { items: number[]; next?: number }> = { 1: { items: [1, 2], next: 2 }, 2: { items: [3], next: 3 }, 3: { items: [] } };
  assert.deepEqual(await collectPages(1, async (p: number) => ({ items: pages[p]!.items, next: pages[p]!.next })), [1, 2, 3]);
});

test('collectPages stops a cursor that never ends', async () => {
  let asked = 0;
  const endless = async (p: number) => (asked++, { items: [p], next: p + 1 });
  await assert.rejects(collectPages(1, endless, 3), /pagination did not end after 3 pages/);
  assert.equal(asked, 3);
});

test('collectNumberedPages asks for the pages between together once the first names the last, and keeps their order', async () => {
  const asked: number[] = [];
  const release = new Map<number, () => void>();
  const pages = collectNumberedPages<string>(async (n) => {
    asked.push(n);
    if (n === 1) return { items: ['1a', '1b'], next: 2, lastPage: 4 };
    await new Promise<void>((ok) => release.set(n, ok));
    return { items: [`${n}a`], next: n < 4 ? n + 1 : undefined, lastPage: 4 };
  });
  for (let i = 0; i < 100 && release.size < 3; i++) await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(asked, [1, 2, 3, 4], 'pages 2-4 are all asked for before any of them answers');
  for (const n of [4, 2, 3]) release.get(n)!();
  assert.deepEqual(await pages, ['1a', '1b', '2a', '3a', '4a']);
});

test('collectNumberedPages asks for the pages expected at once, before the first says how many; one past the end is empty and harmless', async () => {
  const asked: number[] = [];
  const release: (() => void)[] = [];
  const listing = collectNumberedPages<number>(
    async (n) => {
      asked.push(n);
      await new Promise<void>((ok) => release.push(ok));
      return n <= 2 ? { items: [n * 10, n * 10 + 1], next: n < 2 ? n + 1 : undefined, lastPage: 2 } : { items: [], next: undefined };
    },
    { expectedPages: pagesFor(5, 2) },
  );
  for (let i = 0; i < 100 && release.length < 3; i++) await new Promise((ok) => setImmediate(ok));
  assert.deepEqual(asked, [1, 2, 3], 'five items at two a page: three pages asked for before any answers');
  for (const ok of release) ok();
  assert.deepEqual(await listing, [10, 11, 20, 21]);
  assert.deepEqual([pagesFor(undefined, 200), pagesFor(0, 200), pagesFor(1000, 200), pagesFor(1001, 200)], [1, 1, 5, 6]);
});

test('collectNumberedPages: a list that grew goes on after the last page; without a last page it goes one by one', async () => {
  const grew = await collectNumberedPages<number>(async (n) => ({ items: [n], next: n < 5 ? n + 1 : undefined, lastPage: 3 }));
  assert.deepEqual(grew, [1, 2, 3, 4, 5]);
  let inFlight = 0;
  let most = 0;
  const oneByOne = await collectNumberedPages<number>(async (n) => {
    most = Math.max(most, ++inFlight);
    await new Promise((ok) => setImmediate(ok));
    inFlight--;
    return { items: [n], next: n < 3 ? n + 1 : undefined };
  });
  assert.deepEqual(oneByOne, [1, 2, 3]);
  assert.equal(most, 1);
  const asked: number[] = [];
  await assert.rejects(collectNumberedPages(async (n) => (asked.push(n), { items: [n], next: n + 1, lastPage: 50 }), { maxPages: 10 }), /pagination did not end after 10 pages/);
  assert.deepEqual(asked, [1], 'a last page beyond the bound is refused before it is asked for');
});

test('registry: unknown names list the supported ones; missing credentials name the variables; unimplemented drivers say so', async () => {
  const r = new ProviderRegistry()
    .register({ name: 'a', title: 'A', kind: 'cloud', credentials: [{ key: 'token', env: 'A_TOKEN', secret: true, required: true, description: '' }], endpointEnv: 'FERRY_A_ENDPOINT', defaultEndpoint: 'x', apiReference: 'x', load: async () => ({ createProvider: () => { throw new Error('unused'); }, capabilities: {} as never }) })
    .register({ name: 'b', title: 'B', kind: 'bare-metal', credentials: [], endpointEnv: 'FERRY_B_ENDPOINT', defaultEndpoint: 'x', apiReference: 'x' });
  assert.deepEqual(r.registeredProviders(), ['a', 'b']);
  assert.deepEqual(r.implementedProviders(), ['a']);
  await assert.rejects(r.create('zzz', { credentials: {} }), (e: unknown) => ProviderError.is(e, 'unknown_provider') && /supported: a, b/.test((e as Error).message));
  await assert.rejects(r.create('a', { credentials: {} }), (e: unknown) => UserError.is(e) && /A_TOKEN/.test((e as Error).message));
  await assert.rejects(r.create('b', { credentials: {} }), (e: unknown) => ProviderError.is(e, 'not_implemented'));
  assert.equal(CREATE_ID_KEY, 'ferry-create-id');
});

test('registry: the config endpoint, else FERRY_<PROVIDER>_ENDPOINT, else the descriptor default', async () => {
  const seen: (string | undefined)[] = [];
  const r = new ProviderRegistry().register({
    name: 'a', title: 'A', kind: 'cloud', credentials: [], endpointEnv: 'FERRY_A_ENDPOINT', defaultEndpoint: 'https://a', apiReference: 'x',
    load: async () => ({ createProvider: (c) => { seen.push(c.endpoint); return {} as never; }, capabilities: {} as never }),
  });
  await r.create('a', { credentials: {} }, { FERRY_A_ENDPOINT: 'http://127.0.0.1:1' });
  await r.create('a', { credentials: {}, endpoint: 'http://explicit' }, { FERRY_A_ENDPOINT: 'http://127.0.0.1:1' });
  await r.create('a', { credentials: {} }, {});
  assert.deepEqual(seen, ['http://127.0.0.1:1', 'http://explicit', 'https://a']);
});
