/** Pure mapping on fixtures in Scaleway's wire format, including optional fields missing or null. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { parseScalewayError, scalewayRateLimit } from '../../../src/providers/scaleway/errors.js';
import { parseRegionalId, parseZonedId, regionOfZone, requireZonedId } from '../../../src/providers/scaleway/ids.js';
import {
  baremetalOffer,
  baremetalToInstance,
  mapState,
  money,
  networkFromWire,
  SERVER_STATES,
  serverToInstance,
  typeOffer,
  typeToSize,
  volumeFromWire,
} from '../../../src/providers/scaleway/mapping.js';
import { labelsToTags, tagsToLabels } from '../../../src/providers/scaleway/tags.js';
import { scalewaySpec } from './contract-target.js';
import { fixture, FIXTURE_OPERATIONS } from './fixtures.js';

const AT = '2026-12-01T00:00:00.000Z';

test('fixtures are valid responses per the API descriptions (those that have one)', (t) => {
  const spec = scalewaySpec();
  if ('missing' in spec) return t.skip(spec.missing);
  for (const [name, op] of Object.entries(FIXTURE_OPERATIONS)) {
    if (!op) continue;
    const [method, path, status] = op;
    assert.deepEqual(spec.check({ api: 'scaleway', method, path, query: '', requestBody: undefined, status, responseBody: fixture(name), reset: false }), [], name);
  }
});

test('the description checker fails what the descriptions forbid: null lists, a wrong status, a non-Scaleway error body, an unknown path', (t) => {
  const spec = scalewaySpec();
  if ('missing' in spec) return t.skip(spec.missing);
  const x = (method: string, path: string, status: number, responseBody: unknown, requestBody?: unknown) => spec.check({ api: 'scaleway', method, path, query: '', requestBody, status, responseBody, reset: false });
  const path = '/instance/v1/zones/nl-ams-1/servers/1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
  assert.ok(x('GET', path, 200, fixture('get-server-minimal')).some((e) => /tags must be array/.test(e)));
  assert.ok(x('GET', path, 201, fixture('get-server')).some((e) => /status 201 not declared/.test(e)));
  assert.ok(x('GET', path, 404, { error: { code: 'not_found' } }).some((e) => /not a Scaleway error body/.test(e)));
  assert.deepEqual(x('GET', path, 404, fixture('errors').not_found.body), []);
  assert.ok(x('POST', '/instance/v1/zones/fr-par-1/servers', 201, { server: {} }, { name: 5 }).some((e) => /^request .*\/name must be string/.test(e)));
  assert.ok(x('GET', '/compute/v9/things', 200, {}).some((e) => /no description covers/.test(e)));
  assert.deepEqual(x('GET', '/block/v1alpha1/zones/fr-par-1/volumes', 200, { volumes: [] }), [], 'an API without a description is reported, not failed');
});

test('a running server: id with its zone, routed public IPv4 and IPv6 from public_ips, tags as labels', () => {
  const i = serverToInstance(fixture('get-server').server);
  assert.deepEqual(i, {
    provider: 'scaleway',
    id: 'fr-par-1/9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d',
    name: 'web-1',
    status: { state: 'active', raw: 'running' },
    ipv4: '51.15.200.12',
    ipv6: '2001:bc8:710:1a2b::1',
    region: 'fr-par-1',
    size: 'DEV1-S',
    image: 'Ubuntu 24.04 Noble Numbat',
    labels: { 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee00-0000-4000-8000-00000000c0de', app: 'shop', legacy: '' },
    createdAt: '2026-11-30T10:00:00.000000+00:00',
  });
});

test('a server with every optional field null maps without crashing', () => {
  const i = serverToInstance(fixture('get-server-minimal').server);
  assert.deepEqual([i.id, i.status, i.ipv4, i.ipv6, i.image, i.labels], ['nl-ams-1/1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', { state: 'off', raw: 'stopped in place' }, null, null, null, {}]);
  assert.equal(i.createdAt, new Date(0).toISOString());
});

test('the older public_ip is read when public_ips is absent; an unknown state keeps its word', () => {
  const s = fixture('get-server').server;
  delete s.public_ips;
  s.state = 'locked';
  const i = serverToInstance(s);
  assert.equal(i.ipv4, '51.15.200.12');
  assert.deepEqual(i.status, { state: 'unknown', raw: 'locked' });
  assert.deepEqual(mapState(SERVER_STATES, 'hibernating'), { state: 'unknown', raw: 'hibernating' });
  assert.deepEqual(Object.keys(SERVER_STATES).sort(), ['running', 'starting', 'stopped', 'stopped in place', 'stopping']);
});

test('an answer without a zone or id is a ProviderError, never a TypeError', () => {
  const s = fixture('get-server').server;
  delete s.zone;
  assert.throws(() => serverToInstance(s), (e: unknown) => ProviderError.is(e, 'api') && /server.zone/.test(e.message));
});

test('Elastic Metal: active only once delivered and installed; ids say which API owns them', () => {
  const ready = baremetalToInstance(fixture('get-baremetal-server'));
  assert.deepEqual([ready.id, ready.status, ready.ipv4, ready.ipv6, ready.size], ['em:fr-par-2/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', { state: 'active', raw: 'ready' }, '51.159.10.20', '2001:bc8:1201:30::1', 'EM-A115X-SSD']);
  const installing = baremetalToInstance(fixture('get-baremetal-server-installing'));
  assert.deepEqual([installing.status, installing.ipv4, installing.size, installing.labels], [{ state: 'new', raw: 'ready/installing' }, null, '2a3a6d9e-1d3c-4c8f-9a41-8b3f9c0e0a15', {}]);
  const b = fixture('get-baremetal-server');
  b.status = 'delivering';
  assert.deepEqual(baremetalToInstance(b).status, { state: 'new', raw: 'delivering' });
  b.status = 'out_of_stock';
  assert.equal(baremetalToInstance(b).status.state, 'archive');
});

test('commercial types: GPU model, count and memory; arm; end-of-service types are not offered', () => {
  const types = fixture('list-server-types').servers;
  const h100 = typeOffer('H100-1-80G', types['H100-1-80G'], 'fr-par-2', AT)!;
  assert.deepEqual([h100.gpu, h100.gpuCount, h100.gpuMemoryGb, h100.vcpus, h100.memoryGb, h100.priceHourly, h100.currency, h100.arch, h100.pricesIncludeVat], ['H100', 1, 80, 24, 240, 2.73, 'EUR', 'x86', false]);
  const dev = typeOffer('DEV1-S', types['DEV1-S'], 'fr-par-1', AT)!;
  assert.deepEqual([dev.gpu, dev.gpuCount, dev.memoryGb, dev.priceMonthly], [null, 0, 2, 6.424]);
  assert.equal(typeOffer('COPARM1-2C-8G', types['COPARM1-2C-8G'], 'fr-par-2', AT)!.arch, 'arm');
  assert.equal(typeOffer('GP1-XS', types['GP1-XS'], 'fr-par-1', AT), null);
  assert.deepEqual(typeToSize('H100-1-80G', types['H100-1-80G'], ['fr-par-2']).regions, ['fr-par-2']);
});

test('Elastic Metal offers: money as units + nanos, monthly-only offers with a setup fee, missing hardware lists', () => {
  const [a115, l105] = fixture('list-offers').offers;
  assert.equal(money({ currency_code: 'EUR', units: 66, nanos: 430000000 }), 66.43);
  assert.equal(money(null), null);
  const a = baremetalOffer(a115, 'fr-par-2', AT)!;
  assert.deepEqual([a.priceHourly, a.priceMonthly, a.billing, a.minimumTermMonths, a.setupFee, a.stock, a.vcpus, a.memoryGb, a.diskGb, a.bareMetal], [0.091, 66.43, 'hourly', 0, 0, 1, 8, 32, 2000, true]);
  Object.assign(l105, { disks: null, cpus: null, memories: null, gpus: null });
  const l = baremetalOffer(l105, 'fr-par-2', AT)!;
  assert.deepEqual([l.priceMonthly, l.billing, l.minimumTermMonths, l.setupFee, l.stock, l.vcpus, l.memoryGb], [119, 'monthly', 1, 119, 0, 0, 0]);
  assert.equal(l.priceHourly, Math.round((119 / 730) * 10000) / 10000);
});

test('Block volumes: size in bytes to GB, the server from references; private networks with their subnet', () => {
  assert.deepEqual(volumeFromWire(fixture('block-volume')), {
    id: 'fr-par-1/8e9f0a1b-2c3d-4e5f-8a6b-7c8d9e0f1a2b', name: 'data', sizeGb: 20, region: 'fr-par-1', status: 'in_use',
    instanceId: 'fr-par-1/9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d', devicePath: null,
  });
  const v = fixture('block-volume');
  v.references = null;
  assert.equal(volumeFromWire(v).instanceId, null);
  assert.deepEqual(networkFromWire(fixture('private-network')), { id: 'fr-par/f0e1d2c3-b4a5-4968-8776-655443322110', name: 'ferry-net', ipRange: '10.0.1.0/24' });
  const n = fixture('private-network');
  n.subnets = null;
  assert.equal(networkFromWire(n).ipRange, null);
});

test('labels ↔ tags round-trip; foreign tags read as empty labels', () => {
  const labels = { 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee00-0000-4000-8000-00000000c0de', 'app.tier': 'front_1' };
  assert.deepEqual(tagsToLabels(labelsToTags(labels)), labels);
  assert.deepEqual(tagsToLabels(['prod', 'k=v=w', '=x']), { prod: '', k: 'v=w', '=x': '' });
  assert.deepEqual(tagsToLabels(null), {});
});

test('ids carry their zone and API; anything else cannot exist', () => {
  assert.deepEqual(parseZonedId('fr-par-1/9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d'), { api: 'instance', zone: 'fr-par-1', id: '9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d' });
  assert.deepEqual(parseZonedId('em:fr-par-2/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f')?.api, 'baremetal');
  for (const bad of ['9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d', 'fr-par-1/42', 'fr-par/9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d', '']) assert.equal(parseZonedId(bad), undefined, bad);
  assert.deepEqual(parseRegionalId('nl-ams/f0e1d2c3-b4a5-4968-8776-655443322110'), { region: 'nl-ams', id: 'f0e1d2c3-b4a5-4968-8776-655443322110' });
  assert.equal(regionOfZone('pl-waw-3'), 'pl-waw');
  assert.throws(() => requireZonedId('web-1', 'server'), (e: unknown) => UserError.is(e) && /fr-par-1\/<uuid>/.test(`${e.hint}`));
});

test('every error type maps to its kind; the message names the arguments and keeps the type', () => {
  const errors = fixture<Record<string, { status: number; body: unknown }>>('errors');
  const kinds = Object.fromEntries(Object.entries(errors).map(([k, { status, body }]) => [k, parseScalewayError(status, body).kind ?? '(by status)']));
  assert.deepEqual(kinds, {
    invalid_arguments: 'invalid_config', not_found: 'not_found', denied_authentication: 'authentication', permissions_denied: 'forbidden',
    quotas_exceeded: 'quota', out_of_stock: 'capacity', precondition_failed: 'conflict', transient_state: 'conflict', too_many_requests: 'rate_limited',
    invalid_request_error: 'invalid_config', unknown_resource: 'not_found', something_new: '(by status)',
  });
  const inv = parseScalewayError(400, errors.invalid_arguments!.body);
  assert.equal(inv.message, 'invalid argument(s) (commercial_type: commercial type DEV9 is not available in fr-par-1) [invalid_arguments]');
  assert.equal(inv.code, 'invalid_arguments');
  assert.match(parseScalewayError(403, errors.quotas_exceeded!.body).message, /instances_h100_1_80g \(quota 0\)/);
  assert.equal(parseScalewayError(409, errors.transient_state!.body).retryable, true);
  assert.equal(parseScalewayError(502, '<html>bad gateway</html>').message, '<html>bad gateway</html>');
  assert.equal(parseScalewayError(500, undefined).message, 'HTTP 500');
});

test('X-RateLimit headers read as a budget; absent headers read as nothing', () => {
  const at = (reset: string, remaining: string) =>
    new Headers({ 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': String(Date.parse(reset) / 1000), date: 'Tue, 01 Dec 2026 00:00:00 GMT' });
  assert.deepEqual(scalewayRateLimit(at('2026-12-01T00:00:05Z', '150')), { limit: 200, remaining: 150, refillPerSecond: 10 });
  // A full bucket (reset not after Date) says nothing of the rate: the last estimate stands.
  assert.deepEqual(scalewayRateLimit(at('2026-12-01T00:00:00Z', '200')), { limit: 200, remaining: 200, refillPerSecond: undefined });
  assert.equal(scalewayRateLimit(new Headers()), undefined);
});
