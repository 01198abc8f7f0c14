/** Elastic Metal through the same driver: order with install, delivery and install stages, power, delete, stock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { NO_IPXE_REASON } from '../../../src/providers/scaleway/bare-metal.js';
import { PUBLIC_KEY, startScaleway } from './support.js';

const order = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  region: 'fr-par-2',
  size: 'EM-A115X-SSD',
  image: { kind: 'ubuntu' as const, version: '24.04' },
  sshKeys: [PUBLIC_KEY],
  ...extra,
});

test('Elastic Metal: an order installs the OS with the SSH key, waits through delivering and installing, powers off and on, and is deleted', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const created = await p.createInstance(order('metal-1'));
  assert.match(created.id, /^em:fr-par-2\/[0-9a-f-]{36}$/);
  assert.equal(created.status.state, 'new');
  assert.equal(created.status.raw, 'delivering');
  assert.equal(created.size, 'EM-A115X-SSD');
  assert.equal(created.labels['managed-by'], 'ferry');

  const [post] = h.requests('POST', '/baremetal/v1/zones/fr-par-2/servers');
  const body = post!.requestBody as { install: { os_id: string; hostname: string; ssh_key_ids: string[] }; offer_id: string };
  assert.equal(body.install.hostname, 'metal-1');
  assert.equal(body.install.os_id, '96e5f0f2-d216-4de2-8a15-68730d877885', 'Ubuntu 24.04 from the zone\'s OS list');
  const keys = await p.getSshKeys();
  assert.deepEqual(body.install.ssh_key_ids, keys.map((k) => k.id), 'the raw key was registered in IAM and its id sent');

  const stages: Progress[] = [];
  const ready = await p.waitReady(created.id, { onProgress: (x) => stages.push(x) });
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  // Which stages a poll catches depends on the machine's speed; their order does not.
  const stageOrder = ['being delivered', 'installation is queued', 'installing the operating system'];
  const seen = stages.map((s) => stageOrder.findIndex((o) => s.message.includes(o)));
  assert.ok(seen.every((i) => i >= 0), `only known stages are reported: ${stages.map((s) => s.message).join('; ')}`);
  assert.deepEqual(seen, [...seen].sort(), 'stages are reported in order');

  assert.deepEqual((await p.listInstances()).map((i) => i.id), [created.id]);
  assert.equal((await p.stopInstance(created.id)).status.state, 'off');
  assert.equal((await p.startInstance(created.id)).status.state, 'active');
  assert.equal((await p.rebootInstance(created.id)).status.state, 'active');

  await p.destroyInstance(created.id);
  assert.equal(await p.getInstance(created.id), null);
  await p.destroyInstance(created.id);
  h.assertConformant();
});

test('Elastic Metal: an offer out of stock in a zone is a capacity error; unknown offers and a keyless project are UserErrors before any order', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  await assert.rejects(p.createInstance(order('metal-4', { sshKeys: [] })), (e: unknown) => UserError.is(e) && /SSH key/.test(e.message));
  await assert.rejects(p.createInstance(order('metal-2', { region: 'nl-ams-1', size: 'EM-B112X-SSD' })), (e: unknown) => {
    assert.ok(ProviderError.is(e, 'capacity'), String(e));
    assert.equal(e.subject, 'out_of_stock');
    return true;
  });
  await assert.rejects(p.createInstance(order('metal-3', { size: 'EM-Z999-NOPE' })), (e: unknown) => UserError.is(e) && /EM-A115X-SSD/.test(`${e.message} ${e.hint}`));
  await assert.rejects(p.createInstance(order('metal-5', { region: 'fr-par-3' })), (e: unknown) => UserError.is(e) && /fr-par-2/.test(`${e.hint}`));
  assert.equal(h.requests('POST', '/baremetal/v1/zones/:z/servers').length, 1, 'only the out-of-stock order was sent');
  h.assertConformant();
});

test('Elastic Metal: while the server is being delivered, waitReady says so and times out as a timeout', async (t) => {
  // Delivery never ends here: the stage cannot move on, whatever the machine's speed.
  const h = await startScaleway(t, { bootMs: 1e12 });
  const p = h.provider({ timeouts: { pollIntervalMs: 2, instanceReadyMs: 200, actionCompleteMs: 30_000, httpRequestMs: 5_000 } });
  const created = await p.createInstance(order('metal-slow'));
  const stages: Progress[] = [];
  await assert.rejects(p.waitReady(created.id, { onProgress: (x) => stages.push(x) }), (e: unknown) => ProviderError.is(e, 'timeout'));
  assert.deepEqual([...new Set(stages.map((s) => s.message))], ['metal-slow: the server is being delivered (racked, cabled, tested)']);
  assert.equal((await p.getInstance(created.id))?.status.raw, 'delivering');
  h.assertConformant();
});

test('Elastic Metal: iPXE reinstall is refused with what the API description offers instead', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  assert.equal(p.capabilities.reinstallIpxe.supported, false);
  await assert.rejects(p.reinstallIpxe('em:fr-par-2/00000000-0000-4000-8000-000000000000', 'https://boot.example/x.ipxe'), (e: unknown) => {
    assert.ok(ProviderError.is(e, 'not_supported'));
    assert.ok(e.message.includes(NO_IPXE_REASON));
    return true;
  });
  assert.equal(h.exchanges.length, 0);
});

test('Elastic Metal offers: hourly and monthly prices, setup fee, minimum term and stock per zone', async (t) => {
  const h = await startScaleway(t);
  const offers = await h.provider().listOffers();
  const a115 = offers.filter((o) => o.plan === 'EM-A115X-SSD');
  assert.deepEqual(a115.map((o) => o.region).sort(), ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'nl-ams-2', 'pl-waw-2', 'pl-waw-3']);
  const par2 = a115.find((o) => o.region === 'fr-par-2')!;
  assert.deepEqual([par2.bareMetal, par2.priceHourly, par2.priceMonthly, par2.billing, par2.setupFee, par2.stock, par2.vcpus, par2.memoryGb], [true, 0.091, 66.43, 'hourly', 0, 10, 8, 32]);
  assert.equal(a115.find((o) => o.region === 'nl-ams-1')!.stock, 1, 'low stock');
  assert.equal(a115.find((o) => o.region === 'nl-ams-2')!.stock, 0, 'none in stock');
  const monthly = offers.find((o) => o.plan === 'EM-L105X-NVME' && o.region === 'fr-par-2')!;
  assert.deepEqual([monthly.billing, monthly.minimumTermMonths, monthly.setupFee, monthly.priceMonthly], ['monthly', 1, 119, 119]);
  h.assertConformant();
});
