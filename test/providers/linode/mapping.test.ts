/** Pure mapping of Linode wire shapes (fixtures in the API's real format, some with fields missing or null). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CREATE_ID_KEY, MANAGED_BY_KEY, parseImageSpec, ProviderError } from '../../../src/core/index.js';
import { parseLinodeError } from '../../../src/providers/linode/errors.js';
import {
  gpuModel,
  imageParam,
  imageToSnapshot,
  linodeToInstance,
  mapStatus,
  priceIn,
  regionToRegion,
  STATUS_TABLE,
  typeOffers,
  typeToSize,
  volumeFromWire,
} from '../../../src/providers/linode/mapping.js';
import type { LnImage, LnLinode, LnPage, LnRegion, LnType, LnVolume } from '../../../src/providers/linode/schema.js';
import { labelsToTags, labelToTag, MANAGED_TAG, tagsToLabels } from '../../../src/providers/linode/tags.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/linode');
const fixture = <T>(name: string): T => JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8')) as T;

test('a running Linode maps with its public address, SLAAC address and decoded labels', () => {
  const i = linodeToInstance(fixture<LnLinode>('linode-running'));
  assert.equal(i.id, '123456');
  assert.equal(i.name, 'web-1');
  assert.deepEqual(i.status, { state: 'active', raw: 'running' });
  assert.equal(i.ipv4, '203.0.113.1', 'the private 192.168 address is skipped');
  assert.equal(i.ipv6, '2600:3c00::f03c:91ff:fe24:3a2f');
  assert.equal(i.size, 'g6-nanode-1');
  assert.equal(i.image, 'linode/ubuntu24.04');
  assert.deepEqual(i.labels, { [MANAGED_BY_KEY]: 'ferry', [CREATE_ID_KEY]: 'c0ffee00-0000-4000-8000-00000000c0de', app: 'shop', prod: '' });
});

test('a Linode with its optional fields null maps without crashing', () => {
  const i = linodeToInstance(fixture<LnLinode>('linode-minimal'));
  assert.equal(i.ipv4, null);
  assert.equal(i.ipv6, null);
  assert.equal(i.image, null);
  assert.deepEqual(i.labels, {});
  assert.equal(i.status.state, 'new');
});

test('an unexpected shape is a ProviderError, never a TypeError', () => {
  assert.throws(() => linodeToInstance({ label: 7 } as unknown as LnLinode), (e: unknown) => ProviderError.is(e, 'api'));
  assert.throws(() => linodeToInstance(null as unknown as LnLinode), (e: unknown) => ProviderError.is(e, 'api'));
});

test('the status table covers every documented status and falls back to unknown', () => {
  for (const s of ['running', 'offline', 'booting', 'busy', 'rebooting', 'shutting_down', 'provisioning', 'deleting', 'migrating', 'rebuilding', 'cloning', 'restoring', 'stopped', 'billing_suspension']) {
    assert.ok(Object.hasOwn(STATUS_TABLE, s), s);
  }
  assert.equal(mapStatus('provisioning').state, 'new');
  assert.equal(mapStatus('offline').state, 'off');
  assert.deepEqual(mapStatus('teleporting'), { state: 'unknown', raw: 'teleporting' });
});

test('the tag codec reverses exactly, keeps every ferry tag within 50 characters and keeps foreign tags', () => {
  const labels = { [MANAGED_BY_KEY]: 'ferry', [CREATE_ID_KEY]: 'c0ffee00-0000-4000-8000-00000000c0de', 'app.tier': 'front_end', team: 'a.b' };
  const tags = labelsToTags(labels);
  assert.ok(tags.every((t) => t.length >= 3 && t.length <= 50), tags.join(' '));
  assert.deepEqual(tagsToLabels(tags), labels);
  assert.equal(MANAGED_TAG, 'managed-by:ferry');
  assert.equal(labelToTag('app.tier', 'front_end'), 'app_dtier:front__end');
  assert.deepEqual(tagsToLabels(['prod', 'odd:x_y']), { prod: '', 'odd:x_y': '' });
  assert.deepEqual(tagsToLabels(null), {});
});

test('distribution images map to Linode image ids', () => {
  assert.equal(imageParam(parseImageSpec('ubuntu-24.04')), 'linode/ubuntu24.04');
  assert.equal(imageParam(parseImageSpec('debian-12')), 'linode/debian12');
  assert.equal(imageParam(parseImageSpec('snapshot:private/4567')), 'private/4567');
});

test('a private image maps to a snapshot; a description of null is fine', () => {
  const s = imageToSnapshot(fixture<LnImage>('image-private'));
  assert.deepEqual({ id: s.id, name: s.name, sizeGb: s.sizeGb }, { id: 'private/4567', name: 'snap-one', sizeGb: 2 });
});

test('region prices win over the base price; GPU types carry their model and memory', () => {
  const types = fixture<LnPage<LnType>>('types').data;
  const regions = fixture<LnPage<LnRegion>>('regions').data;
  const std = types[0]!;
  assert.deepEqual(priceIn(std, 'id-cgk'), { hourly: 0.0432, id: 'id-cgk', monthly: 28.8 });
  assert.deepEqual(priceIn(std, 'us-east'), { hourly: 0.036, monthly: 24 });
  const offers = typeOffers(std, regions, '2026-11-30T00:00:00Z');
  assert.deepEqual(offers.map((o) => [o.region, o.priceMonthly]), [['us-east', 24], ['id-cgk', 28.8], ['br-gru-2', 24]]);
  assert.equal(offers[0]!.memoryGb, 4);
  assert.equal(offers[0]!.diskGb, 80);

  assert.deepEqual(gpuModel(types[1]!), { model: 'RTX 6000', memoryGb: 24 });
  assert.deepEqual(gpuModel(types[2]!), { model: 'RTX 4000 Ada', memoryGb: 20 });
  const gpu = typeOffers(types[1]!, regions, 'now');
  assert.deepEqual(gpu.map((o) => o.region), ['us-east'], 'only regions with the GPU Linodes capability');
  assert.deepEqual([gpu[0]!.gpu, gpu[0]!.gpuCount, gpu[0]!.gpuMemoryGb, gpu[0]!.priceHourly], ['RTX 6000', 1, 24, 1.5]);
  const size = typeToSize(types[2]!, regions);
  assert.deepEqual([size.gpu, size.gpuCount, size.regions], ['RTX 4000 Ada', 1, ['us-east']]);
});

test('regions: a missing status is ok, an outage is unavailable', () => {
  const [, , gru, gru2] = fixture<LnPage<LnRegion>>('regions').data;
  assert.equal(regionToRegion(gru!).available, true);
  assert.equal(regionToRegion(gru2!).available, false);
});

test('an attached volume maps its Linode and device path', () => {
  const v = volumeFromWire(fixture<LnVolume>('volume-attached'));
  assert.deepEqual([v.id, v.instanceId, v.devicePath, v.sizeGb], ['7788', '123456', '/dev/disk/by-id/scsi-0Linode_Volume_data', 20]);
  assert.equal(volumeFromWire({ ...fixture<LnVolume>('volume-attached'), linode_id: null, filesystem_path: null }).instanceId, null);
});

test('errors: the field is named; out of stock is capacity; bodies of other shapes are tolerated', () => {
  const bad = parseLinodeError(400, fixture('error-400'));
  assert.equal(bad.kind, 'invalid_config');
  assert.equal(bad.code, 'type');
  assert.match(bad.message, /type: A valid plan type/);
  assert.equal(parseLinodeError(400, fixture('error-capacity')).kind, 'capacity');
  assert.equal(parseLinodeError(400, { errors: [{ reason: 'Account limit reached: the maximum number of Linodes' }] }).kind, 'quota');
  assert.equal(parseLinodeError(429, { errors: [{ reason: 'Too Many Requests' }] }).kind, undefined, 'the status decides');
  assert.deepEqual(parseLinodeError(502, '<html>bad gateway</html>'), { message: '<html>bad gateway</html>' });
  assert.deepEqual(parseLinodeError(500, { errors: 'nope' }), { message: 'HTTP 500' });
});
