import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError, UserError, type Offer } from '../../src/core/index.js';
import { PlacementExhaustedError, place, saysOfferUnavailable, type AttemptReport } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

const cheap = offer({ plan: 'cx22', priceHourly: 0.006 });
const mid = offer({ plan: 'cx32', vcpus: 4, memoryGb: 8, priceHourly: 0.0109, priceMonthly: 6.8 });
const dear = offer({ plan: 'cx42', vcpus: 8, memoryGb: 16, priceHourly: 0.0263, priceMonthly: 16.4 });
const offers = [dear, cheap, mid];

const capacity = (o: Offer) => new ProviderError({ kind: 'capacity', provider: o.provider, message: `no capacity for ${o.plan} in ${o.region}` });
const quota = () => new ProviderError({ kind: 'quota', provider: 'hetzner', message: 'server limit reached' });

/** An attempt function failing per plan as scripted, recording the order it was called in. */
function scripted(failures: Record<string, (o: Offer) => Error>) {
  const tried: string[] = [];
  const fn = async (o: Offer) => {
    tried.push(o.plan);
    const f = failures[o.plan];
    if (f) throw f(o);
    return `server on ${o.plan}`;
  };
  return { fn, tried };
}

test('the cheapest matching offer is tried first and wins when it succeeds', async () => {
  const { fn, tried } = scripted({});
  const p = await place(offers, {}, fn);
  assert.equal(p.result, 'server on cx22');
  assert.deepEqual(tried, ['cx22']);
  assert.deepEqual(p.attempts.map((a) => a.outcome), ['placed']);
});

test('capacity and quota failures move to the next-cheapest offer, each attempt reported', async () => {
  const { fn, tried } = scripted({ cx22: capacity, cx32: quota });
  const reports: AttemptReport[] = [];
  const p = await place(offers, {}, fn, (r) => reports.push(r));
  assert.deepEqual(tried, ['cx22', 'cx32', 'cx42']);
  assert.equal(p.offer.plan, 'cx42');
  assert.deepEqual(
    reports.map((r) => [r.attempt, r.offer.plan, r.outcome, r.error]),
    [
      [1, 'cx22', 'capacity', 'no capacity for cx22 in fsn1'],
      [2, 'cx32', 'quota', 'server limit reached'],
      [3, 'cx42', 'placed', undefined],
    ],
  );
});

test('an authentication failure stops placement at once and is rethrown as itself', async () => {
  const auth = new ProviderError({ kind: 'authentication', provider: 'hetzner', status: 401, message: 'token rejected' });
  const { fn, tried } = scripted({ cx22: capacity, cx32: () => auth });
  const reports: AttemptReport[] = [];
  await assert.rejects(place(offers, {}, fn, { onAttempt: (r) => reports.push(r) }), (e) => e === auth);
  assert.deepEqual(tried, ['cx22', 'cx32']);
  assert.deepEqual(reports.map((r) => r.outcome), ['capacity', 'failed']);
});

test('"plan not available in this region" moves on; other invalid-config errors stop', async () => {
  const unavailable = new ProviderError({ kind: 'invalid_config', provider: 'digitalocean', status: 422, message: 'Size is not available in this region.' });
  const badImage = new ProviderError({ kind: 'invalid_config', provider: 'hetzner', status: 422, message: 'image "ubuntu-99.04" not found' });
  const moved = scripted({ cx22: () => unavailable });
  assert.equal((await place(offers, {}, moved.fn)).offer.plan, 'cx32');
  assert.equal((await place(offers, {}, moved.fn)).attempts[0]?.outcome, 'unavailable');

  const stopped = scripted({ cx22: () => badImage });
  await assert.rejects(place(offers, {}, stopped.fn), (e) => e === badImage);
  assert.deepEqual(stopped.tried, ['cx22']);

  assert.equal(saysOfferUnavailable(new UserError('server type cx22 is not available in fsn1'), cheap), true);
  assert.equal(saysOfferUnavailable(new UserError('ssh key "laptop" not found'), cheap), false);
  assert.equal(saysOfferUnavailable(new Error('size unavailable'), cheap), false);
});

test('exhausting every offer throws an error listing the attempts', async () => {
  const { fn } = scripted({ cx22: capacity, cx32: capacity, cx42: quota });
  await assert.rejects(place(offers, {}, fn), (e: unknown) => {
    assert.ok(e instanceof PlacementExhaustedError);
    assert.equal(e.kind, 'capacity');
    assert.equal(e.attempts.length, 3);
    assert.match(e.message, /tried all 3 matching offers/);
    assert.match(e.message, /1\. hetzner cx22 in fsn1 at €0\.0060\/h: capacity \(no capacity for cx22 in fsn1\)/);
    assert.match(e.message, /3\. hetzner cx42 in fsn1 at €0\.0263\/h: quota \(server limit reached\)/);
    return true;
  });
});

test('maxAttempts caps the offers tried; all-quota exhaustion has kind quota', async () => {
  const { fn, tried } = scripted({ cx22: quota, cx32: quota });
  await assert.rejects(place(offers, {}, fn, { maxAttempts: 2 }), (e: unknown) => {
    assert.ok(e instanceof PlacementExhaustedError);
    assert.equal(e.kind, 'quota');
    assert.match(e.message, /stopped after 2 attempts \(the cap; --max-attempts raises it\); 1 more offers matched/);
    return true;
  });
  assert.deepEqual(tried, ['cx22', 'cx32']);
  await assert.rejects(place(offers, {}, fn, { maxAttempts: 0 }), UserError);
});

