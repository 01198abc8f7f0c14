/** Pure mapping on fixtures in Cherry Servers' wire format, including missing and null optional fields. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { ProviderError } from '../../../src/core/index.js';
import { chainScript } from '../../../src/providers/cherry/bare-metal.js';
import { parseCherryError } from '../../../src/providers/cherry/errors.js';
import { imageSlug, imageToImage, mapStatus, planOffers, planToSize, rawStatus, serverToInstance, stageOf, STATUS_TABLE } from '../../../src/providers/cherry/mapping.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixture = (name: string) => JSON.parse(readFileSync(resolve(REPO, 'test/fixtures/cherry', `${name}.json`), 'utf8'));
const check = (() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(JSON.parse(readFileSync(resolve(REPO, 'test/providers/cherry/schemas/responses.json'), 'utf8')));
  return (def: string, body: unknown) => {
    const v = ajv.getSchema(`cherry-responses#/definitions/${def}`)!;
    return v(body) ? [] : v.errors!.map((e) => `${e.instancePath} ${e.message}`);
  };
})();

test('fixtures are bodies the written-down schemas accept, and the schemas have teeth', () => {
  for (const [name, def] of [['get-server', 'server'], ['server-minimal', 'server'], ['list-plans', 'plans'], ['error-not-found', 'error']] as const) {
    assert.deepEqual(check(def, fixture(name)), [], name);
  }
  const broken = fixture('get-server');
  broken.state = 'exploding';
  assert.notDeepEqual(check('server', broken), []);
  const noStatus = fixture('get-server');
  delete noStatus.status;
  assert.notDeepEqual(check('server', noStatus), []);
});

test('a server maps to an instance: tags are the labels, primary addresses, region, plan, deployed image', () => {
  assert.deepEqual(serverToInstance(fixture('get-server'), 'on'), {
    provider: 'cherry',
    id: '621301',
    name: 'web-1',
    status: { state: 'active', raw: 'on' },
    ipv4: '5.199.161.7',
    ipv6: '2a0c:9a40:1::7',
    region: 'eu_nord_1',
    size: 'e3_1240v3',
    image: 'ubuntu_24_04_64bit',
    labels: { 'managed-by': 'ferry', 'ferry-create-id': '2b1f0c4e-9d3a-4c55-8f0e-1a2b3c4d5e6f', app: 'shop' },
    createdAt: '2026-11-30T10:54:34+00:00',
  });
  assert.deepEqual(serverToInstance(fixture('get-server'), 'off').status, { state: 'off', raw: 'off' });
});

test('missing and null optional fields never crash; a server without an id is an api error', () => {
  const min = serverToInstance(fixture('server-minimal'));
  assert.deepEqual([min.status.raw, min.status.state, min.ipv4, min.image, min.name], ['pending', 'new', null, null, '']);
  // server-nulls goes beyond the schema: the reader tolerates what the API should not send.
  const nulls = serverToInstance(fixture('server-nulls'));
  assert.deepEqual([nulls.status.raw, nulls.status.state, nulls.labels, nulls.region], ['failed deployment', 'unknown', {}, '']);
  assert.throws(() => serverToInstance({ status: 'deployed' }), (e: unknown) => ProviderError.is(e) && e.kind === 'api');
});

test('status: state while delivered, deployment status while installing, power once deployed; an unknown fallback', () => {
  const s = (state: string, status: string) => ({ id: 1, state, status });
  assert.deepEqual(
    [rawStatus(s('pending', 'pending'), null), rawStatus(s('provisioning', 'deploying'), null), rawStatus(s('active', 'deploying'), null), rawStatus(s('active', 'deployed'), 'on'), rawStatus(s('active', 'deployed'), 'off'), rawStatus(s('terminating', 'deployed'), null)],
    ['pending', 'provisioning', 'deploying', 'on', 'off', 'terminating'],
  );
  for (const raw of ['pending', 'provisioning', 'deploying', 'on', 'off', 'terminating', 'failed deployment']) assert.ok(Object.hasOwn(STATUS_TABLE, raw), raw);
  assert.deepEqual(mapStatus('levitating'), { state: 'unknown', raw: 'levitating' });
  assert.deepEqual(['pending', 'provisioning', 'deploying', 'on'].map(stageOf), ['ordered', 'provisioning', 'installing', 'active']);
});

test('plans become sizes and per-region offers with stock and the chosen cycle; TB disks and missing prices are handled', () => {
  const [e3, twin] = fixture('list-plans');
  assert.deepEqual(planToSize(e3), { id: 'e3_1240v3', vcpus: 4, memoryGb: 16, diskGb: 250, gpu: null, gpuCount: 0, regions: ['eu_nord_1', 'eu_west_1'], priceHourly: 0.1016, priceMonthly: 59.29, currency: 'EUR' });
  const hourly = planOffers(e3, 'now', 'hourly');
  assert.deepEqual(hourly.map((o) => [o.region, o.stock, o.leadTimeHours, o.priceHourly, Math.round(o.priceMonthly * 100) / 100]), [['eu_nord_1', 23, 0.5, 0.1016, 74.17], ['eu_west_1', 0, 0, 0.1016, 74.17]]);
  assert.ok(hourly.every((o) => o.bareMetal && o.pricesIncludeVat === true && o.minimumTermMonths === 0 && o.setupFee === 0));
  const monthly = planOffers(e3, 'now', 'monthly')[0]!;
  assert.deepEqual([monthly.billing, monthly.priceMonthly, monthly.minimumTermMonths], ['monthly', 59.29, 1]);
  assert.deepEqual([planToSize(twin).vcpus, planToSize(twin).diskGb], [16, 2000]);
  assert.deepEqual(planOffers(twin, 'now', 'hourly'), [], 'no hourly price, no hourly offer');
  assert.equal(planOffers(twin, 'now', 'monthly')[0]?.pricesIncludeVat, false);
});

test('images: distribution versions map to Cherry slugs and back', () => {
  assert.equal(imageSlug({ kind: 'ubuntu', version: '24.04' }), 'ubuntu_24_04_64bit');
  assert.equal(imageSlug({ kind: 'debian', version: '12' }), 'debian_12_64bit');
  assert.equal(imageSlug({ kind: 'snapshot', id: '1' }), null);
  assert.deepEqual(imageToImage({ id: 1, name: 'Ubuntu 24.04 64bit', slug: 'ubuntu_24_04_64bit' }), { id: 'ubuntu_24_04_64bit', name: 'Ubuntu 24.04 64bit', distribution: 'ubuntu', version: '24.04' });
  assert.equal(chainScript('https://x/boot.ipxe'), '#!ipxe\nchain https://x/boot.ipxe\n');
});

test('errors: {code, message} keeps the message and the code; odd bodies never crash', () => {
  assert.deepEqual(parseCherryError(404, fixture('error-not-found')), { message: 'Server not found [404]', code: '404' });
  assert.deepEqual(parseCherryError(502, '<html>bad gateway</html>'), { message: '<html>bad gateway</html>' });
  assert.deepEqual(parseCherryError(500, { errors: ['x'] }), { message: 'HTTP 500' });
});
