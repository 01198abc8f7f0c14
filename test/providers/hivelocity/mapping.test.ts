/** Pure mapping on fixtures in Hivelocity's wire format, with optional fields missing or null. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, ProviderError } from '../../../src/core/index.js';
import { parseHivelocityError } from '../../../src/providers/hivelocity/errors.js';
import {
  deviceStatus,
  deviceToInstance,
  driveGb,
  gpuOf,
  labelsToTags,
  osMatches,
  SPS_STAGE,
  stockToOffer,
  tagsToLabels,
} from '../../../src/providers/hivelocity/mapping.js';
import type { HvInventory } from '../../../src/providers/hivelocity/schema.js';
import { readSpecText, specPath } from '../../support/specs.js';
import { SPEC } from './contract-target.js';
import { fixture } from './fixtures.js';

test('a device in use maps to an active instance with its labels, region, size and OS', () => {
  const i = deviceToInstance(fixture('bare-metal-device'), fixture('device-dump'), 'localdomain');
  assert.deepEqual(
    { ...i, status: i.status.state },
    {
      provider: 'hivelocity',
      id: '10417',
      name: 'web-1',
      status: 'active',
      ipv4: '66.165.231.122',
      ipv6: null,
      region: 'LAX2',
      size: '576',
      image: 'Ubuntu 24.04',
      labels: { 'managed-by': 'ferry', 'ferry-create-id': '0b1e6d0c-5a0e-4c39-9d5e-6f1f4a1e2b33', app: 'shop', legacy: '' },
      createdAt: '2026-11-30T21:04:05.123Z',
    },
  );
  assert.equal(i.status.raw, 'in-use (IN_USE), power ON');
});

test('a device with every optional field null maps without crashing; without an id it is an api error', () => {
  const i = deviceToInstance(fixture('bare-metal-device-sparse'), null, 'localdomain');
  assert.equal(i.id, '10418');
  assert.equal(i.name, '');
  assert.equal(i.ipv4, null);
  assert.deepEqual(i.labels, {});
  assert.equal(i.createdAt, '', 'no ordered-at tag: the API has no creation time');
  assert.equal(i.status.state, 'new', 'no address and no status yet: an order');
  assert.throws(() => deviceToInstance({ hostname: 'x' }, null, 'd'), (e: unknown) => ProviderError.is(e, 'api'));
});

test('status table: order stages are new, failed is archive, in use follows power, an unlisted spsStatus is unknown', () => {
  const bm = { deviceId: 1, primaryIp: '1.2.3.4' };
  const st = (sps: string, power = 'ON') => deviceStatus({ ...bm, powerStatus: power }, { spsStatus: sps });
  assert.deepEqual([st('RESERVED').stage, st('RESERVED').state], ['ordered', 'new']);
  assert.deepEqual([st('PROVISION_STARTED').stage, st('PROVISION_WAIT_FOR_ADDONS').stage], ['provisioning', 'installing']);
  assert.deepEqual([st('RELOADING').stage, st('RELOADING').state], ['reinstalling', 'new']);
  assert.equal(st('IN_USE', 'OFF').state, 'off');
  assert.equal(st('IN_USE', 'PENDING').state, 'new');
  assert.equal(st('IN_USE', 'SMOKING').state, 'unknown');
  assert.equal(st('FAILED').state, 'archive');
  const odd = st('QUANTUM_TUNNELLING');
  assert.deepEqual([odd.state, odd.raw], ['unknown', 'unknown (QUANTUM_TUNNELLING), power ON']);
  assert.equal(Object.keys(SPS_STAGE).length, 20, 'the 20 documented spsStatus values');
});

test("the status table covers every spsStatus of the spec's Device-dump enum", (t) => {
  const found = specPath(SPEC);
  if ('missing' in found) return t.skip(found.missing);
  // The enum is written in the field's description: "BUILDING|IPMI_READY|…".
  const m = /spsStatus:\s*\n\s*type: string\s*\n\s*description: ([A-Z_|]+)/.exec(readSpecText(found.path));
  assert.ok(m, 'Device-dump.spsStatus is described in the spec');
  const documented = m[1]!.split('|');
  assert.ok(documented.length >= 15);
  for (const s of documented) assert.ok(Object.hasOwn(SPS_STAGE, s), `${s} is mapped`);
});

test('labels ↔ tags round-trip; a foreign tag is a label with an empty value', () => {
  const labels = { 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee', 'a.b': 'x_y-z' };
  assert.deepEqual(tagsToLabels(labelsToTags(labels)), labels);
  assert.deepEqual(tagsToLabels(['plain', 'k=v=w', '', null as unknown as string]), { plain: '', k: 'v=w' });
  assert.deepEqual(tagsToLabels(undefined), {});
});

test('stock rows → offers: the location premium, monthly billing, GPU model/count/memory, stock levels, missing fields', () => {
  const inv = fixture<HvInventory>('inventory-gpu');
  const terms = { period: 'monthly' as const, leadTimeHours: () => 2 };
  const lax = stockToOffer(inv.LAX2![0]!, terms, '2026-12-01T00:00:00Z')!;
  assert.deepEqual(
    { plan: lax.plan, region: lax.region, vcpus: lax.vcpus, memoryGb: lax.memoryGb, diskGb: lax.diskGb, gpu: lax.gpu, gpuCount: lax.gpuCount, gpuMemoryGb: lax.gpuMemoryGb },
    { plan: '640', region: 'LAX2', vcpus: 32, memoryGb: 128, diskGb: 3840, gpu: 'NVIDIA GeForce RTX 4090', gpuCount: 1, gpuMemoryGb: 24 },
  );
  assert.deepEqual(
    { m: lax.priceMonthly, h: lax.priceHourly, billing: lax.billing, term: lax.minimumTermMonths, fee: lax.setupFee, stock: lax.stock, bm: lax.bareMetal, lead: lax.leadTimeHours },
    { m: 585, h: 0.8014, billing: 'monthly', term: 1, fee: 0, stock: null, bm: true, lead: 2 },
  );
  const tpa = stockToOffer(inv.TPA1![0]!, { ...terms, period: 'hourly' }, 'now')!;
  assert.equal(tpa.billing, 'monthly', 'hourly is disabled for this product: monthly it is');
  assert.equal(tpa.stock, 1, 'limited');
  assert.equal(tpa.gpuMemoryGb, null);
  const hourly = stockToOffer(inv.LAX2![0]!, { ...terms, period: 'hourly' }, 'now')!;
  assert.deepEqual([hourly.billing, hourly.priceHourly, hourly.minimumTermMonths], ['hourly', 0.81, 0]);
  assert.equal(stockToOffer({ product_id: 1 }, terms, 'now'), null, 'no facility or price: no offer');
  assert.equal(stockToOffer({ ...inv.LAX2![0]!, stock: 'unavailable' }, terms, 'now')!.stock, 0);
});

test('hardware strings: drives, GPUs', () => {
  assert.equal(driveGb('2 x 1.92TB NVMe + 1 x 480GB SSD'), 4320);
  assert.equal(driveGb(null), 0);
  assert.deepEqual(gpuOf('2 x NVIDIA A100 80GB'), { model: 'NVIDIA A100', count: 2, memoryGb: 80 });
  assert.equal(gpuOf(''), null);
  assert.equal(gpuOf(undefined), null);
});

test('images: ubuntu-24.04 and debian-12 find their OS options; a snapshot finds none', () => {
  assert.ok(osMatches(parseImageSpec('ubuntu-24.04'), 'Ubuntu 24.04'));
  assert.ok(osMatches(parseImageSpec('ubuntu-24.04'), 'Ubuntu 24.x'));
  assert.ok(!osMatches(parseImageSpec('ubuntu-24.04'), 'Ubuntu 22.04'));
  assert.ok(osMatches(parseImageSpec('debian-12'), 'Debian 12.x'));
  assert.ok(!osMatches(parseImageSpec('debian-12'), 'Debian 11'));
  assert.ok(osMatches(parseImageSpec('Rocky Linux 9'), 'rocky linux 9'));
  assert.ok(!osMatches(parseImageSpec('snapshot:1'), 'Ubuntu 24.04'));
});

test('errors: the status decides, except an empty shelf (capacity) and an account limit (quota); odd bodies keep their text', () => {
  const cases = fixture<Record<string, { status: number; body: unknown }>>('errors');
  const parse = (k: string) => parseHivelocityError(cases[k]!.status, cases[k]!.body);
  assert.deepEqual(parse('outOfStock'), { message: 'No devices of product 576 are available in ATL2 (out of stock) (Bad Request)', code: '400', kind: 'capacity', retryable: false });
  assert.equal(parse('limit').kind, 'quota');
  assert.equal(parse('badOs').kind, undefined, 'a plain 400 is left to the status: invalid_config');
  assert.equal(parse('unauthorized').kind, undefined);
  assert.match(parse('unauthorized').message, /Invalid or missing API key/);
  assert.equal(parse('forbidden').message, 'You have not been granted permission to complete this action.');
  assert.equal(parse('forbidden').kind, undefined);
  assert.match(parse('html').message, /Bad Gateway/);
  assert.match(parse('powerOn').message, /power off device/);
});
