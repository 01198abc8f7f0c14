/** Pure mapping on fixtures in Latitude.sh's wire format, including missing and null optional fields. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { ProviderError } from '../../../src/core/index.js';
import { parseLatitudeError } from '../../../src/providers/latitude/errors.js';
import { mapStatus, osSlug, planOffers, planToSize, serverToInstance, sizeToGb, stageOf, STATUS_TABLE } from '../../../src/providers/latitude/mapping.js';
import { labelsToTagNames, tagNamesToLabels } from '../../../src/providers/latitude/tags.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixture = (name: string) => JSON.parse(readFileSync(resolve(REPO, 'test/fixtures/latitude', `${name}.json`), 'utf8'));
const schemas = () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(JSON.parse(readFileSync(resolve(REPO, 'test/providers/latitude/schemas/responses.json'), 'utf8')));
  return (def: string, body: unknown) => {
    const v = ajv.getSchema(`latitude-responses#/definitions/${def}`)!;
    return v(body) ? [] : v.errors!.map((e) => `${e.instancePath} ${e.message}`);
  };
};

test('fixtures are documents the written-down schemas accept, and the schemas have teeth', () => {
  const check = schemas();
  for (const [name, def] of [['get-server', 'server'], ['create-server-minimal', 'server'], ['list-plans', 'plans'], ['error-not-found', 'error'], ['error-out-of-stock', 'error']] as const) {
    assert.deepEqual(check(def, fixture(name)), [], name);
  }
  const broken = fixture('get-server');
  delete broken.data.id;
  assert.notDeepEqual(check('server', broken), []);
  const badStock = fixture('list-plans');
  badStock.data[0].attributes.regions[0].stock_level = 'plenty';
  assert.notDeepEqual(check('plans', badStock), []);
});

test('a server maps to an instance: tags back to labels, site, plan, OS, addresses', () => {
  const i = serverToInstance(fixture('get-server').data);
  assert.deepEqual(i, {
    provider: 'latitude',
    id: 'sv_Qk5yV3nLpW2aB',
    name: 'web-1',
    status: { state: 'active', raw: 'on' },
    ipv4: '177.54.150.9',
    ipv6: null,
    region: 'DAL',
    size: 'c2-small-x86',
    image: 'ubuntu_24_04_x64_lts',
    labels: { 'managed-by': 'ferry', 'ferry-create-id': '2b1f0c4e-9d3a-4c55-8f0e-1a2b3c4d5e6f', app: 'shop', 'team blue': '' },
    createdAt: '2026-11-30T10:54:34+00:00',
  });
});

// server-nulls goes beyond the schema (tags: null): the reader tolerates what the API should not send.
test('missing and null optional fields never crash; a server without an id is an api error', () => {
  const minimal = serverToInstance(fixture('create-server-minimal').data);
  assert.equal(minimal.status.raw, 'starting_deploy');
  assert.equal(minimal.status.state, 'new');
  assert.deepEqual(minimal.labels, {});
  assert.equal(minimal.region, '');
  const nulls = serverToInstance(fixture('server-nulls').data);
  assert.deepEqual([nulls.ipv4, nulls.image, nulls.size, nulls.createdAt, nulls.status.state], [null, null, '', '', 'unknown']);
  assert.throws(() => serverToInstance({ type: 'servers' } as never), (e: unknown) => ProviderError.is(e) && e.kind === 'api');
});

test('status table: every documented status, the create-time starting_deploy, and an unknown fallback', () => {
  for (const raw of ['on', 'off', 'unknown', 'disk_erasing', 'deploying', 'failed_deployment', 'rescue_mode', 'starting_deploy']) assert.ok(Object.hasOwn(STATUS_TABLE, raw), raw);
  assert.deepEqual(mapStatus('deploying'), { state: 'new', raw: 'deploying' });
  assert.deepEqual(mapStatus('teleporting'), { state: 'unknown', raw: 'teleporting' });
  assert.deepEqual(['starting_deploy', 'disk_erasing', 'deploying', 'on'].map(stageOf), ['ordered', 'provisioning', 'installing', 'active']);
});

test('plans become sizes and one offer per site, with stock, lead time, GPU and hourly billing; sparse plans do not crash', () => {
  const [small, gpu] = fixture('list-plans').data;
  const [sparseGpu, bare] = fixture('plans-sparse').data; // nulls beyond the schema
  assert.deepEqual(planToSize(small), { id: 'c2-small-x86', vcpus: 4, memoryGb: 32, diskGb: 500, gpu: null, gpuCount: 0, regions: ['FRA', 'CHI', 'ASH'], priceHourly: 0.21, priceMonthly: 146, currency: 'USD' });
  const offers = planOffers(small, '2026-12-01T00:00:00Z');
  assert.deepEqual(offers.map((o) => [o.region, o.stock, o.leadTimeHours]), [['FRA', 0, 0], ['CHI', null, 0.1], ['ASH', 0, 0]]);
  assert.ok(offers.every((o) => o.bareMetal && o.billing === 'hourly' && o.setupFee === 0 && o.currency === 'USD' && o.priceMonthly === 146));
  const [g] = planOffers(gpu, 'now');
  assert.deepEqual([g!.vcpus, g!.gpu, g!.gpuCount, g!.gpuMemoryGb, g!.diskGb, g!.leadTimeHours, g!.arch], [64, 'NVIDIA L40S', 2, 48, 7600, 0.5, 'x86']);
  assert.deepEqual(planOffers(sparseGpu, 'now').map((o) => o.region), ['DAL']);
  assert.deepEqual(planOffers(bare, 'now'), []);
  assert.equal(planToSize(bare).vcpus, 0);
});

test('images: distribution versions map to Latitude slugs; sizes parse GB and TB', () => {
  assert.equal(osSlug({ kind: 'ubuntu', version: '24.04' }), 'ubuntu_24_04_x64_lts');
  assert.equal(osSlug({ kind: 'debian', version: '12' }), 'debian_12');
  assert.equal(osSlug({ kind: 'custom', id: 'rockylinux_8' }), 'rockylinux_8');
  assert.equal(osSlug({ kind: 'snapshot', id: '1' }), null);
  assert.deepEqual(['500 GB', '3.8TB', '2 X 4 TB', 'n/a'].map(sizeToGb), [500, 3800, 4000, 0]);
});

test('labels ↔ tag names is reversible, including ":" and "_"', () => {
  const labels = { 'managed-by': 'ferry', 'a_b': 'x:y', k: '' };
  assert.deepEqual(tagNamesToLabels(labelsToTagNames(labels)), labels);
  assert.deepEqual(tagNamesToLabels(['plain', 'bad_zescape:v']), { plain: '', 'bad_zescape:v': '' });
});

test('errors: JSON:API error objects map to kinds by code, the status otherwise; odd bodies never crash', () => {
  assert.deepEqual(parseLatitudeError(404, fixture('error-not-found')), { message: 'Specified Record Not Found [not_found]', code: 'not_found', kind: 'not_found' });
  const stock = parseLatitudeError(422, fixture('error-out-of-stock'));
  assert.equal(stock.kind, 'capacity');
  assert.equal(stock.code, 'out_of_stock');
  assert.match(stock.message, /\/data\/attributes\/site/);
  assert.deepEqual(parseLatitudeError(503, { errors: [{ status: '503' }] }), { message: 'HTTP 503' });
  assert.deepEqual(parseLatitudeError(500, 'upstream down'), { message: 'upstream down' });
  assert.deepEqual(parseLatitudeError(500, { errors: 'nope' }), { message: 'HTTP 500' });
});
