import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/index.js';
import { assertConformant } from './conformance.js';
import { startHarness } from './harness.js';

test('sizes with prices, one offer per size and region, regions, distribution images, validation', async (t) => {
  const h = await startHarness(t, { pageSize: 5 });
  const p = h.provider;
  const sizes = await p.listSizes();
  const basic = sizes.find((s) => s.id === 's-1vcpu-1gb')!;
  assert.deepEqual(
    { vcpus: basic.vcpus, memoryGb: basic.memoryGb, diskGb: basic.diskGb, priceHourly: basic.priceHourly, priceMonthly: basic.priceMonthly, currency: basic.currency },
    { vcpus: 1, memoryGb: 1, diskGb: 25, priceHourly: 0.00893, priceMonthly: 6, currency: 'USD' },
  );
  const gpu = sizes.find((s) => s.gpu)!;
  assert.equal(gpu.gpu, 'nvidia_h100');

  const offers = await p.listOffers();
  assert.equal(offers.length, sizes.reduce((n, s) => n + s.regions.length, 0));
  assert.ok(offers.every((o) => o.provider === 'digitalocean' && o.currency === 'USD' && o.priceHourly > 0 && !o.bareMetal));
  assert.ok(offers.some((o) => o.plan === 'gpu-h100x1-80gb' && o.region === 'tor1' && o.gpuCount === 1));

  const regions = await p.listRegions();
  assert.ok(regions.some((r) => r.id === 'fra1' && r.name === 'Frankfurt 1' && r.available));
  const images = await p.listImages();
  assert.ok(images.some((i) => i.id === 'ubuntu-24-04-x64' && i.version === '24.04' && i.distribution === 'Ubuntu'));
  assert.ok(images.some((i) => i.id === 'debian-12-x64' && i.version === '12'));

  await p.validateRegion('nyc3');
  await p.validateInstanceType('c-2');
  await assert.rejects(p.validateRegion('xyz9'), (e) => UserError.is(e) && /nyc3/.test(e.hint ?? ''));
  await assert.rejects(p.validateInstanceType('huge'), (e) => UserError.is(e) && /s-1vcpu-1gb/.test(e.hint ?? ''));
  assertConformant(t, h);
});
