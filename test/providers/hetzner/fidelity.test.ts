/**
 * Tolerant readers on Hetzner's real answers, older and newer: the 2024 /server_types without
 * `locations`, the `deprecation` object, /datacenters availability and the primary IPv4 from /pricing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError, type Offer } from '../../../src/core/index.js';
import { availabilityFrom } from '../../../src/providers/hetzner/catalog.js';
import { createProvider } from '../../../src/providers/hetzner/index.js';
import { ipv4PricesFrom, serverTypeOffers, serverTypeToSize } from '../../../src/providers/hetzner/mapping.js';
import { fixture } from './fixtures.js';

const AT = '2026-01-01T00:00:00.000Z';
const older = () => fixture('older/list-server-types-2024').server_types;

/** Answers by path, in any order; an unexpected request fails the test. */
function routes(map: Record<string, unknown>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    const body = map[url.pathname];
    assert.ok(body !== undefined, `unexpected request: ${url.pathname}`);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

const provider = (f: typeof fetch) =>
  createProvider({ credentials: { token: 't' }, endpoint: 'https://api.example/v1', http: { fetch: f, backoffMs: () => 0, budgets: new Map() } });

test('2024 server types (no `locations`): sizes and offers read the prices, the deprecated type is left out', () => {
  const [cx22, , , cx11] = older();
  assert.deepEqual(serverTypeToSize(cx22).regions, ['fsn1', 'nbg1']);
  assert.deepEqual(serverTypeOffers(cx22, AT).map((o) => [o.region, o.priceHourly, o.priceMonthly]), [['fsn1', 0.006, 3.79], ['nbg1', 0.006, 3.79]]);
  assert.deepEqual(serverTypeOffers(cx11, AT), []);
});

test('a type carrying only the deprecation object (deprecated null) is not offered', () => {
  const [cx22] = older();
  const phasedOut = { ...cx22, deprecated: null, deprecation: { announced: '2025-06-01T00:00:00+00:00', unavailable_after: '2025-09-01T00:00:00+00:00' } };
  assert.deepEqual(serverTypeOffers(phasedOut, AT), []);
  assert.equal(serverTypeToSize(phasedOut).priceHourly, null);
  const noDeprecationField = { ...cx22 };
  delete noDeprecationField.deprecation;
  assert.equal(serverTypeOffers(noDeprecationField, AT).length, 2);
});

test('a server type without a prices list is a ProviderError, not a TypeError', () => {
  const [cx22] = older();
  for (const prices of [undefined, null, 'n/a']) {
    assert.throws(() => serverTypeOffers({ ...cx22, prices }, AT), (e: unknown) => e instanceof ProviderError && e.kind === 'api');
  }
});

test('offers: only pairs a datacenter of the location lists as available; net prices; the primary IPv4 as an extra', () => {
  const availability = availabilityFrom(fixture('list-datacenters').datacenters);
  const ipv4 = ipv4PricesFrom(fixture('get-pricing').pricing);
  const offers: Offer[] = older().flatMap((t: any) => serverTypeOffers(t, AT, availability, ipv4));
  // cax11 is priced in ash but no ash datacenter takes orders for it; ccx63 is supported, not available, in fsn1.
  assert.deepEqual(offers.map((o) => `${o.plan}@${o.region}`), ['cx22@fsn1', 'cx22@nbg1', 'cax11@fsn1', 'ccx63@ash']);
  for (const o of offers) assert.equal(o.pricesIncludeVat, false);
  assert.deepEqual(offers.find((o) => o.region === 'fsn1')!.extras, [{ what: 'primary IPv4 address', priceHourly: 0.0008, priceMonthly: 0.5 }]);
  assert.equal(offers.find((o) => o.region === 'nbg1')!.extras, undefined, 'no /pricing entry for nbg1: no invented price');
  assert.equal(offers.find((o) => o.plan === 'cax11')!.arch, 'arm');
});

test('datacenters without server_types (older answers, proxies) constrain nothing', () => {
  const dcs = fixture('list-datacenters').datacenters.map((d: any) => ({ ...d, server_types: undefined }));
  assert.equal(availabilityFrom(dcs).size, 0);
  assert.equal(availabilityFrom([{ name: 'x' } as any, null as any]).size, 0);
});

test('the offers service on a 2024 answer does not crash and drops unorderable pairs', async () => {
  const p = provider(routes({ '/v1/server_types': fixture('older/list-server-types-2024'), '/v1/datacenters': fixture('list-datacenters'), '/v1/pricing': fixture('get-pricing') }));
  const offers = await p.listOffers();
  assert.deepEqual(offers.map((o) => `${o.plan}@${o.region}`), ['cx22@fsn1', 'cx22@nbg1', 'cax11@fsn1', 'ccx63@ash']);
  const sizes = await p.listSizes();
  assert.deepEqual(sizes.map((s) => [s.id, s.regions]), [['cx22', ['fsn1', 'nbg1']], ['cax11', ['fsn1']], ['ccx63', ['ash']]]);
});

test('preflight refuses a type in a location no datacenter there takes orders for', async () => {
  const p = provider(routes({
    '/v1/server_types': fixture('older/list-server-types-2024'),
    '/v1/datacenters': fixture('list-datacenters'),
    '/v1/locations': { locations: fixture('list-datacenters').datacenters.map((d: any) => d.location), meta: fixture('list-datacenters').meta },
  }));
  await assert.rejects(p.catalog.checkPlacement('ccx63', 'fsn1'), /not offered in fsn1/);
  assert.equal((await p.catalog.checkPlacement('ccx63', 'ash')).name, 'ccx63');
});
