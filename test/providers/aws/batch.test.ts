/** MinCount/MaxCount batch launches: idempotent per batch (ClientToken) and per server (create-id tags), and a fleet of 200. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, destroyFleet, FLEET_KEY, type InstanceRequest } from '../../../src/core/index.js';
import { BATCH_KEY, launchBatch, provisionBatchFleet } from '../../../src/providers/aws/index.js';
import { queryFieldsOf } from '../../support/spec-botocore.js';
import { REGION } from './contract-target.js';
import { awsHarness } from './harness.js';

const image = { kind: 'ubuntu' as const, version: '24.04' };
const request = (n: number, extra: Partial<InstanceRequest> = {}): InstanceRequest => ({
  name: `node-${n}`, region: REGION, size: 't3.micro', image, createId: `c0ffee00-0000-4000-8000-${String(n).padStart(12, '0')}`, ...extra,
});

test('a batch is one RunInstances; each server gets its own name and create id; running it again launches nothing', async (t) => {
  const h = await awsHarness(t);
  const p = h.provider;
  const reqs = [1, 2, 3, 4, 5].map((n) => request(n, { labels: { role: n === 1 ? 'lead' : 'worker', app: 'shop' } }));
  const first = await launchBatch(p, reqs);
  assert.equal(first.instances.length, 5);
  assert.deepEqual(first.missing, []);
  const runs = () => h.exchanges.filter((x) => queryFieldsOf(x)?.Action === 'RunInstances');
  assert.equal(runs().length, 1);
  const run = queryFieldsOf(runs()[0]!)!;
  assert.equal(run.MinCount, '1');
  assert.equal(run.MaxCount, '5');
  assert.equal(run.ClientToken, `ferry-batch-${first.batchId}`);

  const listed = await p.listInstances({ labels: { app: 'shop' } });
  assert.equal(listed.length, 5);
  for (const r of reqs) {
    const inst = listed.find((i) => i.labels[CREATE_ID_KEY] === r.createId);
    assert.ok(inst, `server ${r.name} carries its create id`);
    assert.equal(inst.name, r.name);
    assert.equal(inst.labels.role, r.labels!.role);
    assert.equal(inst.labels[BATCH_KEY], first.batchId);
  }

  const again = await launchBatch(p, reqs);
  assert.deepEqual(again.instances.map((i) => i.id), first.instances.map((i) => i.id), 'the same servers, in request order');
  assert.equal(runs().length, 1, 'no second launch');
  assert.equal((await p.listInstances({ all: true })).length, 5);
  h.conformant();
});

test('a batch with different launch specs is refused before anything is sent', async (t) => {
  const h = await awsHarness(t);
  await assert.rejects(launchBatch(h.provider, [request(1), request(2, { size: 't3.small' })]), /one region, size, image/);
  assert.equal(h.exchanges.length, 0);
});

test('a fleet of 200 in MinCount/MaxCount batches of 50: requests per ready server', async (t) => {
  const h = await awsHarness(t);
  const p = h.provider;
  const reqs = Array.from({ length: 200 }, (_, n): InstanceRequest => ({ name: `fleet-${n}`, region: REGION, size: 't3.micro', image, labels: { fleet: 'f200' } }));
  const res = await provisionBatchFleet(p, reqs, { batchSize: 50 });
  assert.deepEqual(res.failed, []);
  assert.equal(res.ready.length, 200);
  assert.equal(res.batches, 4);
  assert.ok(res.ready.every((i) => i.status.state === 'active' && i.ipv4 && i.labels[FLEET_KEY]));
  assert.equal(new Set(res.ready.map((i) => i.labels[CREATE_ID_KEY])).size, 200, 'every server has its own create id');
  const total = h.emu.requestCounts().aws!;
  const byAction = new Map<string, number>();
  for (const a of h.actions()) byAction.set(a, (byAction.get(a) ?? 0) + 1);
  t.diagnostic(`fleet of 200: ${total} requests, ${(total / res.ready.length).toFixed(2)} per ready server (${[...byAction].map(([a, n]) => `${a} ${n}`).join(', ')})`);
  assert.equal(byAction.get('RunInstances'), 4);
  assert.ok(total / res.ready.length < 1.5, `requests per ready server: ${total / res.ready.length}`);
  h.conformant();
});

test('destroyFleet: a batch fleet goes with one TerminateInstances carrying every id, after one listing of its tag', async (t) => {
  const h = await awsHarness(t);
  const reqs = Array.from({ length: 20 }, (_, n): InstanceRequest => ({ name: `gone-${n}`, region: REGION, size: 't3.micro', image }));
  const { ready } = await provisionBatchFleet(h.provider, reqs, { batchSize: 10 });
  const from = h.exchanges.length;
  const res = await destroyFleet(h.provider, ready);
  assert.deepEqual([res.destroyed.length, res.gone.length, res.failed.length], [20, 0, 0]);
  const terminates = h.exchanges.slice(from).map(queryFieldsOf).filter((f) => f?.Action === 'TerminateInstances');
  assert.equal(terminates.length, 1);
  const ids = Object.entries(terminates[0]!).filter(([k]) => k.startsWith('InstanceId.')).map(([, v]) => v);
  assert.deepEqual(ids.sort(), ready.map((i) => i.id).sort());
  assert.ok((await h.provider.listInstances({ labels: { [FLEET_KEY]: ready[0]!.labels[FLEET_KEY]! } })).every((i) => i.status.state === 'archive'));
  h.conformant();
});
