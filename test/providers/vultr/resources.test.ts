/** SSH keys, snapshots' ownership, firewall rules, VPC ranges and block storage as the driver leaves them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, PUBLIC_KEY, startVultr, UBUNTU } from './support.js';

test('SSH keys: a public key is registered once and reused; a key id passes through; an unknown id is a UserError', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  const a = await p.createInstance({ name: 'k-1', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU, sshKeys: [PUBLIC_KEY] });
  const b = await p.createInstance({ name: 'k-2', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU, sshKeys: [`${PUBLIC_KEY.split(' ').slice(0, 2).join(' ')} other-comment`] });
  assert.equal(h.requests('POST', '/v2/ssh-keys').length, 1, 'the same key (another comment) is not registered twice');
  const keys = await p.getSshKeys();
  assert.equal(keys.length, 1);
  assert.match(keys[0]!.name, /^ferry-[0-9a-f]{8}$/);
  assert.equal(keys[0]!.publicKey, PUBLIC_KEY);
  const sent = h.requests('POST', '/v2/instances').map((x) => (x.requestBody as { sshkey_id: string[] }).sshkey_id);
  assert.deepEqual(sent, [[keys[0]!.id], [keys[0]!.id]]);
  await p.createInstance({ name: 'k-3', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU, sshKeys: [keys[0]!.id] });
  await assert.rejects(
    p.createInstance({ name: 'k-4', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU, sshKeys: ['0b5c2e3d-0000-4000-a000-00000000beef'] }),
    (e: unknown) => UserError.is(e) && e.message.includes('0b5c2e3d-0000-4000-a000-00000000beef'),
  );
  await assert.rejects(p.createInstance({ name: 'k-5', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU, sshKeys: ['not a key'] }), (e: unknown) => UserError.is(e));
  assert.equal(h.requests('POST', '/v2/instances').length, 3);
  for (const i of [a, b]) await p.destroyInstance(i.id);
  assertConformant(h);
});

test('snapshots: a snapshot ferry did not make is never deleted; snapshots of bare metal are refused with the reason', async (t) => {
  const h = await startVultr(t, { bootMs: 4_000 });
  const p = h.provider();
  const inst = await p.createInstance({ name: 's-1', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU });
  await p.waitReady(inst.id);
  const foreign = await h.api('POST', '/v2/snapshots', { instance_id: inst.id, description: 'nightly' });
  await p.deleteSnapshot(foreign.body.snapshot.id); // re-read: not ferry's, so left alone
  assert.equal(h.requests('DELETE', '/v2/snapshots/:id').length, 0, 'no delete was sent');
  assert.equal((await h.api('GET', `/v2/snapshots/${foreign.body.snapshot.id}`)).status, 200, 'still there');
  const metal = await p.createInstance({ name: 's-2', region: 'ewr', size: 'vbm-4c-32gb', image: UBUNTU });
  await assert.rejects(p.createSnapshot(metal.id, 'snap'), (e: unknown) => ProviderError.is(e, 'not_supported') && /bare metal/.test(e.message));
  assert.equal(h.requests('POST', '/v2/snapshots').length, 1);
  assertConformant(h);
});

test('snapshots: an instance can be created from ferry\'s snapshot (snapshot_id)', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  const inst = await p.createInstance({ name: 'src-1', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU });
  await p.waitReady(inst.id);
  const snap = await p.createSnapshot(inst.id, 'golden');
  const copy = await p.createInstance({ name: 'copy-1', region: 'ewr', size: 'vc2-1c-1gb', image: { kind: 'snapshot', id: snap.id } });
  assert.equal((h.requests('POST', '/v2/instances').at(-1)!.requestBody as { snapshot_id: string }).snapshot_id, snap.id);
  assert.equal((await p.waitReady(copy.id)).image, 'Snapshot');
  assertConformant(h);
});

test('firewalls and networks: the group gets SSH rules over IPv4 and IPv6; a VPC is made in the configured region', async (t) => {
  const h = await startVultr(t);
  const p = h.provider({ options: { vpcRegion: 'fra' } });
  const fw = await p.findOrCreateFirewall('ferry-fw');
  const rules = await h.api('GET', `/v2/firewalls/${fw.id}/rules`);
  assert.deepEqual(
    rules.body.firewall_rules.map((r: Record<string, unknown>) => [r.ip_type, r.protocol, r.port, r.subnet, r.subnet_size]),
    [['v4', 'tcp', '22', '0.0.0.0', 0], ['v6', 'tcp', '22', '::', 0]],
  );
  const net = await p.findOrCreateNetwork('ferry-net');
  assert.match(net.ipRange ?? '', /^10\.\d+\.96\.0\/20$/);
  assert.equal((await h.api('GET', `/v2/vpcs/${net.id}`)).body.vpc.region, 'fra');
  assertConformant(h);
});

test('volumes: a block waits until active; deleting an attached one detaches it first; sizes outside 10–40000 GB are refused before any request', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  const inst = await p.createInstance({ name: 'v-1', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU });
  const vol = await p.createVolume({ name: 'data', sizeGb: 40, region: 'ewr', instanceId: inst.id });
  assert.equal(vol.status, 'active');
  assert.equal(vol.instanceId, inst.id);
  await p.deleteVolume(vol.id);
  assert.equal(h.requests('POST', '/v2/blocks/:id/detach').length, 1);
  assert.equal(await p.getVolume(vol.id), null);
  const before = h.exchanges.length;
  await assert.rejects(p.createVolume({ name: 'tiny', sizeGb: 5, region: 'ewr' }), (e: unknown) => UserError.is(e));
  assert.equal(h.exchanges.length, before);
  assertConformant(h);
});
