/** Tolerant readers on DigitalOcean answers that leave out `available` (the spec's default: true) or close a region. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/digitalocean/index.js';
import { offersFromSizes, regionFromDo, sizeFromDo } from '../../../src/providers/digitalocean/mapping.js';
import { checkRegion, checkSize } from '../../../src/providers/digitalocean/preflight.js';
import { fixture } from './fixtures.js';

const AT = '2026-01-01T00:00:00.000Z';

function routes(map: Record<string, unknown>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    const body = map[url.pathname];
    assert.ok(body !== undefined, `unexpected request: ${url.pathname}`);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

test('a size without `available` (or null) is on sale; only false takes it off', () => {
  const { sizes } = fixture('sizes-without-available');
  const offers = offersFromSizes(sizes, AT);
  assert.deepEqual(offers.map((o) => `${o.plan}@${o.region}`), ['s-1vcpu-1gb@nyc1', 's-1vcpu-1gb@sfo3', 's-1vcpu-1gb@ams2', 's-2vcpu-4gb@nyc1', 's-2vcpu-4gb@ams2']);
  assert.equal(checkSize({ sizes }, 's-1vcpu-1gb').slug, 's-1vcpu-1gb');
  assert.throws(() => checkSize({ sizes }, 's-8vcpu-16gb'), UserError);
  assert.deepEqual(sizeFromDo({ ...sizes[0], regions: undefined }).regions, []);
});

test('regions marked unavailable are skipped; a region without `available` is open', () => {
  const { sizes } = fixture('sizes-without-available');
  const { regions } = fixture('regions-mixed');
  const offers = offersFromSizes(sizes, AT, regions);
  assert.ok(!offers.some((o) => o.region === 'ams2'), 'ams2 is closed');
  assert.ok(offers.some((o) => o.region === 'sfo3'), 'sfo3 leaves `available` out: open');
  assert.deepEqual(regions.map(regionFromDo).map((r: { available: boolean }) => r.available), [true, true, false]);
  assert.equal(checkRegion({ regions }, 'sfo3').slug, 'sfo3');
  assert.throws(() => checkRegion({ regions }, 'ams2'), UserError);
});

test('live offers come from the API even when no size says `available`', async () => {
  const p = createProvider({
    credentials: { token: 't' },
    endpoint: 'https://api.example',
    http: { fetch: routes({ '/v2/sizes': fixture('sizes-without-available'), '/v2/regions': fixture('regions-mixed') }), backoffMs: () => 0, budgets: new Map() },
  });
  const offers = await p.listOffers();
  assert.deepEqual(offers.map((o) => `${o.plan}@${o.region}`), ['s-1vcpu-1gb@nyc1', 's-1vcpu-1gb@sfo3', 's-2vcpu-4gb@nyc1']);
  assert.ok(offers.every((o) => o.source === 'live'));
});
