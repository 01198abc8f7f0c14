/** Offers: live from /products/servers and Elastic Metal offers in every zone; the dated bundled snapshot. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scalewayDescriptor } from '../../../src/providers/scaleway/meta.js';
import { BAREMETAL_ZONES, INSTANCE_ZONES } from '../../../src/providers/scaleway/catalog.js';
import { startScaleway } from './support.js';

test('live offers: every zone of both APIs, GPUs with model, count and memory, net EUR, read once per zone and cached', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const offers = await p.listOffers();
  assert.deepEqual(new Set(offers.filter((o) => !o.bareMetal).map((o) => o.region)), new Set(INSTANCE_ZONES));
  const h100 = offers.filter((o) => o.gpu === 'H100');
  assert.deepEqual(h100.map((o) => [o.plan, o.region, o.gpuCount, o.gpuMemoryGb]).sort(), [['H100-1-80G', 'fr-par-2', 1, 80], ['H100-2-80G', 'fr-par-2', 2, 80]]);
  const render = offers.find((o) => o.plan === 'RENDER-S')!;
  assert.deepEqual([render.gpu, render.gpuMemoryGb, render.region], ['P100', 16, 'fr-par-1']);
  assert.ok(offers.every((o) => o.currency === 'EUR' && o.pricesIncludeVat === false && o.source === 'live'));
  assert.equal(offers.find((o) => o.plan === 'COPARM1-2C-8G')!.arch, 'arm');
  const reads = h.exchanges.length;
  assert.equal(reads, INSTANCE_ZONES.length + BAREMETAL_ZONES.length, 'one read per zone and API');
  await p.listOffers();
  assert.equal(h.exchanges.length, reads, 'the second listing is served from the cache');
  h.assertConformant();
});

interface BundledPlan {
  plan: string;
  vcpus: number;
  memoryGb: number;
  arch: string;
  gpu: { model: string; count: number; memoryGb: number } | null;
  bareMetal: boolean;
  billing: string;
  setupFee: number;
  minimumTermMonths: number;
  prices: { regions: string[]; hourly?: number; monthly: number }[];
}

test('bundled offers: dated, sourced, in the documented format, covering the seed\'s templates (GPU RENDER-S and H100-1-80G) and Elastic Metal', async () => {
  assert.ok('bundled' in scalewayDescriptor.prices!);
  const mod = (await (scalewayDescriptor.prices as { bundled: () => Promise<{ default: Record<string, unknown> }> }).bundled()).default;
  assert.match(String(mod.snapshotDate), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(mod.currency, 'EUR');
  assert.equal(mod.hoursPerMonth, 730);
  assert.equal(mod.pricesIncludeVat, false);
  assert.match(String(mod.source), /scaleway\.com/);
  const plans = mod.plans as BundledPlan[];
  const zones = new Set<string>([...INSTANCE_ZONES, ...BAREMETAL_ZONES]);
  for (const p of plans) {
    assert.ok(p.vcpus > 0 && p.memoryGb > 0 && ['x86', 'arm'].includes(p.arch), p.plan);
    for (const price of p.prices) {
      assert.ok(price.regions.every((r) => zones.has(r)), `${p.plan}: regions are zones`);
      assert.ok(price.monthly > 0 && (price.hourly === undefined || price.hourly > 0), p.plan);
    }
    if (p.billing === 'monthly') assert.ok(p.minimumTermMonths >= 1 && price(p) === undefined, `${p.plan}: monthly offers have a term and no hourly price`);
  }
  const byName = new Map(plans.map((p) => [p.plan, p]));
  assert.deepEqual(byName.get('H100-1-80G')!.gpu, { model: 'H100', count: 1, memoryGb: 80 });
  assert.equal(byName.get('RENDER-S')!.gpu!.count, 1);
  assert.ok(plans.some((p) => p.arch === 'arm'));
  assert.ok(plans.filter((p) => p.bareMetal).length >= 2);
  assert.ok(plans.length >= 6);
});

function price(p: BundledPlan): number | undefined {
  return p.prices[0]?.hourly;
}

test('sizes: every commercial type once, with the zones that sell it; GPU types carry their model', async (t) => {
  const h = await startScaleway(t);
  const sizes = await h.provider().listSizes();
  const byId = new Map(sizes.map((s) => [s.id, s]));
  assert.equal(byId.size, sizes.length, 'no type twice');
  assert.deepEqual(byId.get('H100-1-80G')!.regions, ['fr-par-2']);
  assert.deepEqual([byId.get('H100-1-80G')!.gpu, byId.get('H100-1-80G')!.gpuCount], ['H100', 1]);
  assert.deepEqual(byId.get('DEV1-S')!.regions.sort(), ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'pl-waw-1']);
  assert.deepEqual([byId.get('DEV1-S')!.vcpus, byId.get('DEV1-S')!.memoryGb, byId.get('DEV1-S')!.currency], [2, 2, 'EUR']);
  h.assertConformant();
});
