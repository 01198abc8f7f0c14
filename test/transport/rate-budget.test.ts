import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, RateBudget, budgetFor, rateLimitedDelay, retryDelay } from '../../src/transport/index.js';
import { DIGITALOCEAN_RATE_LIMIT } from '../../src/providers/digitalocean/client.js';
import { HETZNER_RATE_LIMIT } from '../../src/providers/hetzner/client.js';
import { ProviderError } from '../../src/core/index.js';
import { strictFetch } from '../support/fake-fetch.js';

test('the budget follows the provider headers and makes callers wait for refill', async () => {
  let now = 0;
  const b = new RateBudget(1, () => now);
  b.observe({ limit: 3600, remaining: 1, refillPerSecond: 1 });
  await b.acquire(); // takes the last token
  assert.ok(b.snapshot().tokens < 1);
  now += 1000; // one second refills one token
  await b.acquire();
  assert.ok(b.snapshot().tokens < 1);
});

test('a bucket that refilled faster than estimated is used again: remaining raises the count, less what is in flight', async () => {
  let now = 0;
  const b = new RateBudget(1, () => now);
  // A full bucket says nothing of its rate: the estimate falls back to limit per hour.
  b.observe({ limit: 200, remaining: 3, refillPerSecond: undefined });
  for (let i = 0; i < 3; i++) await b.acquire();
  assert.ok(b.snapshot().tokens < 1, 'spent');
  b.settle();
  // The second request's answer: the server refilled to 150, and the third may not be counted yet.
  b.observe({ limit: 200, remaining: 150, refillPerSecond: undefined });
  b.settle();
  assert.equal(b.snapshot().tokens, 149, 'the server count stands, not 200/3600 per second');
});

test('remaining, rounded down by the server, never costs our fraction of a token', () => {
  let now = 0;
  const b = new RateBudget(1, () => now);
  b.observe({ limit: 50, remaining: 0, refillPerSecond: 1 });
  now += 1500; // 1.5 tokens by our count; the server says 1 (it rounds down)
  b.observe({ limit: 50, remaining: 1, refillPerSecond: 1 });
  assert.ok(Math.abs(b.snapshot().tokens - 1.5) < 1e-9);
  b.observe({ limit: 50, remaining: 0, refillPerSecond: 1 }); // more than one below: the server is right
  assert.equal(b.snapshot().tokens, 0);
});

test('a 429 blocks every caller of the account until Retry-After passes', () => {
  let now = 0;
  const b = new RateBudget(1, () => now);
  b.block(5_000);
  assert.equal(b.snapshot().blockedUntil, 5_000);
  now = 6_000;
  assert.ok(b.snapshot().blockedUntil <= now);
});

test('a time-scaled server shrinks waits: 1 emulated second per token at scale 1000 is 1 ms', () => {
  let now = 0;
  const b = new RateBudget(1000, () => now);
  b.observe({ limit: 3600, remaining: 0, refillPerSecond: 1 });
  now += 1;
  assert.ok(Math.abs(b.snapshot().tokens - 1) < 1e-9);
});

test('two clients of one account share one budget; another account has its own', async () => {
  const pool = new Map<string, unknown>();
  const mk = (token: string) => {
    const f = strictFetch([{ method: 'GET', path: '/a', respond: { status: 200, body: {}, headers: { 'ratelimit-limit': '3600', 'ratelimit-remaining': '7' } } }]);
    return new HttpClient({
      provider: 'hetzner',
      baseUrl: 'https://api.test',
      timeoutMs: 1000,
      auth: { kind: 'bearer', token },
      rateLimit: HETZNER_RATE_LIMIT,
      parseError: () => ({ message: 'x' }),
      http: { fetch: f.fetch, budgets: pool },
    });
  };
  await mk('token-A').get('/a');
  await mk('token-A').get('/a');
  await mk('token-B').get('/a');
  assert.equal(pool.size, 2, 'one budget per account');
  assert.equal(budgetFor(pool, [...pool.keys()][0]!, 1), [...pool.values()][0]);
});

test('retry policy: pure decisions', () => {
  const policy = { maxRetries: 2, backoffMs: (n: number) => 100 * (n + 1), random: () => 0 };
  const e = (kind: ConstructorParameters<typeof ProviderError>[0]['kind'], extra = {}) => new ProviderError({ kind, message: 'x', ...extra });
  assert.equal(retryDelay(e('rate_limited', { retryAfterMs: 700 }), 0, false, policy), 700);
  assert.equal(retryDelay(e('rate_limited'), 1, false, policy, 1), 200);
  assert.notEqual(retryDelay(e('rate_limited'), 9, false, policy, 9), null, '429s do not count against maxRetries');
  assert.equal(retryDelay(e('rate_limited'), 40, false, { ...policy, maxRateLimitedRetries: 30 }, 30), null, 'but they are bounded too');
  assert.equal(retryDelay(e('network'), 0, true, policy), 100);
  assert.equal(retryDelay(e('network'), 0, false, policy), null, 'an ambiguous POST is not retried');
  assert.equal(retryDelay(e('network', { sent: false }), 0, false, policy), 100);
  assert.equal(retryDelay(e('authentication'), 0, true, policy), null);
  assert.equal(retryDelay(e('network'), 2, true, policy), null, 'stops at maxRetries');
});

