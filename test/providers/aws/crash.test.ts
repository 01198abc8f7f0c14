/**
 * A create whose RunInstances was applied but never answered: the process making it is killed,
 * then the create is repeated with the same create id. One instance exists, found by its tag,
 * and its ClientToken is the one derived from the create id.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, type DescribeInstancesCommandOutput, type DescribeSecurityGroupsCommandOutput } from '@aws-sdk/client-ec2';
import { CREATE_ID_KEY } from '../../../src/core/index.js';
import { clientTokenOf, type AwsProvider } from '../../../src/providers/aws/index.js';
import { queryFieldsOf } from '../../support/spec-botocore.js';
import { REGION } from './contract-target.js';
import { awsHarness } from './harness.js';

const image = { kind: 'ubuntu' as const, version: '24.04' };

// Reads go as GET through the driver's client: only POSTs lose their answers here.
async function defaultGroup(p: AwsProvider): Promise<string> {
  const r = await p.aws.ec2Call<DescribeSecurityGroupsCommandOutput>(REGION, new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }));
  return r.SecurityGroups![0]!.GroupId!;
}

function describeAll(p: AwsProvider): Promise<DescribeInstancesCommandOutput> {
  return p.aws.ec2Call<DescribeInstancesCommandOutput>(REGION, new DescribeInstancesCommand({}));
}

test('killed between RunInstances sent and answered, then created again: one instance, found by its create id', async (t) => {
  // Every POST is applied and then its connection is cut: the client never hears of it.
  const h = await awsHarness(t, { faults: { resetAfterCommit: 1 } });
  const group = await defaultGroup(h.provider);
  const createId = 'c0ffee00-0000-4000-8000-0000000c4a54';

  const child = spawn(process.execPath, [fileURLToPath(new URL('./crash-child.js', import.meta.url)), h.url, createId, group], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  // Kill it as soon as the emulator has applied a RunInstances it will not answer.
  const killed = (async () => {
    for (let i = 0; i < 30_000; i++) {
      if (h.exchanges.some((x) => x.reset && queryFieldsOf(x)?.Action === 'RunInstances')) return child.kill('SIGKILL');
      await new Promise((ok) => setTimeout(ok, 1));
    }
    child.kill('SIGKILL');
    throw new Error('the child never sent RunInstances');
  })();
  await killed;
  await exited;
  assert.ok(!out.includes('answered'), 'the child never heard the answer');

  const sent = h.exchanges.filter((x) => queryFieldsOf(x)?.Action === 'RunInstances');
  assert.ok(sent.length >= 1 && sent.every((x) => x.reset));
  assert.ok(sent.every((x) => queryFieldsOf(x)!.ClientToken === clientTokenOf(createId)), 'the ClientToken derives from the create id');

  const p = await h.make({ options: { securityGroupIds: group } });
  const again = await p.createInstance({ name: 'crash-1', region: REGION, size: 't3.micro', image, createId });
  assert.equal(again.labels[CREATE_ID_KEY], createId);
  assert.equal(h.exchanges.filter((x) => queryFieldsOf(x)?.Action === 'RunInstances').length, sent.length, 'the repeat found it without launching');

  const all = await describeAll(h.provider);
  const instances = all.Reservations!.flatMap((r) => r.Instances!);
  assert.deepEqual(instances.map((i) => i.InstanceId), [again.id], 'one instance in the account');
  assert.equal(instances[0]!.ClientToken, clientTokenOf(createId));
  h.conformant();
});

test('an answer lost on every attempt: the SDK re-sends with the same ClientToken, the driver looks the create id up, one instance', async (t) => {
  const h = await awsHarness(t, { faults: { resetAfterCommit: 1 } });
  const p = await h.make({ options: { securityGroupIds: await defaultGroup(h.provider) }, maxRetries: 2 });
  const inst = await p.createInstance({ name: 'lost-1', region: REGION, size: 't3.micro', image });
  const runs = h.exchanges.filter((x) => queryFieldsOf(x)?.Action === 'RunInstances');
  assert.ok(runs.length >= 3, `RunInstances re-sent (${runs.length})`);
  assert.equal(new Set(runs.map((x) => queryFieldsOf(x)!.ClientToken)).size, 1, 'always the same token');
  const all = await describeAll(h.provider);
  assert.deepEqual(all.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)), [inst.id]);
  h.conformant();
});
