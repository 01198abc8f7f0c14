/**
 * The emulator engine on its own: router, fault specs, token buckets on a fake clock, and
 * serveApi on a tiny fake EmulatedApi (so what is tested is the engine, not a provider).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  parseFaultSpec,
  PathRouter,
  placementFaults,
  scaledClock,
  seededRandom,
  serveApi,
  RateLimiter,
  type Clock,
  type EmulatedApi,
  type EmulatorContext,
  type Exchange,
  type FaultSpec,
  type RateLimitPolicy,
  type ServedApi,
} from '../../src/emulator/engine/index.js';
import { emulatedProviders, startEmulator } from '../../src/emulator/index.js';
import { withDefaults } from '../../src/providers/registry.js';

// ---------------------------------------------------------------- router

test('router: literal segments beat :params whatever the registration order; params are decoded', () => {
  const r = new PathRouter();
  const byId = () => ({ status: 200, body: 'by-id' });
  const actions = () => ({ status: 200, body: 'actions' });
  r.on('GET', '/v1/servers/:id', byId);
  r.on('get', '/v1/servers/actions', actions);
  r.on('GET', '/v1/servers/:id/actions/:action', byId);

  const a = r.match('GET', '/v1/servers/actions');
  assert.ok(a && a !== 'method_not_allowed');
  assert.equal(a.handler, actions);
  assert.deepEqual(a.params, {});

  const b = r.match('get', '/v1/servers/42');
  assert.ok(b && b !== 'method_not_allowed');
  assert.equal(b.handler, byId);
  assert.deepEqual(b.params, { id: '42' });

  const c = r.match('GET', '/v1/servers/web%201/actions/7/');
  assert.ok(c && c !== 'method_not_allowed');
  assert.deepEqual(c.params, { id: 'web 1', action: '7' });
});

test('router: an earlier literal segment outranks a later one; unknown paths and wrong methods are told apart', () => {
  const r = new PathRouter();
  const late = () => ({ status: 200, body: 'late-literal' });
  const early = () => ({ status: 200, body: 'early-literal' });
  r.on('GET', '/a/:x/c', late);
  r.on('GET', '/a/b/:y', early);
  const m = r.match('GET', '/a/b/c');
  assert.ok(m && m !== 'method_not_allowed');
  assert.equal(m.handler, early);
  assert.deepEqual(m.params, { y: 'c' });
  const other = r.match('GET', '/a/z/c');
  assert.ok(other && other !== 'method_not_allowed');
  assert.equal(other.handler, late);
  assert.deepEqual(other.params, { x: 'z' });

  assert.equal(r.match('DELETE', '/a/b/c'), 'method_not_allowed');
  assert.equal(r.match('GET', '/a/b'), undefined, 'segment count must match');
  assert.equal(r.match('GET', '/nowhere'), undefined);
});

// ---------------------------------------------------------------- fault specs

test('parseFaultSpec reads every key, placement faults with wildcards, and blank input', () => {
  assert.deepEqual(
    parseFaultSpec('5xx=0.1, 429=0.05,reset=0.02,slow=0.1,slowMs=200,capacity=hetzner:fsn1:cx22,quota=digitalocean:*:s-1vcpu-1gb,capacity=proxmox'),
    {
      error5xx: 0.1,
      rate429: 0.05,
      resetAfterCommit: 0.02,
      slow: 0.1,
      slowMs: 200,
      capacity: [{ provider: 'hetzner', region: 'fsn1', size: 'cx22' }, { provider: 'proxmox' }],
      quota: [{ provider: 'digitalocean', size: 's-1vcpu-1gb' }],
    },
  );
  assert.deepEqual(parseFaultSpec(''), {});
  assert.deepEqual(parseFaultSpec(' , '), {});
  assert.deepEqual(parseFaultSpec('SLOWMS=1500,5XX=1,429=0'), { slowMs: 1500, error5xx: 1, rate429: 0 });
});

test('parseFaultSpec rejects bad input with errors that name the part and the valid keys', () => {
  const cases: [string, RegExp][] = [
    ['5xx', /fault "5xx" is not key=value; keys: (?=[^;]*\b5xx\b)(?=[^;]*\b429\b)(?=[^;]*\breset\b)(?=[^;]*\bslowms\b)[^;]*capacity, quota$/],
    ['teapot=0.1', /fault "teapot=0.1" is not valid; keys: (?=[^;]*\b5xx\b)(?=[^;]*\b429\b)[^;]*capacity, quota; rates are 0\.\.1/],
    ['5xx=1.5', /fault "5xx=1.5" is not valid.*rates are 0\.\.1/],
    ['429=-0.1', /fault "429=-0.1" is not valid/],
    ['reset=often', /fault "reset=often" is not valid/],
    ['slowMs=-5', /fault "slowMs=-5" is not valid/],
    ['capacity=', /fault "capacity=" needs provider\[:region\[:size\]\]/],
    ['quota=:fsn1', /fault "quota=:fsn1" needs provider/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseFaultSpec(text), message, text);
});

test('placementFaults match one provider, optionally one region and one size', () => {
  const spec = parseFaultSpec('capacity=hetzner:fsn1,quota=hetzner:*:cx52,capacity=digitalocean');
  const h = placementFaults(spec, 'hetzner');
  assert.equal(h.capacity('fsn1', 'cx22'), true);
  assert.equal(h.capacity('nbg1', 'cx22'), false);
  assert.equal(h.quota('nbg1', 'cx52'), true);
  assert.equal(h.quota('nbg1', 'cx22'), false);
  const p = placementFaults(spec, 'proxmox');
  assert.equal(p.capacity('fsn1', 'cx22'), false);
  assert.equal(p.quota('pve1', ''), false);
  assert.equal(placementFaults(spec, 'digitalocean').capacity('any', 'thing'), true);
});

test('a capacity fault with room makes that many servers, then refuses; a question (0) uses none of it', () => {
  const h = placementFaults(parseFaultSpec('capacity=hetzner:*:cx22:3'), 'hetzner');
  assert.equal(h.capacity('fsn1', 'cx22', 0), false);
  assert.equal(h.capacity('fsn1', 'cx22', 2), false);
  assert.equal(h.capacity('nbg1', 'cx22', 2), true, 'two more do not fit in the one left, and nothing is used');
  assert.equal(h.capacity('nbg1', 'cx22'), false);
  assert.equal(h.capacity('fsn1', 'cx22'), true);
  assert.equal(h.capacity('fsn1', 'cx22', 0), true);
  assert.equal(h.capacity('fsn1', 'cx32'), false);
  assert.equal(placementFaults(parseFaultSpec('capacity=hetzner:*:cx22:3'), 'hetzner').capacity('fsn1', 'cx22', 3), false, 'each API has its own room');
  assert.throws(() => parseFaultSpec('quota=hetzner:*:cx22:3'), /needs provider\[:region\[:size\]\]$/);
  assert.throws(() => parseFaultSpec('capacity=hetzner:*:cx22:x'), /\[:room\]/);
});

// ---------------------------------------------------------------- clock and buckets

function fakeClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, iso: (ms?: number) => new Date(ms ?? now).toISOString(), scale: 1, advance: (ms) => (now += ms) };
}

test('scaledClock runs scale times faster than its real clock; seededRandom repeats per seed', () => {
  let real = 0;
  const c = scaledClock(1000, () => real, 1_000_000);
  assert.equal(c.now(), 1_000_000);
  real = 40; // 40 real ms
  assert.equal(c.now(), 1_040_000); // 40 emulated seconds
  assert.equal(c.iso(0), '1970-01-01T00:00:00.000Z');
  assert.equal(c.scale, 1000);
  assert.throws(() => scaledClock(0), RangeError);
  assert.throws(() => scaledClock(-2), /time scale must be positive/);

  const a = seededRandom(42);
  const b = seededRandom(42);
  const seqA = Array.from({ length: 5 }, a);
  assert.deepEqual(Array.from({ length: 5 }, b), seqA);
  assert.ok(seqA.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(Array.from({ length: 5 }, seededRandom(43)), seqA);
});

test('RateLimiter bucket: per-key buckets that empty, say how long to wait, and refill on the clock up to capacity', () => {
  const clock = fakeClock();
  const b = new RateLimiter({ limits: [{ kind: 'bucket', capacity: 3, refillPerSecond: 2 }] }, clock);
  const t0 = clock.now();
  const first = b.take('a');
  assert.deepEqual([first.allowed, first.states[0]!.remaining, first.states[0]!.resetAtMs, first.retryAfterMs], [true, 2, t0 + 500, 0]);
  assert.equal(b.take('a').states[0]!.remaining, 1);
  assert.equal(b.take('a').states[0]!.remaining, 0);
  const denied = b.take('a');
  assert.deepEqual([denied.allowed, denied.states[0]!.remaining, denied.states[0]!.resetAtMs, denied.retryAfterMs], [false, 0, t0 + 1500, 500]);
  assert.equal(b.take('b').allowed, true, 'another key has its own bucket');

  clock.advance(250); // half a token back
  const half = b.take('a');
  assert.equal(half.allowed, false);
  assert.equal(half.retryAfterMs, 250);
  clock.advance(250); // one whole token
  assert.equal(b.take('a').allowed, true);
  assert.equal(b.take('a').allowed, false);

  clock.advance(60_000); // long idle: refilled, but never above capacity
  const full = b.take('a');
  assert.deepEqual([full.allowed, full.states[0]!.remaining], [true, 2]);
});

test('RateLimiter windows: an hourly sliding window and a per-minute cycle both hold; a refused request is charged to neither', () => {
  const clock = fakeClock();
  const b = new RateLimiter(
    {
      limits: [
        { kind: 'window', limit: 5, windowMs: 3_600_000, sliding: true },
        { kind: 'window', limit: 2, windowMs: 60_000, sliding: false },
      ],
    },
    clock,
  );
  const t0 = clock.now();
  assert.equal(b.take('a').allowed, true);
  clock.advance(1000);
  const second = b.take('a');
  assert.deepEqual(second.states.map((s) => s.remaining), [3, 0]);
  assert.equal(second.states[0]!.resetAtMs, t0 + 3_600_000, 'the hour resets when the oldest request expires');
  const third = b.take('a');
  assert.equal(third.allowed, false, 'the minute is spent');
  assert.equal(third.retryAfterMs, 59_000, 'until the minute cycle ends');
  assert.deepEqual(third.states.map((s) => s.allowed), [true, false]);
  clock.advance(59_000);
  assert.equal(b.take('a').allowed, true);
  assert.equal(b.take('a').allowed, true);
  clock.advance(60_000);
  assert.equal(b.take('a').allowed, true, 'fifth of the hour');
  const over = b.take('a');
  assert.equal(over.allowed, false, 'the hour is spent though the minute has room');
  assert.equal(over.retryAfterMs, 3_600_000 - 120_000, 'until the oldest request is an hour old');
});

test('RateLimiter scopes: a rule may count per operation and skip what it does not cover', () => {
  const clock = fakeClock();
  const createsOnly = (req: { method: string }) => (req.method === 'POST' ? 'create' : undefined);
  const b = new RateLimiter({ limits: [{ kind: 'window', limit: 1, windowMs: 15_000, sliding: false, scope: createsOnly as never }] }, clock);
  const req = (method: string) => ({ method }) as never;
  assert.equal(b.take('a', req('POST')).allowed, true);
  assert.equal(b.take('a', req('POST')).allowed, false);
  assert.equal(b.take('a', req('GET')).allowed, true, 'reads are not metered by the create rule');
});

// ---------------------------------------------------------------- serveApi on a fake API

interface Fake {
  served: ServedApi;
  items: Map<string, { id: string; name: string }>;
  exchanges: Exchange[];
  clock: ReturnType<typeof fakeClock>;
  call(method: string, path: string, o?: { token?: string; body?: string; type?: string }): Promise<Response>;
}

const LIMIT_HEADERS = (s: { limit: number; remaining: number; resetAtMs: number }) => ({
  'x-limit': String(s.limit),
  'x-remaining': String(s.remaining),
  'x-reset': String(Math.ceil(s.resetAtMs / 1000)),
});

function fakeApi(items: Fake['items']): EmulatedApi {
  let next = 1;
  return {
    name: 'fake',
    register(r) {
      r.on('GET', '/things', () => ({ status: 200, body: { things: [...items.values()] } }));
      r.on('POST', '/things', (req) => {
        const id = String(next++);
        const thing = { id, name: String(req.body?.name ?? 'unnamed') };
        items.set(id, thing);
        return { status: 201, body: { thing } };
      });
      r.on('GET', '/things/:id', (req) => {
        const t = items.get(req.params.id!);
        return t ? { status: 200, body: { thing: t } } : { status: 404, body: { error: { code: 'not_found', message: 'no such thing' } } };
      });
      r.on('GET', '/boom', () => {
        throw new Error('handler exploded');
      });
    },
    authenticate: (req) => !!req.token && !req.token.startsWith('invalid'),
    errorResponse: (status, code, message) => ({ status, body: { error: { code, message } }, headers: { 'x-fake-error': code } }),
    rateLimit: { limits: [{ kind: 'bucket', capacity: 3, refillPerSecond: 1 }], headers: LIMIT_HEADERS },
  };
}

async function serveFake(t: TestContext, faults: FaultSpec = {}, rateLimit?: RateLimitPolicy | null): Promise<Fake> {
  const items: Fake['items'] = new Map();
  const exchanges: Exchange[] = [];
  const clock = fakeClock();
  const ctx: EmulatorContext = {
    clock,
    faults: placementFaults(faults, 'fake'),
    random: seededRandom(5),
    config: { bootMs: 1000, ipDelayMs: 1000, actionMs: 1000, orderMs: 1000, installMs: 1000 },
    schedule: () => {},
  };
  const served = await serveApi(fakeApi(items), ctx, {
    host: '127.0.0.1',
    port: 0,
    faults,
    ...(rateLimit === undefined ? {} : { rateLimit }),
    observe: (x) => exchanges.push(x),
  });
  t.after(() => served.close());
  return {
    served,
    items,
    exchanges,
    clock,
    call: (method, path, o = {}) =>
      fetch(`${served.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${o.token ?? 'good-token'}`,
          ...(o.body === undefined ? {} : { 'content-type': o.type ?? 'application/json' }),
        },
        body: o.body,
      }),
  };
}

test('serveApi: routes with params, JSON and form bodies, the API\'s own errors, and every exchange observed', async (t) => {
  const f = await serveFake(t, {}, null);
  assert.match(f.served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const made = await f.call('POST', '/things', { body: JSON.stringify({ name: 'one' }) });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get('date'), new Date(f.clock.now()).toUTCString(), 'the Date header is the emulated clock');
  assert.deepEqual(await made.json(), { thing: { id: '1', name: 'one' } });
  const form = await f.call('POST', '/things', { body: 'name=two', type: 'application/x-www-form-urlencoded' });
  assert.deepEqual(await form.json(), { thing: { id: '2', name: 'two' } });
  const got = await f.call('GET', '/things/2?verbose=1');
  assert.deepEqual(await got.json(), { thing: { id: '2', name: 'two' } });
  assert.equal((await f.call('GET', '/things/99')).status, 404);
  assert.deepEqual(
    f.exchanges.map((x) => [x.method, x.path, x.query, x.status, x.reset]),
    [
      ['POST', '/things', '', 201, false],
      ['POST', '/things', '', 201, false],
      ['GET', '/things/2', '?verbose=1', 200, false],
      ['GET', '/things/99', '', 404, false],
    ],
  );
  assert.deepEqual(f.exchanges[1]!.requestBody, { name: 'two' });
  assert.deepEqual(f.exchanges[0]!.responseBody, { thing: { id: '1', name: 'one' } });
  assert.equal(f.served.requestCount(), 4);
});

test('serveApi: unknown route 404, wrong method 405, invalid JSON 400 and a failing handler 500, each in the API\'s error format', async (t) => {
  const f = await serveFake(t, {}, null);
  const nowhere = await f.call('GET', '/nowhere');
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.headers.get('x-fake-error'), 'not_found');
  assert.deepEqual(await nowhere.json(), { error: { code: 'not_found', message: 'no route for GET /nowhere' } });

  const wrong = await f.call('DELETE', '/things');
  assert.equal(wrong.status, 405);
  assert.equal(((await wrong.json()) as any).error.code, 'method_not_allowed');

  const bad = await f.call('POST', '/things', { body: '{"name": "unterminated' });
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: { code: 'invalid_input', message: 'request body is not valid JSON' } });
  assert.equal(f.items.size, 0, 'the handler never ran');

  const boom = await f.call('GET', '/boom');
  assert.equal(boom.status, 500);
  assert.deepEqual(await boom.json(), { error: { code: 'server_error', message: 'emulator failure: handler exploded' } });
});

test('serveApi: a refused credential is a 401 through the API\'s errorResponse, before rate limits and handlers', async (t) => {
  const f = await serveFake(t);
  for (let i = 0; i < 5; i++) {
    const res = await f.call('POST', '/things', { token: 'invalid-token', body: '{"name":"x"}' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('x-fake-error'), 'unauthorized');
    assert.deepEqual(await res.json(), { error: { code: 'unauthorized', message: 'unable to authenticate' } });
  }
  const noHeader = await fetch(`${f.served.url}/things`);
  assert.equal(noHeader.status, 401);
  assert.equal(f.items.size, 0);
  // 401s took no tokens: the bucket of three is still full.
  const ok = await f.call('GET', '/things');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('x-remaining'), '2');
});

test('serveApi: the rate limit answers 429 with Retry-After and the policy headers, and lets requests through again as the clock refills', async (t) => {
  const f = await serveFake(t);
  const remaining: (string | null)[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await f.call('GET', '/things');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-limit'), '3');
    remaining.push(res.headers.get('x-remaining'));
  }
  assert.deepEqual(remaining, ['2', '1', '0']);
  const limited = await f.call('POST', '/things', { body: '{"name":"late"}' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.equal(limited.headers.get('x-remaining'), '0');
  assert.equal(limited.headers.get('x-limit'), '3');
  assert.equal(limited.headers.get('x-reset'), String(Math.ceil((f.clock.now() + 3000) / 1000)));
  assert.deepEqual(await limited.json(), { error: { code: 'rate_limit_exceeded', message: 'rate limit exceeded' } });
  assert.equal(f.items.size, 0, 'a limited create changes nothing');
  assert.equal((await f.call('GET', '/things', { token: 'other-account' })).status, 200, 'another token has its own budget');

  f.clock.advance(1000);
  assert.equal((await f.call('POST', '/things', { body: '{"name":"later"}' })).status, 201);
  assert.equal(f.items.size, 1);
  assert.equal(f.served.requestCount(), 6, 'every request counted, the limited one included');
});

test('serveApi: injected 5xx and 429 answer before the handler, so state is unchanged', async (t) => {
  const five = await serveFake(t, { error5xx: 1 });
  const res = await five.call('POST', '/things', { body: '{"name":"never"}' });
  assert.equal(res.status, 503);
  assert.match(((await res.json()) as any).error.message, /injected/);
  assert.ok(res.headers.get('x-limit'), 'the policy headers come with it');
  assert.equal(five.items.size, 0);

  const limited = await serveFake(t, { rate429: 1 });
  const r = await limited.call('POST', '/things', { body: '{"name":"never"}' });
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '1');
  assert.equal(r.headers.get('x-limit'), '3');
  assert.equal(((await r.json()) as any).error.code, 'rate_limit_exceeded');
  assert.equal(limited.items.size, 0);
  assert.deepEqual(limited.exchanges.map((x) => [x.status, x.reset]), [[429, false]]);
});

test('serveApi: a reset after commit applies the change, then cuts the connection (reads are never cut)', async (t) => {
  const f = await serveFake(t, { resetAfterCommit: 1 });
  await assert.rejects(f.call('POST', '/things', { body: '{"name":"applied"}' }), TypeError);
  assert.deepEqual([...f.items.values()], [{ id: '1', name: 'applied' }], 'the create happened');
  assert.equal(f.exchanges.length, 1);
  assert.deepEqual([f.exchanges[0]!.status, f.exchanges[0]!.reset], [201, true]);
  assert.deepEqual(f.exchanges[0]!.responseBody, { thing: { id: '1', name: 'applied' } });
  const list = await f.call('GET', '/things');
  assert.equal(list.status, 200);
  assert.deepEqual(await list.json(), { things: [{ id: '1', name: 'applied' }] });
});

test('serveApi: slow responses still answer correctly', async (t) => {
  const f = await serveFake(t, { slow: 1, slowMs: 5 });
  const res = await f.call('POST', '/things', { body: '{"name":"slow"}' });
  assert.equal(res.status, 201);
  assert.equal(f.items.size, 1);
});

// ---------------------------------------------------------------- startEmulator

/** Two consecutive free loopback ports (asked of the OS, then released). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ok = await Promise.all([base, base + 1].map(portFree));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no two consecutive free ports');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

test('startEmulator: basePort + i per provider in the given order, requestCounts per API, timeScale reported', async (t) => {
  let emu: Awaited<ReturnType<typeof startEmulator>> | undefined;
  let base = 0;
  for (let attempt = 0; !emu; attempt++) {
    base = await freePortPair();
    try {
      emu = await startEmulator({ providers: ['hetzner', 'digitalocean'], basePort: base, timeScale: 500 });
    } catch (err) {
      if (attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  const e = emu;
  t.after(() => e.close());
  assert.deepEqual(e.urls, { hetzner: `http://127.0.0.1:${base}`, digitalocean: `http://127.0.0.1:${base + 1}` });
  assert.equal(e.timeScale, 500);
  assert.deepEqual(e.requestCounts(), { hetzner: 0, digitalocean: 0 });
  const auth = { authorization: 'Bearer engine-test-token' };
  assert.equal((await fetch(`${e.urls.digitalocean}/v2/regions`, { headers: auth })).status, 200);
  assert.equal((await fetch(`${e.urls.digitalocean}/v2/sizes`, { headers: auth })).status, 200);
  assert.equal((await fetch(`${e.urls.hetzner}/v1/locations`, { headers: auth })).status, 200);
  assert.equal((await fetch(`${e.urls.hetzner}/v1/locations`)).status, 401);
  assert.deepEqual(e.requestCounts(), { hetzner: 2, digitalocean: 2 });
});

test('startEmulator: all providers by default on free ports; unknown providers and bad fault strings are clear errors', async (t) => {
  const e = await startEmulator({ faults: '5xx=0,slowMs=1' });
  t.after(() => e.close());
  assert.deepEqual(Object.keys(e.urls).sort(), [...emulatedProviders()].sort());
  assert.deepEqual(emulatedProviders(), withDefaults().implementedProviders().sort(), 'an emulator per implemented driver, none more');
  assert.equal(new Set(Object.values(e.urls)).size, emulatedProviders().length, 'one port per provider');

  await assert.rejects(
    startEmulator({ providers: ['hetzner', 'nimbus', 'acme-cloud'] }),
    new RegExp(`^Error: no emulator for nimbus, acme-cloud; emulated: ${emulatedProviders().join(', ')}$`),
  );
  await assert.rejects(startEmulator({ providers: ['hetzner'], faults: '5xx=lots' }), /fault "5xx=lots" is not valid/);
});
