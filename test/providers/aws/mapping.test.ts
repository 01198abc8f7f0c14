/** Mapping on fixtures in AWS's format, parsed by the SDK: instances, states, tags, types, prices; optional fields absent. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeInstancesCommand, DescribeInstanceTypesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { toProviderError } from '../../../src/providers/aws/errors.js';
import { hourlyPrice, instanceFromWire, labelsToTags, stateOf, tagsToLabels, typeToOffer, ROOT_VOLUME_EXTRA } from '../../../src/providers/aws/mapping.js';
import { fixture, fixtureClient } from './fixtures.js';

test('DescribeInstances: a full instance, one without address/tags, one in a state ferry does not know', async () => {
  const { client, seen } = fixtureClient({ DescribeInstances: { file: 'describe-instances.xml' } });
  const r = await client.send(new DescribeInstancesCommand({}));
  assert.deepEqual(seen, ['DescribeInstances']);
  const [full, bare, odd] = r.Reservations!.flatMap((x) => x.Instances!).map((i) => instanceFromWire(i, 'eu-west-1'));
  assert.deepEqual(full, {
    provider: 'aws',
    id: 'i-1234567890abcdef0',
    name: 'web-1',
    status: { state: 'active', raw: 'running' },
    ipv4: '54.194.252.215',
    ipv6: null,
    region: 'eu-west-1',
    size: 't3.micro',
    image: 'ami-bff32ccc',
    labels: { 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee00-0000-4000-8000-00000000c0de' },
    createdAt: '2018-05-08T16:46:19.000Z',
  });
  assert.equal(bare!.name, 'i-0598c7d356eba48d7', 'no Name tag: the id names it');
  assert.deepEqual(bare!.status, { state: 'new', raw: 'pending' });
  assert.equal(bare!.ipv4, null);
  assert.deepEqual(bare!.labels, {});
  assert.deepEqual(odd!.status, { state: 'unknown', raw: 'hibernating-soon' });
  assert.equal(odd!.region, 'eu-west-1', 'no placement: the region asked');
  assert.equal(odd!.size, 'unknown');
  assert.equal(odd!.image, null);
  assert.equal(odd!.createdAt, new Date(0).toISOString());
});

test('the state table covers every EC2 state, with unknown as the fallback', () => {
  assert.deepEqual(
    ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated', undefined].map((s) => stateOf(s).state),
    ['new', 'active', 'off', 'off', 'archive', 'archive', 'unknown'],
  );
});

test('labels and tags round-trip; Name and aws:* tags are not labels', () => {
  const labels = { 'managed-by': 'ferry', app: 'shop', empty: '' };
  assert.deepEqual(tagsToLabels(labelsToTags(labels, 'web-1')), labels);
  assert.deepEqual(labelsToTags({ a: 'b' }, 'n'), [{ Key: 'Name', Value: 'n' }, { Key: 'a', Value: 'b' }]);
  assert.deepEqual(tagsToLabels([{ Key: 'aws:autoscaling:groupName', Value: 'x' }, { Value: 'no key' }]), {});
});

test('DescribeInstanceTypes + a Price List document → offers with GPU, architecture and storage; incomplete types are skipped', async () => {
  const { client } = fixtureClient({ DescribeInstanceTypes: { file: 'describe-instance-types.xml' } });
  const types = (await client.send(new DescribeInstanceTypesCommand({}))).InstanceTypes!;
  const price = hourlyPrice(JSON.parse(fixture('price-list-t4g-micro.json')));
  assert.equal(price, 0.0084);
  const at = '2026-12-01T00:00:00.000Z';
  const [p5, t4g, broken] = types.map((t) => typeToOffer(t, 'us-east-1', t.InstanceType === 't4g.micro' ? price! : 55.04, at));
  assert.equal(p5!.gpu, 'NVIDIA H100');
  assert.equal(p5!.gpuCount, 8);
  assert.equal(p5!.gpuMemoryGb, 80);
  assert.equal(p5!.memoryGb, 2048);
  assert.equal(p5!.diskGb, 30400);
  assert.equal(p5!.arch, 'x86');
  assert.equal(p5!.priceMonthly, 40179.2);
  assert.deepEqual({ arch: t4g!.arch, gpu: t4g!.gpu, gpuCount: t4g!.gpuCount, diskGb: t4g!.diskGb, bareMetal: t4g!.bareMetal }, { arch: 'arm', gpu: null, gpuCount: 0, diskGb: 0, bareMetal: false });
  assert.deepEqual(t4g!.extras, [ROOT_VOLUME_EXTRA]);
  assert.equal(broken, undefined);
  assert.equal(hourlyPrice({}), undefined);
  assert.equal(hourlyPrice({ terms: { OnDemand: { x: { priceDimensions: { y: { unit: 'Hrs', pricePerUnit: { USD: 'n/a' } } } } } } }), undefined);
});

test('AWS error documents become ProviderErrors: capacity, and invalid config naming the field', async () => {
  const { client } = fixtureClient({ RunInstances: { status: 500, file: 'error-insufficient-capacity.xml' } });
  const err = await client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: 'ami-1' })).catch((e: unknown) => e);
  const mapped = toProviderError(err, 'RunInstances', (s) => s);
  assert.equal(mapped.kind, 'capacity');
  assert.equal(mapped.subject, 'InsufficientInstanceCapacity');
  assert.equal(mapped.retryable, false);
  assert.equal(mapped.status, 500);

  const bad = fixtureClient({ RunInstances: { status: 400, file: 'error-invalid-parameter.xml' } });
  const e2 = await bad.client.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: 'ami-1' })).catch((e: unknown) => e);
  const m2 = toProviderError(e2, 'RunInstances', (s) => s);
  assert.equal(m2.kind, 'invalid_config');
  assert.match(m2.message, /field InstanceType/);
});
