/** AMI resolution (newest, per architecture, cached), live offers through the emulated Price List API, and the bundled rows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/index.js';
import { newestImage } from '../../../src/providers/aws/catalog.js';
import bundled from '../../../src/providers/aws/bundled-offers.json' with { type: 'json' };
import { queryFieldsOf } from '../../support/spec-botocore.js';
import { REGION } from './contract-target.js';
import { awsHarness } from './harness.js';

test('ubuntu and debian resolve to the newest official AMI of the type\'s architecture, once per region', async (t) => {
  const h = await awsHarness(t);
  const p = h.provider;
  const x86 = await p.catalog.resolveImage({ kind: 'ubuntu', version: '24.04' }, REGION, 'x86_64');
  const arm = await p.catalog.resolveImage({ kind: 'ubuntu', version: '24.04' }, REGION, 'arm64');
  const deb = await p.catalog.resolveImage({ kind: 'debian', version: '12' }, REGION, 'x86_64');
  assert.notEqual(x86, arm);
  assert.equal(await p.catalog.resolveImage({ kind: 'ubuntu', version: '24.04' }, REGION, 'x86_64'), x86, 'cached');
  const lookups = h.exchanges.map(queryFieldsOf).filter((f) => f?.Action === 'DescribeImages');
  assert.equal(lookups.length, 3);
  assert.deepEqual([lookups[0]!['Owner.1'], lookups[2]!['Owner.1']], ['099720109477', '136693071363']);
  const inst = await p.createInstance({ name: 'arm-1', region: REGION, size: 't4g.small', image: { kind: 'debian', version: '12' } });
  assert.notEqual(inst.image, deb, 'an arm type boots the arm64 build');
  await assert.rejects(p.catalog.resolveImage({ kind: 'debian', version: '9' }, REGION, 'x86_64'), (e: unknown) => UserError.is(e) && /debian-12/.test(e.hint ?? ''));
  await assert.rejects(p.catalog.resolveImage({ kind: 'custom', id: 'ami-0000000000000dead' }, REGION, 'x86_64'), (e: unknown) => UserError.is(e));
  assert.equal(await p.catalog.resolveImage({ kind: 'custom', id: x86 }, REGION, 'x86_64'), x86, 'an AMI id passes through');
  h.conformant();
});

test('newest image by CreationDate, deregistered ones ignored', () => {
  const img = newestImage([
    { ImageId: 'ami-1', CreationDate: '2025-03-18T12:00:00.000Z' },
    { ImageId: 'ami-3', CreationDate: '2026-01-01T00:00:00.000Z', State: 'deregistered' },
    { ImageId: 'ami-2', CreationDate: '2025-10-01T12:00:00.000Z' },
    { CreationDate: '2027-01-01T00:00:00.000Z' },
  ]);
  assert.equal(img?.ImageId, 'ami-2');
});

test('live offers: DescribeInstanceTypes joined with GetProducts prices, GPUs included, cached', async (t) => {
  const h = await awsHarness(t);
  const offers = await h.provider.listOffers();
  const p5 = offers.find((o) => o.plan === 'p5.48xlarge');
  assert.ok(p5, 'p5.48xlarge is offered in us-east-1');
  assert.deepEqual({ gpu: p5.gpu, gpuCount: p5.gpuCount, gpuMemoryGb: p5.gpuMemoryGb, source: p5.source, currency: p5.currency }, { gpu: 'NVIDIA H100', gpuCount: 8, gpuMemoryGb: 80, source: 'live', currency: 'USD' });
  assert.equal(offers.find((o) => o.plan === 't3.micro')?.priceHourly, 0.0104);
  assert.equal(offers.find((o) => o.plan === 't4g.small')?.arch, 'arm');
  const before = h.exchanges.length;
  await h.provider.listOffers();
  assert.equal(h.exchanges.length, before, 'the second listing is served from the cache');
  h.conformant();
});

test('bundled prices cover the seed\'s four types in its five regions and the common GPU types', () => {
  const seedRegions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1'];
  for (const plan of ['t3.micro', 't3.medium', 'c5.large', 'c5.2xlarge']) {
    const row = bundled.plans.find((p) => p.plan === plan);
    assert.ok(row, plan);
    assert.deepEqual(row.prices.flatMap((p) => p.regions).sort(), [...seedRegions].sort(), plan);
  }
  for (const [plan, model] of [['p5.48xlarge', 'H100'], ['p4d.24xlarge', 'A100'], ['g5.xlarge', 'A10G'], ['g6.xlarge', 'L4'], ['g4dn.xlarge', 'T4']]) {
    assert.match(bundled.plans.find((p) => p.plan === plan)?.gpu?.model ?? '', new RegExp(model!));
  }
  const prices = bundled.plans.flatMap((p) => p.prices);
  assert.ok(prices.every((p) => Math.abs(p.monthly - p.hourly * 730) < 0.01));
  assert.equal(Math.min(...bundled.plans.filter((p) => !p.gpu).flatMap((p) => p.prices.map((x) => x.hourly))), 0.0104);
});
