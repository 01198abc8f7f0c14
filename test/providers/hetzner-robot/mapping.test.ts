/** Robot's wire shapes → ferry's, on fixtures in the documented format (with null and missing optional fields). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { imageIdOf } from '../../../src/providers/hetzner-robot/catalog.js';
import { parseRobotError } from '../../../src/providers/hetzner-robot/errors.js';
import { decodeIdentity, encodeIdentity, productToSize, serverStatus, toInstance } from '../../../src/providers/hetzner-robot/mapping.js';
import { chainloadCommand } from '../../../src/providers/hetzner-robot/rescue-ssh.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/hetzner-robot');
const fixture = (name: string) => JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8'));

test('hetzner-robot mapping: an order in process is a new instance with the identity of its comment', () => {
  const i = toInstance(fixture('transaction-in-process').transaction, null);
  assert.equal(i.id, 'B20150121-344958-251479');
  assert.equal(i.name, 'web-1');
  assert.deepEqual(i.labels, { app: 'shop', 'managed-by': 'ferry', 'ferry-create-id': '5f0c4f1e-6a8d-4c52-9a65-1c7b3b7a0d11' });
  assert.deepEqual(i.status, { state: 'new', raw: 'in process' });
  assert.equal(i.region, 'FSN1');
  assert.equal(i.size, 'EX44');
  assert.equal(i.image, 'Ubuntu 24.04 LTS base');
  assert.equal(i.ipv4, null);
  assert.equal(i.createdAt, '2015-01-21T11:30:43.000Z');
});

test('hetzner-robot mapping: a delivered server reads its identity from server_name, its place from dc', () => {
  const i = toInstance(fixture('transaction-sparse').transaction, fixture('server').server);
  assert.equal(i.id, 'B20150121-344958-251480', 'the transaction id stays the id');
  assert.equal(i.name, 'web-1');
  assert.equal(i.labels['managed-by'], 'ferry');
  assert.deepEqual(i.status, { state: 'active', raw: 'ready' });
  assert.equal(i.ipv4, '123.123.123.123');
  assert.equal(i.region, 'FSN1');
  const alone = toInstance(null, fixture('server').server);
  assert.equal(alone.id, '321', 'without its transaction a server is known by its number');
});

test('hetzner-robot mapping: null fields never crash; a hand-named server has no labels; unknown words read unknown', () => {
  const i = toInstance(null, fixture('server-minimal').server);
  assert.equal(i.id, '4711');
  assert.equal(i.name, '');
  assert.deepEqual(i.labels, {});
  assert.equal(i.status.state, 'new');
  assert.equal(i.region, '');
  assert.equal(toInstance(fixture('transaction-sparse').transaction, null).createdAt, new Date(0).toISOString());
  assert.deepEqual(decodeIdentity('My web server'), { name: 'My web server', labels: {} });
  assert.deepEqual(serverStatus('maintenance'), { state: 'unknown', raw: 'maintenance' });
  assert.deepEqual(decodeIdentity(encodeIdentity('a-1', { x: 'y', 'managed-by': 'ferry' })), { name: 'a-1', labels: { x: 'y', 'managed-by': 'ferry' } });
});

test('hetzner-robot mapping: products become sizes with EUR net monthly prices; dists become image ids', () => {
  const [ex44, odd] = fixture('products').map((r: any) => productToSize(r.product));
  assert.deepEqual(ex44, { id: 'EX44', vcpus: 20, memoryGb: 64, diskGb: 1024, gpu: null, gpuCount: 0, regions: ['FSN1', 'HEL1'], priceHourly: null, priceMonthly: 44, currency: 'EUR' });
  assert.equal(odd.priceMonthly, null);
  assert.deepEqual(odd.regions, []);
  assert.equal(imageIdOf('Ubuntu 24.04 LTS base'), 'ubuntu-24.04');
  assert.equal(imageIdOf('Debian 12 base'), 'debian-12');
});

test('hetzner-robot errors: RATE_LIMIT_EXCEEDED is rate_limited with its window; INVALID_INPUT names the fields', () => {
  const rl = parseRobotError(403, fixture('rate-limit'));
  assert.equal(rl.kind, 'rate_limited');
  assert.equal(rl.code, 'RATE_LIMIT_EXCEEDED');
  assert.match(rl.message, /200 requests per 3600 s/);
  const bad = parseRobotError(400, fixture('invalid-input'));
  assert.equal(bad.kind, 'invalid_config');
  assert.match(bad.message, /invalid: location/);
  assert.equal(parseRobotError(502, '<html>bad gateway</html>').kind, undefined);
});

test('hetzner-robot rescue: the chainload command quotes the URL and kexecs iPXE with the script as initrd', () => {
  const cmd = chainloadCommand('https://boot.example.com/a.ipxe?x=1&y=2');
  assert.match(cmd, /curl -fsSL -o \/tmp\/ipxe\.lkrn 'https:\/\/boot\.ipxe\.org\/ipxe\.lkrn'/);
  assert.match(cmd, /printf %s '#!ipxe\ndhcp\nchain https:\/\/boot\.example\.com\/a\.ipxe\?x=1&y=2\n' > \/tmp\/ferry\.ipxe/);
  assert.match(cmd, /kexec -l \/tmp\/ipxe\.lkrn --initrd=\/tmp\/ferry\.ipxe/);
  assert.match(cmd, /kexec -e/);
});

test('hetzner-robot offers: one per product and location with net monthly price and setup fee; a market server at its location', async () => {
  const { standardOffers, marketOffer } = await import('../../../src/providers/hetzner-robot/offers.js');
  const at = '2026-12-01T00:00:00.000Z';
  const rows = standardOffers(fixture('products')[0].product, at);
  assert.deepEqual(rows.map((r) => [r.region, r.priceMonthly, r.setupFee, r.currency, r.billing, r.pricesIncludeVat]), [
    ['FSN1', 44, 39, 'EUR', 'monthly', false],
    ['HEL1', 44, 39, 'EUR', 'monthly', false],
  ]);
  assert.deepEqual(standardOffers(fixture('products')[1].product, at), [], 'no prices: no offers, no crash');
  const market = { id: 2391877, name: 'SB', description: ['AMD Ryzen 5 3600', '2x SSD M.2 NVMe 512 GB', '4x RAM 16384 MB DDR4'], datacenter: 'HEL1-DC2', price: '39.5000', price_setup: '0.0000', memory_size: 64, hdd_size: 512, hdd_count: 2 };
  const [m] = marketOffer(market, at);
  assert.deepEqual([m!.plan, m!.region, m!.memoryGb, m!.diskGb, m!.priceMonthly, m!.setupFee, m!.stock], ['2391877', 'HEL1', 64, 1024, 39.5, 0, 1]);
  assert.deepEqual(marketOffer({ ...market, price: null }, at), []);
});