test('Hetzner style reads the refill rate from RateLimit-Reset against the server Date, once enough is spent', () => {
  const date = new Date('2026-01-01T00:00:00Z');
  const at = (remaining: number, resetInS: number) =>
    HETZNER_RATE_LIMIT(
      new Headers({ 'ratelimit-limit': '50', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': String(date.getTime() / 1000 + resetInS), date: date.toUTCString() }),
    );
  assert.deepEqual(at(0, 50), { limit: 50, remaining: 0, refillPerSecond: 1 });
  assert.equal(at(45, 5)?.refillPerSecond, undefined, 'too little spent to trust whole-second rounding');
  assert.equal(HETZNER_RATE_LIMIT(new Headers()), undefined);
});

test('a crowd of callers leaves one by one at the refill rate, in ticket order', async () => {
  let now = 0;
  const b = new RateBudget(1, () => now);
  b.observe({ limit: 10, remaining: 0, refillPerSecond: 1000 }); // one token per ms
  const order: number[] = [];
  const waiters = [0, 1, 2].map((i) => b.acquire().then(() => order.push(i)));
  now = 3; // enough for all three
  await Promise.all(waiters);
  assert.deepEqual(order, [0, 1, 2]);
});

test('a caller cancelled while queued gives its slot back to the queue', async () => {
  let now = 0;
  const b = new RateBudget(1, () => now);
  b.observe({ limit: 10, remaining: 0, refillPerSecond: 1000 });
  const ac = new AbortController();
  const cancelled = b.acquire(ac.signal).catch((e: unknown) => e);
  const next = b.acquire(AbortSignal.timeout(2_000)); // a lost slot would leave it waiting: fail, do not hang
  ac.abort();
  assert.ok(ProviderError.is(await cancelled, 'cancelled'));
  now = 1; // one token's worth of time: enough for the second caller only if the first gave its slot back
  await next;
  assert.ok(b.snapshot().tokens >= -1e-9, 'nothing owed after the refund');
});

test('retries after a 429 grow past Retry-After and are spread by jitter, never in lockstep', () => {
  let seed = 0;
  const random = () => ((seed = (seed * 9301 + 49297) % 233280) / 233280);
  const waits = Array.from({ length: 200 }, () => rateLimitedDelay(2_000, 0, () => 0, random));
  assert.ok(waits.every((w) => w >= 2_000 && w <= 2_000 * 1.125), 'never before Retry-After');
  // 200 callers over a 250 ms spread: at most a handful land on the same millisecond.
  const perMs = new Map<number, number>();
  for (const w of waits) perMs.set(Math.round(w), (perMs.get(Math.round(w)) ?? 0) + 1);
  assert.ok(Math.max(...perMs.values()) <= 5, 'a crowd refused together comes back apart');
  assert.ok(Math.max(...waits) - Math.min(...waits) > 2_000 * 0.1, 'spread over a tenth of Retry-After at least');
  const third = rateLimitedDelay(2_000, 2, () => 0, () => 0.5);
  assert.ok(third > rateLimitedDelay(2_000, 0, () => 0, () => 0.5), 'each 429 in a row waits longer');
});

test('a 429 lowers the budget: a documented window drops its estimate and the block ends for each caller at its own time', async () => {
  let now = 0;
  const randoms = [0.1, 0.9];
  const b = new RateBudget(1, () => now, () => randoms.shift() ?? 0.5);
  b.observe({ limit: 5000, remaining: 4000, refillPerSecond: 5000 / 3600, windows: [{ limit: 250, windowMs: 60_000 }] });
  for (let i = 0; i < 10; i++) await b.acquire();
  assert.deepEqual(b.snapshot().windows, [{ limit: 250, used: 10 }]);
  now = 1;
  b.block(4_000);
  assert.equal(b.snapshot().windows[0]!.limit, 225, 'the window estimate drops by a tenth');
  assert.equal(b.snapshot().blockedUntil, 4_001);
  // Two callers held by the block: real timers, so only their order is checked, with waits kept tiny.
  now = 4_001;
  await b.acquire();
  assert.equal(b.rateLimited, 1);
});

test('a window of the budget holds requests once its documented count is spent (time-scaled)', async () => {
  let now = 0;
  const b = new RateBudget(1000, () => now);
  b.observe({ limit: 5000, remaining: 5000, refillPerSecond: undefined, windows: [{ limit: 3, windowMs: 60_000 }] });
  for (let i = 0; i < 3; i++) await b.acquire();
  let fourth = false;
  const p = b.acquire(AbortSignal.timeout(10_000)).then(() => (fourth = true)); // fail, never hang
  await new Promise((ok) => setTimeout(ok, 5));
  assert.equal(fourth, false, 'the fourth waits for the window');
  now = 62; // 60 emulated seconds at ×1000, plus the budget's 2 % margin
  await p;
  assert.equal(fourth, true);
});

test('DigitalOcean style reads both limits; a burst 429 says nothing of the hour', () => {
  const ok = DIGITALOCEAN_RATE_LIMIT(new Headers({ 'ratelimit-limit': '5000', 'ratelimit-remaining': '4990', 'ratelimit-reset': '1700000000' }));
  assert.deepEqual(ok, { limit: 5000, remaining: 4990, refillPerSecond: 5000 / 3600, windows: [{ limit: 250, windowMs: 60_000 }] });
  const burst = DIGITALOCEAN_RATE_LIMIT(new Headers({ 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'retry-after': '29' }));
  assert.equal(burst?.remaining, undefined);
});
