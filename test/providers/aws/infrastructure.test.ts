/** Key pairs, snapshot cleanup, validation, ownership, cancellation and the terminated instance's afterlife. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeKeyPairsCommand, DescribeSnapshotsCommand, type DescribeImagesCommandOutput, type DescribeInstancesCommandOutput, type DescribeKeyPairsCommandOutput, type DescribeSnapshotsCommandOutput } from '@aws-sdk/client-ec2';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { queryFieldsOf } from '../../support/spec-botocore.js';
import { AWS, REGION } from './contract-target.js';
import { awsHarness } from './harness.js';

const image = { kind: 'ubuntu' as const, version: '24.04' };
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0cDw4aY2r6a2bl0JmQ8n0m9y3rQ6xL0m7y1w2x3z4A user@host';

test('a public key is imported once as a key pair and used for every create; a second key is refused', async (t) => {
  const h = await awsHarness(t);
  const p = h.provider;
  const userData = '#cloud-config\npackages: [nginx]\n';
  const a = await p.createInstance({ name: 'key-1', region: REGION, size: 't3.micro', image, sshKeys: [KEY], userData });
  const run = h.exchanges.map(queryFieldsOf).find((f) => f?.Action === 'RunInstances')!;
  assert.equal(Buffer.from(run.UserData!, 'base64').toString(), userData, 'user data travels base64');
  await p.createInstance({ name: 'key-2', region: REGION, size: 't3.micro', image, sshKeys: [KEY] });
  assert.equal(h.actions().filter((x) => x === 'ImportKeyPair').length, 1);
  const keys = await p.aws.ec2Call<DescribeKeyPairsCommandOutput>(REGION, new DescribeKeyPairsCommand({}));
  assert.equal(keys.KeyPairs!.length, 1);
  const d = await p.aws.ec2Call<DescribeInstancesCommandOutput>(REGION, new DescribeInstancesCommand({ InstanceIds: [a.id] }));
  assert.equal(d.Reservations![0]!.Instances![0]!.KeyName, keys.KeyPairs![0]!.KeyName);
  assert.deepEqual((await p.getSshKeys()).map((k) => k.name), [keys.KeyPairs![0]!.KeyName]);
  await assert.rejects(p.createInstance({ name: 'key-3', region: REGION, size: 't3.micro', image, sshKeys: [KEY, KEY.replace('AAAAI', 'AAAAJ')] }), (e: unknown) => UserError.is(e));
  await assert.rejects(p.createInstance({ name: 'key-4', region: REGION, size: 't3.micro', image, sshKeys: ['no-such-pair'] }), (e: unknown) => UserError.is(e) && /no-such-pair/.test(e.message));
  h.conformant();
});

test('deleting a snapshot deregisters the AMI and deletes its EBS snapshot; foreign images are left alone and foreign instances refused', async (t) => {
  const h = await awsHarness(t);
  const p = h.provider;
  const inst = await p.createInstance({ name: 'snap-src', region: REGION, size: 't3.micro', image });
  await p.waitReady(inst.id);
  const snap = await p.createSnapshot(inst.id, 'ferry-snap-1');
  const ebs = () => p.aws.ec2Call<DescribeSnapshotsCommandOutput>(REGION, new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  assert.equal((await ebs()).Snapshots!.length, 1);
  await p.deleteSnapshot(snap.id);
  assert.deepEqual((await ebs()).Snapshots, [], 'the EBS snapshot behind the AMI is gone too');
  assert.deepEqual(h.actions().filter((a) => a === 'DeregisterImage' || a === 'DeleteSnapshot'), ['DeregisterImage', 'DeleteSnapshot']);

  const raw = AWS.raw(h.url, AWS.secret);
  const foreign = await AWS.rawUnmanaged(raw, 'not-ours');
  await assert.rejects(p.destroyInstance(foreign), (e: unknown) => ProviderError.is(e, 'conflict'));
  await AWS.rawSnapshot(raw, foreign, REGION);
  const foreignImage = (await p.aws.ec2Call<DescribeImagesCommandOutput>(REGION, new DescribeImagesCommand({ Owners: ['self'] }))).Images![0]!.ImageId!;
  await p.deleteSnapshot(foreignImage); // re-read: not among ferry's snapshots, so left alone
  assert.equal(h.actions().filter((a) => a === 'DeregisterImage').length, 1, 'only ferry\'s image was deregistered');
  assert.equal((await p.aws.ec2Call<DescribeImagesCommandOutput>(REGION, new DescribeImagesCommand({ ImageIds: [foreignImage] }))).Images!.length, 1, 'the foreign image is still there');
  assert.ok(!h.exchanges.some((x) => queryFieldsOf(x)?.Action === 'TerminateInstances'), 'nothing foreign was terminated');
  h.conformant();
});

test('validation: offered types, regions and credentials by lookups', async (t) => {
  const h = await awsHarness(t);
  const p = h.provider;
  await p.validateInstanceType('c5.2xlarge');
  await p.validateRegion('eu-west-1');
  await p.validateCredentials();
  await assert.rejects(p.validateInstanceType('p5.48xlarge-nope'), (e: unknown) => UserError.is(e) && /p5\.48xlarge/.test(e.hint ?? ''));
  await assert.rejects(p.validateRegion('eu-north-9'), (e: unknown) => UserError.is(e));
  const eu = await h.make({ options: { region: 'ap-southeast-1' } });
  assert.ok((await eu.listRegions()).some((r) => r.id === 'ap-southeast-1'));
  assert.ok(h.exchanges.every((x) => x.method === 'GET'), 'lookups only');
  h.conformant();
});

test('an aborted call is cancelled, not retried', async (t) => {
  const h = await awsHarness(t);
  const ctl = new AbortController();
  ctl.abort();
  await assert.rejects(h.provider.listInstances({ signal: ctl.signal }), (e: unknown) => ProviderError.is(e, 'cancelled'));
  assert.equal(h.exchanges.length, 0, 'nothing was sent');
});

test('a terminated instance is gone for ferry at once, described by EC2 for an hour, then not at all', async (t) => {
  const h = await awsHarness(t); // an emulated hour is 3.6 s here
  const p = h.provider;
  const inst = await p.createInstance({ name: 'short-1', region: REGION, size: 't3.micro', image });
  await p.destroyInstance(inst.id);
  assert.equal(await p.getInstance(inst.id), null);
  const described = async () =>
    (await p.aws.ec2Call<DescribeInstancesCommandOutput>(REGION, new DescribeInstancesCommand({}))).Reservations!.flatMap((r) => r.Instances!).map((i) => i.State?.Name);
  assert.equal((await described()).length, 1);
  for (let i = 0; i < 20_000 && (await described()).length > 0; i++) await new Promise((ok) => setTimeout(ok, 5));
  assert.deepEqual(await described(), [], 'gone after the hour');
});
