import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderError, UserError, type Offer } from '../../src/core/index.js';
import { Catalog, OfferCache, type PriceSource } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

/** A price source whose listOffers runs `impl` and counts calls. */
function source(name: string, impl: () => Promise<Offer[]>): PriceSource & { calls: number } {
  const s = {
    name,
    calls: 0,
    async listOffers() {
      s.calls++;
      return impl();
    },
  };
  return s;
}

function setup(t: { after: (fn: () => void) => void }, bundled: Record<string, Offer[]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-catalog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-03-01T00:00:00Z');
  const cache = new OfferCache({ dir, ttlMs: 3_600_000, now: () => now });
  const catalog = new Catalog({ cache, bundled: async (p) => (bundled[p] ? { snapshotDate: '2025-06-01', offers: bundled[p] } : null) });
  return { catalog, cache, advance: (ms: number) => (now += ms) };
}

const bundledRow = (provider: string) => offer({ provider, plan: 'old-plan', source: 'bundled', fetchedAt: '2025-06-01' });
const authFailure = (provider: string) => new ProviderError({ kind: 'authentication', provider, status: 401, message: 'token rejected' });

test('live prices are returned marked live and cached; the next call is served from the cache', async (t) => {
  const { catalog } = setup(t);
  const hz = source('hetzner', async () => [offer({ source: 'cache' })]);
  const first = await catalog.offers([hz]);
  assert.equal(first.providers[0]?.source, 'live');
  assert.equal(first.offers[0]?.source, 'live');
  assert.deepEqual(first.warnings, []);

  const second = await catalog.offers([hz]);
  assert.equal(hz.calls, 1);
  assert.equal(second.providers[0]?.source, 'cache');
  assert.equal(second.offers[0]?.plan, 'cx22');
});

test('an expired cache or refresh reads live prices again', async (t) => {
  const { catalog, advance } = setup(t);
  const hz = source('hetzner', async () => [offer()]);
  await catalog.offers([hz]);
  await catalog.offers([hz], { refresh: true });
  assert.equal(hz.calls, 2);
  advance(3_600_000);
  const r = await catalog.offers([hz]);
  assert.equal(hz.calls, 3);
  assert.equal(r.providers[0]?.source, 'live');
});

test('a live auth failure falls back to bundled prices with a warning naming the cause and date', async (t) => {
  const { catalog } = setup(t, { digitalocean: [bundledRow('digitalocean')] });
  const doSrc = source('digitalocean', async () => {
    throw authFailure('digitalocean');
  });
  const hz = source('hetzner', async () => [offer()]);
  const r = await catalog.offers([doSrc, hz]);
  assert.deepEqual(
    r.providers.map((p) => [p.provider, p.source]),
    [
      ['digitalocean', 'bundled'],
      ['hetzner', 'live'],
    ],
  );
  assert.equal(r.offers.find((o) => o.provider === 'digitalocean')?.source, 'bundled');
  assert.deepEqual(r.warnings, ['digitalocean: live prices unavailable (authentication failed: token rejected); using bundled prices of 2025-06-01']);
});

test('after a live failure a stale cache wins over the older bundled snapshot', async (t) => {
  const { catalog, advance } = setup(t, { hetzner: [bundledRow('hetzner')] });
  let fail = false;
  const hz = source('hetzner', async () => {
    if (fail) throw new ProviderError({ kind: 'network', provider: 'hetzner', message: 'ECONNRESET' });
    return [offer({ fetchedAt: '2026-03-01T00:00:00.000Z' })];
  });
  await catalog.offers([hz]);
  advance(2 * 3_600_000);
  fail = true;
  const r = await catalog.offers([hz]);
  assert.equal(r.providers[0]?.source, 'cache');
  assert.equal(r.offers[0]?.plan, 'cx22');
  assert.deepEqual(r.warnings, ['hetzner: live prices unavailable (network error: ECONNRESET); using cached prices from 2026-03-01T00:00:00.000Z']);
});

test('an empty live answer is reported as such: no bundled stand-in, nothing cached', async (t) => {
  const { catalog, cache } = setup(t, { hetzner: [bundledRow('hetzner')] });
  const r = await catalog.offers([source('hetzner', async () => [])]);
  assert.equal(r.providers[0]?.source, 'live');
  assert.deepEqual(r.offers, []);
  assert.deepEqual(r.warnings, ['hetzner: the provider answered with zero orderable offers; bundled prices not used']);
  assert.equal(await cache.read('hetzner'), null);
});

test('a provider with neither live nor bundled offers is an error keeping the failure kind', async (t) => {
  const { catalog } = setup(t);
  await assert.rejects(
    catalog.offers([source('vultr', async () => Promise.reject(authFailure('vultr')))]),
    (err: unknown) => ProviderError.is(err, 'authentication') && /no price catalog for vultr/.test(err.message),
  );
});

test('a bug in a driver (not a ProviderError) is rethrown, not hidden behind bundled prices', async (t) => {
  const { catalog } = setup(t, { hetzner: [bundledRow('hetzner')] });
  await assert.rejects(
    catalog.offers([source('hetzner', async () => Promise.reject(new TypeError('x is undefined')))]),
    TypeError,
  );
});

test('offline mode never calls providers: cache when present (stale flagged), else bundled', async (t) => {
  const { catalog, cache, advance } = setup(t, { digitalocean: [bundledRow('digitalocean')], hetzner: [bundledRow('hetzner')] });
  await cache.write('hetzner', [offer()]);
  const fresh = await catalog.offlineOffers(['hetzner', 'digitalocean']);
  assert.deepEqual(
    fresh.providers.map((p) => [p.provider, p.source]),
    [
      ['hetzner', 'cache'],
      ['digitalocean', 'bundled'],
    ],
  );
  assert.deepEqual(fresh.warnings, ['digitalocean: offline: bundled prices of 2025-06-01']);

  advance(2 * 3_600_000);
  const stale = await catalog.offlineOffers(['hetzner']);
  assert.equal(stale.providers[0]?.source, 'cache');
  assert.match(stale.warnings[0] ?? '', /^hetzner: offline; cached prices from .* are older than the cache TTL$/);

  await assert.rejects(catalog.offlineOffers(['vultr']), (err: unknown) => err instanceof UserError && /no offline price catalog for vultr/.test(err.message));
});

test('the default catalog falls back to the shipped snapshot', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-catalog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const catalog = new Catalog({ cache: new OfferCache({ dir }) });
  const r = await catalog.offers([source('hetzner', async () => Promise.reject(authFailure('hetzner')))]);
  assert.ok(r.offers.length > 10);
  assert.ok(r.offers.every((o) => o.provider === 'hetzner' && o.source === 'bundled'));
});
