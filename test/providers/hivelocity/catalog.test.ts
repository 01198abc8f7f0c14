/**
 * Catalog and descriptor: live offers from the emulated store (RTX 4090 included), sizes, images,
 * regions, the bundled price snapshot against the catalog note's four templates, the bare-metal
 * descriptor, and an order whose answer is lost (found again by its create id, never sent twice).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, UserError } from '../../../src/core/index.js';
import { capabilities, createProvider } from '../../../src/providers/hivelocity/index.js';
import { hivelocityDescriptor } from '../../../src/providers/hivelocity/meta.js';
import { harness } from './harness.js';

const SITES = ['ATL2', 'LAX2', 'MIA1', 'NYC1', 'TPA1'];

test('hivelocity offers: every product in five facilities, monthly, no setup fee, stock per site, GPU RTX 4090 from the GPU listing', async (t) => {
  const h = await harness(t);
  const offers = await h.provider.listOffers();
  assert.equal(offers.length, 4 * SITES.length);
  assert.deepEqual([...new Set(offers.map((o) => o.region))].sort(), SITES);
  assert.ok(offers.every((o) => o.bareMetal && o.billing === 'monthly' && o.setupFee === 0 && o.minimumTermMonths === 1 && o.currency === 'USD' && o.source === 'live'));
  const prices = offers.map((o) => o.priceMonthly);
  assert.deepEqual([Math.min(...prices), Math.max(...prices)], [85, 575]);
  const gpu = offers.filter((o) => o.gpu?.includes('RTX 4090'));
  assert.deepEqual(gpu.map((o) => o.region).sort(), SITES);
  const lax = gpu.find((o) => o.region === 'LAX2')!;
  assert.deepEqual([lax.gpuCount, lax.gpuMemoryGb, lax.vcpus, lax.memoryGb, lax.leadTimeHours, lax.stock], [1, 24, 32, 128, 2, null]);
  assert.equal(gpu.find((o) => o.region === 'NYC1')!.stock, 0, 'out of stock there');
  assert.equal(gpu.find((o) => o.region === 'TPA1')!.stock, 1, 'limited');
  const small = offers.find((o) => o.plan === '525' && o.region === 'TPA1')!;
  assert.equal(small.leadTimeHours, 0.5);
  assert.equal(small.priceHourly, Math.round((85 / 730) * 10_000) / 10_000, 'a monthly offer spreads its month over 730 hours');
  assert.deepEqual(h.exchanges.map((x) => `${x.path}${x.query}`), ['/api/v2/inventory/product?location=MAIN&group_by=facility', '/api/v2/inventory/product?location=GPU&group_by=facility']);
  h.assertConformant();
});

test('hivelocity catalog: regions are facility codes, sizes are product ids with the facilities in stock, images are OS options (not iPXE)', async (t) => {
  const h = await harness(t);
  assert.deepEqual((await h.provider.listRegions()).map((r) => r.id).sort(), SITES);
  const sizes = await h.provider.listSizes();
  assert.deepEqual(sizes.map((s) => s.id).sort(), ['525', '576', '612', '640']);
  assert.deepEqual(sizes.find((s) => s.id === '612')!.regions.sort(), ['ATL2', 'LAX2', 'MIA1', 'TPA1']);
  assert.equal(sizes.find((s) => s.id === '640')!.gpu, 'NVIDIA GeForce RTX 4090');
  const images = await h.provider.listImages();
  assert.ok(images.some((i) => i.id === 'Ubuntu 24.04' && i.distribution === 'ubuntu' && i.version === '24.04'));
  assert.ok(!images.some((i) => /ipxe/i.test(i.id)));
  await h.provider.validateRegion('LAX2');
  await h.provider.validateInstanceType('640');
  await assert.rejects(h.provider.validateInstanceType('cx22'), (e: unknown) => UserError.is(e) && /sizes are product ids: 525 \(E3-1230 v6\)/.test(e.hint ?? ''));
  await h.provider.validateCredentials();
  h.assertConformant();
});

test('hivelocity: an order whose answer is lost is found by its create id, not ordered twice', async (t) => {
  const h = await harness(t, { faults: { resetAfterCommit: 1 } });
  const inst = await h.provider.createInstance({ name: 'lost-1', region: 'LAX2', size: '576', image: parseImageSpec('debian-12') });
  assert.equal(inst.name, 'lost-1');
  assert.equal(h.exchanges.filter((x) => x.method === 'POST').length, 1, 'one order');
  assert.equal((await h.provider.listInstances()).length, 1);
  h.assertConformant();
});

test('hivelocity descriptor: bare metal, HIVELOCITY_API_KEY, end-of-period cancellation, hours to be ready, iPXE by reload', () => {
  assert.equal(hivelocityDescriptor.kind, 'bare-metal');
  assert.equal(hivelocityDescriptor.credentials[0]!.env, 'HIVELOCITY_API_KEY');
  assert.equal(hivelocityDescriptor.destroy?.kind, 'end-of-period');
  assert.match(hivelocityDescriptor.destroy!.note, /Cancellation Started/);
  assert.ok(capabilities.reinstallIpxe.supported && /Custom iPXE/.test(capabilities.reinstallIpxe.note!));
  assert.ok(!capabilities.snapshots.supported);
  assert.equal(createProvider({ credentials: { apiKey: 'k' } }).timeouts.instanceReadyMs, 4 * 3600_000);
  assert.equal(createProvider({ credentials: { apiKey: 'k' }, timeouts: { instanceReadyMs: 5 } }).timeouts.instanceReadyMs, 5);
});

test('hivelocity bundled prices: the catalog note\'s four templates, $85–$575 a month, RTX 4090, five sites', async () => {
  const prices = hivelocityDescriptor.prices;
  assert.ok(prices && 'bundled' in prices);
  const b = ((await prices.bundled()) as { default: any }).default;
  assert.match(b.snapshotDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(b.currency, 'USD');
  assert.equal(b.plans.length, 4);
  const monthly = b.plans.flatMap((p: any) => p.prices.map((x: any) => x.monthly));
  assert.deepEqual([Math.min(...monthly), Math.max(...monthly)], [85, 575]);
  const hourly = b.plans.flatMap((p: any) => p.prices.map((x: any) => x.hourly));
  assert.deepEqual([Math.min(...hourly), Math.max(...hourly)], [0.12, 0.8]);
  assert.deepEqual(b.plans.filter((p: any) => p.gpu).map((p: any) => p.gpu.model), ['NVIDIA GeForce RTX 4090']);
  const sites = new Set(b.plans.flatMap((p: any) => p.prices.flatMap((x: any) => x.regions)));
  assert.deepEqual([...sites].sort(), SITES);
  assert.ok(b.plans.every((p: any) => p.bareMetal && p.billing === 'monthly' && p.setupFee === 0 && p.leadTimeHours > 0));
});
