/** Pure mapping on fixtures in OVH's wire format, including missing and null optional fields. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseImageSpec } from '../../../src/core/index.js';
import { parseOvhError } from '../../../src/providers/ovh/errors.js';
import {
  cartDescription,
  createdAtOf,
  imageToTemplate,
  isCartId,
  isServiceName,
  parseCartDescription,
  planHardware,
  planPrices,
  serverToInstance,
  templateToImage,
} from '../../../src/providers/ovh/mapping.js';

const FIX = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/ovh');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIX, name), 'utf8'));

test('ovh mapping: a full server and a minimal one with nulls', () => {
  const cart = parseCartDescription(fixture('cart.json').description);
  assert.ok(cart);
  const i = serverToInstance(fixture('server.json'), false, cart, '4f2a91c0-0007', createdAtOf(fixture('cart.json').expire));
  assert.deepEqual(
    { id: i.id, name: i.name, state: i.status.state, ipv4: i.ipv4, region: i.region, size: i.size, image: i.image, labels: i.labels, createdAt: i.createdAt },
    { id: '4f2a91c0-0007', name: 'web-1', state: 'active', ipv4: '51.75.3.14', region: 'gra', size: '24rise01', image: 'debian12_64', labels: { app: 'shop', 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee00-0000-4000-8000-00000000c0de' }, createdAt: '2026-12-01T10:00:00.000Z' },
  );
  assert.deepEqual(serverToInstance(fixture('server.json'), true, cart, 'x', '').status, { state: 'new', raw: 'installing' });
  const bare = serverToInstance(fixture('server-minimal.json'), false, null, 'ns9.ip-1-2-3.eu', '');
  assert.deepEqual([bare.name, bare.ipv4, bare.region, bare.size, bare.image, bare.status.state, bare.labels], ['ns9.ip-1-2-3.eu', null, '', '', null, 'unknown', {}]);
  assert.equal(serverToInstance({ ...fixture('server.json'), powerState: 'poweroff' }, false, null, 'x', '').status.state, 'off');
  assert.equal(serverToInstance({ ...fixture('server.json'), state: 'hacked' }, false, null, 'x', '').status.state, 'unknown');
  assert.throws(() => serverToInstance({}, false, null, 'x', ''), /without a name/);
});

test('ovh mapping: the cart description round-trips; other carts are not ferry\'s', () => {
  const id = { name: 'db-2', region: 'rbx', plan: '24adv01', labels: { 'managed-by': 'ferry', tier: 'back_end.v2' } };
  assert.deepEqual(parseCartDescription(cartDescription(id)), id);
  for (const other of ['', null, undefined, 'cto-metal-host', 'ferry only']) assert.equal(parseCartDescription(other), null);
  assert.equal(createdAtOf(null), '');
  assert.ok(isCartId('4f2a91c0-0007') && !isCartId('ns1.ip-1-2-3.eu'));
  assert.ok(isServiceName('ns1.ip-1-2-3.eu') && !isServiceName('not-an-id'));
});

test('ovh mapping: catalog plan hardware, month-to-month price with setup fee, commitments; missing blobs', () => {
  const plan = fixture('catalog-plan.json');
  assert.deepEqual(planHardware(plan), { vcpus: 12, memoryGb: 32, diskGb: 1024, gpu: null, gpuCount: 0, gpuMemoryGb: null });
  assert.deepEqual(planPrices(plan), [
    { monthly: 59.99, setupFee: 49.99, commitmentMonths: 1, pricingMode: 'default' },
    { monthly: 54.99, setupFee: 0, commitmentMonths: 12, pricingMode: 'upfront12' },
  ]);
  assert.equal(planHardware({ ...plan, blobs: null }), null);
  assert.deepEqual(planPrices({ planCode: 'x' }), []);
});

test('ovh mapping: images and templates', () => {
  assert.equal(imageToTemplate(parseImageSpec('ubuntu-24.04')), 'ubuntu2404-server_64');
  assert.equal(imageToTemplate(parseImageSpec('debian-12')), 'debian12_64');
  assert.equal(imageToTemplate(parseImageSpec('rocky9_64')), 'rocky9_64');
  assert.deepEqual(templateToImage('ubuntu2204-server_64'), { id: 'ubuntu2204-server_64', name: 'Ubuntu 22.04', distribution: 'ubuntu', version: '22.04' });
  assert.deepEqual(templateToImage('none_64.en'), { id: 'none_64', name: 'none_64', distribution: 'none', version: null });
});

test('ovh errors: gateway codes are authentication, API classes keep their code', () => {
  assert.deepEqual(parseOvhError(400, { errorCode: 'INVALID_SIGNATURE', httpCode: '400 Bad Request', message: 'Invalid signature' }), { message: 'Invalid signature', code: 'INVALID_SIGNATURE', kind: 'authentication', retryable: false });
  assert.equal(parseOvhError(403, { errorCode: 'INVALID_KEY', message: 'This application key is invalid' }).kind, 'authentication');
  assert.equal(parseOvhError(403, { errorCode: 'NOT_GRANTED_CALL', message: 'This call has not been granted' }).kind, 'forbidden');
  assert.deepEqual(parseOvhError(404, { class: 'Client::NotFound', message: 'nope' }), { message: 'nope', code: 'Client::NotFound' });
  assert.equal(parseOvhError(400, { class: 'Client::BadRequest', message: 'Item 1: 24rise01 is out of stock in gra' }).kind, 'capacity');
  assert.equal(parseOvhError(409, { class: 'Client::Conflict', message: 'A task is already running' }).kind, 'conflict');
  assert.deepEqual(parseOvhError(502, '<html>bad gateway</html>'), { message: '<html>bad gateway</html>' });
  assert.deepEqual(parseOvhError(500, null), { message: 'HTTP 500' });
});
