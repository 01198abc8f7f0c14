/** Regions, plans (cloud, high frequency, GPU, bare metal), images, offers, and the checks of a create against them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, startVultr, UBUNTU } from './support.js';

test('catalog: regions, sizes with GPUs and bare metal, installable images', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  assert.deepEqual((await p.listRegions()).map((r) => r.id), ['ewr', 'ord', 'dfw', 'sea', 'lax', 'ams', 'fra', 'sgp', 'syd']);
  const sizes = await p.listSizes();
  const l40s = sizes.find((s) => s.id === 'vcg-l40s-16c-180g-48vram')!;
  assert.deepEqual([l40s.gpu, l40s.gpuCount, l40s.regions], ['NVIDIA L40S', 1, ['ewr', 'ord', 'lax']]);
  const metal = sizes.find((s) => s.id === 'vbm-4c-32gb')!;
  assert.deepEqual([metal.vcpus, metal.memoryGb, metal.diskGb, metal.priceMonthly], [8, 32, 480, 120]);
  const images = await p.listImages();
  assert.deepEqual(images.map((i) => i.distribution).sort(), ['debian', 'debian', 'rockylinux', 'ubuntu', 'ubuntu']);
  assert.ok(images.some((i) => i.id === '2284' && i.version === '24.04'));
  assertConformant(h);
});

test('offers: one per plan and region; GPU plans carry model, count and memory; bare metal its lead time', async (t) => {
  const h = await startVultr(t);
  const offers = await h.provider().listOffers();
  const gpu = offers.filter((o) => o.gpu);
  assert.deepEqual([...new Set(gpu.map((o) => o.gpu))].sort(), ['NVIDIA A100', 'NVIDIA A16', 'NVIDIA L40S']);
  const a16 = gpu.find((o) => o.plan === 'vcg-a16-2c-8g-2vram')!;
  assert.deepEqual([a16.gpuCount, a16.gpuMemoryGb, a16.priceMonthly, a16.priceHourly], [1, 2, 43, 0.059]);
  const metal = offers.filter((o) => o.bareMetal);
  assert.deepEqual([...new Set(metal.map((o) => o.plan))], ['vbm-4c-32gb', 'vbm-8c-132gb']);
  assert.ok(metal.every((o) => o.leadTimeHours === 1 && o.setupFee === 0 && o.billing === 'hourly'));
  const cheapest = offers.filter((o) => o.plan === 'vc2-1c-0.5gb-v6');
  assert.deepEqual(cheapest.map((o) => [o.region, o.priceMonthly, o.priceHourly]).slice(0, 1), [['ewr', 2.5, 0.004]]);
  assert.ok(offers.every((o) => o.currency === 'USD' && o.source === 'live' && o.pricesIncludeVat === false));
  assertConformant(h);
});

test('offers: a plan sold out in a region (per its availability) is not offered there, so placement never picks it', async (t) => {
  const h = await startVultr(t, { faults: 'capacity=vultr:ewr:vcg-l40s-16c-180g-48vram' });
  const offers = await h.provider().listOffers();
  assert.deepEqual(offers.filter((o) => o.plan === 'vcg-l40s-16c-180g-48vram').map((o) => o.region), ['ord', 'lax']);
  assert.equal(h.requests('GET', '/v2/regions/:id/availability').length, 9, 'one availability read per region');
  assertConformant(h);
});

test('create checks: a plan not sold in the region is a UserError naming where it is; a sold-out plan is capacity, before any create', async (t) => {
  const h = await startVultr(t, { faults: 'capacity=vultr:fra:vhf-1c-1gb' });
  const p = h.provider();
  await assert.rejects(p.createInstance({ name: 'gpu-1', region: 'syd', size: 'vcg-l40s-16c-180g-48vram', image: UBUNTU }), (e: unknown) => {
    assert.ok(UserError.is(e));
    assert.match(`${e.message} ${e.hint}`, /syd.*ewr, ord, lax/);
    return true;
  });
  await assert.rejects(p.createInstance({ name: 'hf-1', region: 'fra', size: 'vhf-1c-1gb', image: UBUNTU }), (e: unknown) => ProviderError.is(e, 'capacity') && e.subject === 'out_of_stock');
  assert.equal(h.requests('POST', '/v2/instances').length, 0);
  assert.ok(h.exchanges.every((x) => x.method === 'GET'));
  assertConformant(h);
});

test('create errors: an account limit on create is quota; the request carried base64 user data, tags, label and IPv6', async (t) => {
  const h = await startVultr(t, { faults: 'quota=vultr:ams' });
  const p = h.provider();
  await assert.rejects(p.createInstance({ name: 'q-1', region: 'ams', size: 'vc2-1c-1gb', image: UBUNTU, userData: '#cloud-config\n' }), (e: unknown) => ProviderError.is(e, 'quota') && e.status === 400);
  const sent = h.requests('POST', '/v2/instances');
  assert.equal(sent.length, 1, 'a quota refusal is not retried');
  const body = sent[0]!.requestBody as Record<string, unknown>;
  assert.equal(body.user_data, Buffer.from('#cloud-config\n').toString('base64'));
  assert.equal(body.label, 'q-1');
  assert.equal(body.os_id, 2284);
  assert.equal(body.enable_ipv6, true);
  assert.deepEqual((body.tags as string[]).slice(0, 1), ['managed-by=ferry']);
  assertConformant(h);
});

test('the driver rides out 429s: a burst beyond the limit is retried after Retry-After until every call succeeds', async (t) => {
  // Real time and a tight limit (2, refilled 10 a second): the emulator refuses what comes too fast.
  const h = await startVultr(t, { timeScale: 1, rateLimits: { vultr: { capacity: 2, refillPerSecond: 10 } } });
  const p = h.provider({ http: { timeScale: 1, backoffMs: () => 10, budgets: new Map() } });
  const lists = await Promise.all(Array.from({ length: 8 }, () => p.getSshKeys()));
  assert.ok(lists.every((l) => Array.isArray(l)));
  const limited = h.exchanges.filter((x) => x.status === 429).length;
  assert.ok(limited >= 1, 'the emulator refused some requests');
  assert.equal(h.exchanges.filter((x) => x.status === 200).length, 8, 'each call succeeded once in the end');
});

test('after its first answer the driver paces itself at Vultr\'s 30 requests a second: a burst of 60 meets (almost) no 429', async (t) => {
  // Real time and Vultr's own limit in the emulator (30 a second per key).
  const h = await startVultr(t, { timeScale: 1 });
  const p = h.provider({ http: { timeScale: 1, backoffMs: () => 10, budgets: new Map() } });
  await p.getSshKeys();
  await Promise.all(Array.from({ length: 60 }, () => p.getSshKeys()));
  const limited = h.exchanges.filter((x) => x.status === 429).length;
  // Unpaced, 60 at once would meet about 30 refusals; paced at the server's own rate, at most a few from timing jitter.
  assert.ok(limited <= 5, `${limited} requests were refused`);
  assert.equal(h.exchanges.filter((x) => x.status === 200).length, 61);
});

test('bundled offers: dated USD list prices covering the seed\'s four Vultr templates and the GPU plans', () => {
  const path = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../src/providers/vultr/bundled-offers.json');
  const b = JSON.parse(readFileSync(path, 'utf8'));
  assert.match(b.snapshotDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(b.currency, 'USD');
  assert.equal(b.pricesIncludeVat, false);
  const plans = new Map<string, any>(b.plans.map((p: any) => [p.plan, p]));
  for (const seed of ['vc2-1c-0.5gb-v6', 'vc2-1c-1gb', 'vhf-1c-1gb', 'vbm-4c-32gb']) assert.ok(plans.has(seed), seed);
  assert.equal(plans.get('vc2-1c-0.5gb-v6').prices[0].monthly, 2.5);
  assert.equal(plans.get('vbm-4c-32gb').bareMetal, true);
  const gpus = b.plans.filter((p: any) => p.gpu);
  assert.ok(gpus.length >= 3 && gpus.every((p: any) => p.gpu.model && p.gpu.count >= 1 && p.gpu.memoryGb > 0));
  for (const p of b.plans) for (const price of p.prices) assert.ok(price.regions.length > 0 && price.monthly > 0 && price.hourly > 0, p.plan);
});