test('constraints are applied and validated before any attempt', async () => {
  const { fn, tried } = scripted({});
  assert.equal((await place(offers, { minMemoryGb: 8 }, fn)).offer.plan, 'cx32');
  await assert.rejects(place(offers, { minCpu: -4 }, fn), UserError);
  await assert.rejects(place(offers, { minCpu: 64 }, fn), /no offer matches/);
  assert.deepEqual(tried, ['cx32']);
});

test('an aborted signal stops before the next attempt', async () => {
  const ctl = new AbortController();
  const fn = async (o: Offer): Promise<string> => {
    ctl.abort();
    throw capacity(o);
  };
  await assert.rejects(place(offers, {}, fn, { signal: ctl.signal }), (e: unknown) => ProviderError.is(e, 'cancelled'));
});

test('a stale catalog offer the driver refuses before sending (size not sold in the region, no longer sold) moves on', async () => {
  // The drivers' own preflight words, checked against their live lists before any create is sent.
  const { checkCreate } = await import('../../src/providers/digitalocean/preflight.js');
  const doOffer = offer({ provider: 'digitalocean', plan: 's-1vcpu-1gb', region: 'fra1', currency: 'USD' });
  const catalog = {
    regions: [{ slug: 'nyc1', name: 'New York 1', available: true }, { slug: 'fra1', name: 'Frankfurt 1', available: true }],
    sizes: [
      { slug: 's-1vcpu-1gb', available: true, regions: ['nyc1'] },
      { slug: 's-2vcpu-2gb', available: false, regions: [] },
    ],
    images: [],
  } as unknown as Parameters<typeof checkCreate>[1];
  const refused = async (size: string): Promise<unknown> => {
    try {
      await checkCreate({} as Parameters<typeof checkCreate>[0], catalog, { name: 'x', region: 'fra1', size, image: { kind: 'ubuntu', version: '24.04' } });
    } catch (err) {
      return err;
    }
    assert.fail('preflight accepted the offer');
  };
  const notSoldHere = await refused('s-1vcpu-1gb');
  const noLongerSold = await refused('s-2vcpu-2gb');
  const gone = await refused('s-9vcpu-9gb');
  for (const err of [notSoldHere, noLongerSold, gone]) {
    assert.ok(err instanceof UserError);
    assert.equal(saysOfferUnavailable(err, doOffer), true, (err as Error).message);
  }
  assert.equal(saysOfferUnavailable(new UserError('unknown hetzner size "cx21"', 'valid sizes: cx22'), cheap), true);
  assert.equal(saysOfferUnavailable(new UserError('unknown SSH key "laptop" on hetzner'), cheap), false);
  assert.equal(saysOfferUnavailable(new UserError('DigitalOcean has no image for ubuntu-99.04 ("ubuntu-99-04-x64")'), doOffer), false);
});

test('suppressed offers are not tried and are named when every other offer fails', async () => {
  const until = '2026-12-01T10:30:00.000Z';
  const { fn, tried } = scripted({ cx32: capacity });
  const suppressed = [{ provider: 'hetzner', plan: 'cx22', region: 'fsn1', reason: 'no capacity', until }];
  const p = await place(offers, {}, fn, { suppressed });
  assert.deepEqual(tried, ['cx32', 'cx42']);
  assert.equal(p.offer.plan, 'cx42');
  const all = scripted({ cx32: capacity, cx42: capacity });
  await assert.rejects(place(offers, {}, all.fn, { suppressed }), (e: unknown) => e instanceof PlacementExhaustedError && e.skipped.length === 1 && /skipped hetzner cx22 in fsn1: no capacity, suppressed until 2026-12-01T10:30:00.000Z/.test(e.message));
});

test('an attempt past its deadline is aborted and counted as a timeout; the next offer is tried', async () => {
  const signals: AbortSignal[] = [];
  const reports: AttemptReport[] = [];
  const p = await place(
    offers,
    {},
    (o, signal) => {
      signals.push(signal!);
      // The cheapest never answers until aborted; the next answers at once.
      if (o.plan !== 'cx22') return Promise.resolve(o.plan);
      return new Promise((_, reject) => signal!.addEventListener('abort', () => reject(new Error('aborted'))));
    },
    { attemptTimeoutMs: 20, onAttempt: (r) => reports.push(r) },
  );
  assert.equal(p.offer.plan, 'cx32');
  assert.deepEqual(reports.map((r) => r.outcome), ['timeout', 'placed']);
  assert.equal(signals[0]!.aborted, true);
  assert.match(reports[0]!.error ?? '', /no answer within 20 ms/);
  await assert.rejects(place(offers, {}, async () => 1, { attemptTimeoutMs: 0 }), (e: unknown) => e instanceof UserError && /--attempt-timeout must be > 0/.test(e.message));
});

test('attempts are capped at five by default', async () => {
  const many = Array.from({ length: 8 }, (_, i) => offer({ plan: `p${i}`, priceHourly: 0.01 + i / 1000, priceMonthly: 5 + i }));
  const { fn, tried } = scripted(Object.fromEntries(many.map((o) => [o.plan, capacity])));
  await assert.rejects(place(many, {}, fn), (e: unknown) => e instanceof PlacementExhaustedError && /stopped after 5 attempts .*; 3 more offers matched/.test(e.message));
  assert.equal(tried.length, 5);
});
