import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../src/core/index.js';
import { assertConformant, startHetzner, UBUNTU } from './support.js';

test('networks: find-or-create with 10.0.0.0/16 and a subnet, get by name, delete idempotently', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider({ options: { networkZone: 'us-east' } });
  assert.equal(await p.getNetworkByName('backplane'), null);
  const net = await p.findOrCreateNetwork('backplane');
  assert.deepEqual({ name: net.name, ipRange: net.ipRange }, { name: 'backplane', ipRange: '10.0.0.0/16' });
  assert.deepEqual(await p.findOrCreateNetwork('backplane'), net, 'found, not created again');
  assert.deepEqual(await p.getNetworkByName('backplane'), net);
  const posts = h.requests('POST', '/v1/networks');
  assert.equal(posts.length, 1);
  assert.deepEqual(posts[0]!.requestBody, {
    name: 'backplane',
    ip_range: '10.0.0.0/16',
    subnets: [{ type: 'cloud', ip_range: '10.0.1.0/24', network_zone: 'us-east' }],
    labels: { 'managed-by': 'ferry' },
  });
  await p.deleteNetwork(net.id);
  await p.deleteNetwork(net.id);
  assert.equal(await p.getNetworkByName('backplane'), null);
  assertConformant(h);
});

test('networks: a create that loses the race to the same name returns the winner', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const [a, b] = await Promise.all([p.findOrCreateNetwork('race'), p.findOrCreateNetwork('race')]);
  assert.deepEqual(a, b);
  const statuses = h.requests('POST', '/v1/networks').map((x) => x.status).sort();
  assert.ok(statuses.length === 1 || (statuses[0] === 201 && statuses[1] === 409), String(statuses));
  assertConformant(h);
});

test('firewalls: find-or-create with the SSH rule, get by name, delete idempotently', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const fw = await p.findOrCreateFirewall('ssh-only');
  assert.equal(fw.name, 'ssh-only');
  assert.deepEqual(await p.findOrCreateFirewall('ssh-only'), fw);
  assert.deepEqual(await p.getFirewallByName('ssh-only'), fw);
  const posts = h.requests('POST', '/v1/firewalls');
  assert.equal(posts.length, 1);
  assert.deepEqual((posts[0]!.requestBody as { rules: unknown }).rules, [
    { direction: 'in', protocol: 'tcp', port: '22', source_ips: ['0.0.0.0/0', '::/0'], description: 'SSH' },
  ]);
  const stored = await h.api('GET', `/v1/firewalls/${fw.id}`);
  assert.deepEqual(stored.body.firewall.rules[0].source_ips, ['0.0.0.0/0', '::/0']);
  await p.deleteFirewall(fw.id);
  await p.deleteFirewall(fw.id);
  assert.equal(await p.getFirewallByName('ssh-only'), null);
  assertConformant(h);
});

test('volumes: create, get, get by name, attach, detach, delete — waiting for each action', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const server = await p.createInstance({ name: 'db-1', region: 'hel1', size: 'cpx21', image: UBUNTU });
  const vol = await p.createVolume({ name: 'data', sizeGb: 20, region: 'hel1', labels: { app: 'db' } });
  assert.deepEqual(
    { name: vol.name, sizeGb: vol.sizeGb, region: vol.region, status: vol.status, instanceId: vol.instanceId },
    { name: 'data', sizeGb: 20, region: 'hel1', status: 'available', instanceId: null },
  );
  assert.match(vol.devicePath!, /^\/dev\/disk\/by-id\/scsi-0HC_Volume_\d+$/);
  assert.deepEqual(await p.getVolume(vol.id), vol);
  assert.deepEqual(await p.getVolumeByName('data'), vol);
  assert.equal(await p.getVolumeByName('nothing'), null);

  const attached = await p.attachVolume(vol.id, server.id);
  assert.equal(attached.instanceId, server.id);
  assert.deepEqual(await p.attachVolume(vol.id, server.id), attached, 'attaching again changes nothing');
  const detached = await p.detachVolume(vol.id);
  assert.equal(detached.instanceId, null);
  await p.detachVolume(vol.id);
  assert.equal(h.requests('POST', '/v1/volumes/:id/actions/detach').length, 1, 'a detached volume is not detached again');
  // Every action the API answered with while still running was polled until it succeeded; one
  // already finished (a slow moment on a time-scaled clock) rightly costs no request.
  type Answer = { action: { id: number; command: string; status: string } };
  const started = [...h.requests('POST', '/v1/volumes'), ...h.requests('POST', '/v1/volumes/:id/actions/:action')].map((x) => (x.responseBody as Answer).action);
  assert.deepEqual(started.map((a) => a.command), ['create_volume', 'attach_volume', 'detach_volume']);
  for (const a of started.filter((x) => x.status === 'running')) {
    const polls = h.requests('GET', `/v1/actions/${a.id}`).map((x) => (x.responseBody as Answer).action.status);
    assert.equal(polls.at(-1), 'success', `${a.command} was waited for: ${polls.join(',')}`);
  }

  // Created attached; deleting it detaches first, as Hetzner requires.
  const second = await p.createVolume({ name: 'logs', sizeGb: 10, region: 'hel1', instanceId: server.id });
  assert.equal(second.instanceId, server.id);
  const createBody = h.requests('POST', '/v1/volumes').at(-1)!.requestBody as Record<string, unknown>;
  assert.equal(createBody.location, undefined, 'with a server, the location is the server\'s');
  await p.deleteVolume(second.id);
  await p.deleteVolume(second.id);
  assert.equal(await p.getVolume(second.id), null);
  await p.deleteVolume(vol.id);
  await assert.rejects(p.createVolume({ name: 'tiny', sizeGb: 5, region: 'hel1' }), UserError);
  assertConformant(h);
});
