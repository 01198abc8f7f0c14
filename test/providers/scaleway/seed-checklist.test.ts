/** Seed 001's testing checklist (§6), each item by its name, against the emulator. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError, type InstanceRequest } from '../../../src/core/index.js';
import { PROJECT_ID, startScaleway, until, ZONE, type Harness } from './support.js';

const req = (name: string, extra: Partial<InstanceRequest> = {}): InstanceRequest => ({ name, region: ZONE, size: 'DEV1-S', image: { kind: 'ubuntu', version: '24.04' }, ...extra });
const uuidOf = (id: string) => id.split('/').pop()!;

async function readyServer(h: Harness, name: string, extra: Record<string, string> = {}) {
  const p = h.provider({}, extra);
  const inst = await p.createInstance(req(name));
  return { p, inst: await p.waitReady(inst.id) };
}

test('test_find_or_create_network_creates_when_missing', async (t) => {
  const h = await startScaleway(t);
  const net = await h.provider().findOrCreateNetwork('ferry-net');
  assert.match(net.id, /^fr-par\/[0-9a-f-]{36}$/);
  assert.equal(net.ipRange, '10.0.1.0/24');
  const [post] = h.requests('POST', '/vpc/v2/regions/fr-par/private-networks');
  assert.deepEqual(post!.requestBody, { name: 'ferry-net', project_id: PROJECT_ID, tags: ['managed-by=ferry'], subnets: ['10.0.1.0/24'] });
  h.assertConformant();
});

test('test_find_or_create_network_returns_existing', async (t) => {
  const h = await startScaleway(t);
  const raw = await h.api('POST', '/vpc/v2/regions/fr-par/private-networks', { name: 'shared-net', project_id: PROJECT_ID, subnets: ['10.9.0.0/24'] });
  await h.api('POST', '/vpc/v2/regions/fr-par/private-networks', { name: 'shared-net-2', project_id: PROJECT_ID });
  const net = await h.provider().findOrCreateNetwork('shared-net');
  assert.equal(net.id, `fr-par/${raw.body.id}`, 'the exact name, not the substring match');
  assert.equal(net.ipRange, '10.9.0.0/24');
  assert.equal(h.requests('POST', '/vpc/v2/regions/fr-par/private-networks').length, 2, 'nothing created by ferry');
  h.assertConformant();
});

test('test_get_network_by_name_raises_when_missing', async (t) => {
  // ferry's contract answers a missing network with null (the seed's NetworkError is the caller's choice).
  const h = await startScaleway(t);
  assert.equal(await h.provider().getNetworkByName('nowhere'), null);
  h.assertConformant();
});

test('test_delete_network', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const net = await p.findOrCreateNetwork('ferry-net');
  const { inst } = await readyServer(h, 'on-net', { privateNetwork: 'ferry-net' });
  await assert.rejects(p.deleteNetwork(net.id), (e: unknown) => ProviderError.is(e, 'conflict') && /still has resources attached/.test(e.message));
  await p.destroyInstance(inst.id);
  await p.deleteNetwork(net.id);
  await p.deleteNetwork(net.id);
  assert.equal(await p.getNetworkByName('ferry-net'), null);
  h.assertConformant();
});

test('test_find_or_create_firewall_creates_with_ssh_rule', async (t) => {
  const h = await startScaleway(t);
  const fw = await h.provider().findOrCreateFirewall('ferry-fw');
  const [post] = h.requests('POST', `/instance/v1/zones/${ZONE}/security_groups`);
  assert.deepEqual(post!.requestBody, { name: 'ferry-fw', description: 'managed by ferry', project: PROJECT_ID, tags: ['managed-by=ferry'], stateful: true, inbound_default_policy: 'drop', outbound_default_policy: 'accept' });
  const rules = await h.api('GET', `/instance/v1/zones/${ZONE}/security_groups/${uuidOf(fw.id)}/rules`);
  assert.deepEqual(
    rules.body.rules.map((r: Record<string, unknown>) => [r.protocol, r.direction, r.action, r.ip_range, r.dest_port_from, r.dest_port_to]),
    [['TCP', 'inbound', 'accept', '0.0.0.0/0', 22, 22]],
  );
  h.assertConformant();
});

test('test_find_or_create_firewall_returns_existing', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const a = await p.findOrCreateFirewall('ferry-fw');
  const b = await p.findOrCreateFirewall('ferry-fw');
  assert.equal(b.id, a.id);
  assert.equal((await p.getFirewallByName('ferry-fw'))?.id, a.id);
  assert.equal(h.requests('POST', `/instance/v1/zones/${ZONE}/security_groups`).length, 1);
  h.assertConformant();
});

test('test_delete_firewall', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const fw = await p.findOrCreateFirewall('ferry-fw');
  await p.deleteFirewall(fw.id);
  await p.deleteFirewall(fw.id);
  assert.equal(await p.getFirewallByName('ferry-fw'), null);
  h.assertConformant();
});

test('test_find_server', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const inst = await p.createInstance(req('findme'));
  assert.equal((await p.getInstance(inst.id))?.name, 'findme');
  assert.equal(await p.getInstance(`${ZONE}/00000000-0000-4000-8000-000000000000`), null);
  assert.equal(await p.getInstance('findme'), null, 'a name is not an id');
  h.assertConformant();
});

test('test_list_servers', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const a = await p.createInstance(req('par-1'));
  const b = await p.createInstance(req('ams-1', { region: 'nl-ams-1' }));
  await h.api('POST', `/instance/v1/zones/${ZONE}/servers`, { name: 'not-ours', commercial_type: 'DEV1-S', image: 'ubuntu_noble', project: PROJECT_ID });
  assert.deepEqual((await p.listInstances()).map((i) => i.id).sort(), [a.id, b.id].sort(), 'every zone, ferry\'s only');
  assert.equal((await p.listInstances({ all: true })).length, 3);
  h.assertConformant();
});

test('test_create_server', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const inst = await p.createInstance(req('web-1', { userData: '#cloud-config\npackages: [nginx]\n', labels: { app: 'shop' } }));
  const [post] = h.requests('POST', `/instance/v1/zones/${ZONE}/servers`);
  const body = post!.requestBody as Record<string, unknown>;
  assert.equal(body.commercial_type, 'DEV1-S');
  assert.equal(body.project, PROJECT_ID);
  assert.equal(body.dynamic_ip_required, true);
  assert.ok((body.tags as string[]).includes('managed-by=ferry') && (body.tags as string[]).includes('app=shop'));
  const local = await h.api('GET', `/marketplace/v2/local-images?image_label=ubuntu_noble&zone=${ZONE}&type=instance_sbs&arch=x86_64`);
  assert.equal(body.image, local.body.local_images[0].id, 'ubuntu-24.04 → the zone\'s x86_64 local image of ubuntu_noble');
  const ud = await h.api('GET', `/instance/v1/zones/${ZONE}/servers/${uuidOf(inst.id)}/user_data/cloud-init`);
  assert.equal(Buffer.from(ud.body.content, 'base64').toString(), '#cloud-config\npackages: [nginx]\n');
  const [action] = h.requests('POST', `/instance/v1/zones/${ZONE}/servers/:id/action`);
  assert.deepEqual(action!.requestBody, { action: 'poweron' });
  assert.deepEqual(inst.labels, { app: 'shop', 'managed-by': 'ferry', 'ferry-create-id': inst.labels['ferry-create-id'] });
  h.assertConformant();
});

test('test_create_server_with_network', async (t) => {
  const h = await startScaleway(t);
  const net = await h.provider().findOrCreateNetwork('app-net');
  const { inst } = await readyServer(h, 'with-net', { privateNetwork: 'app-net' });
  const nics = await h.api('GET', `/instance/v1/zones/${ZONE}/servers/${uuidOf(inst.id)}/private_nics`);
  assert.deepEqual(nics.body.private_nics.map((n: { private_network_id: string }) => n.private_network_id), [uuidOf(net.id)]);
  h.assertConformant();
});

test('test_create_server_with_firewall', async (t) => {
  const h = await startScaleway(t);
  const fw = await h.provider().findOrCreateFirewall('app-fw');
  const { inst } = await readyServer(h, 'with-fw', { securityGroup: 'app-fw' });
  const [post] = h.requests('POST', `/instance/v1/zones/${ZONE}/servers`);
  assert.equal((post!.requestBody as Record<string, unknown>).security_group, uuidOf(fw.id));
  const s = await h.api('GET', `/instance/v1/zones/${ZONE}/servers/${uuidOf(inst.id)}`);
  assert.equal(s.body.server.security_group.name, 'app-fw');
  h.assertConformant();
});

test('test_wait_for_server_success', async (t) => {
  const h = await startScaleway(t);
  const { inst } = await readyServer(h, 'waits');
  assert.equal(inst.status.state, 'active');
  assert.equal(inst.status.raw, 'running');
  assert.match(inst.ipv4 ?? '', /^51\.15\./);
  h.assertConformant();
});

test('test_wait_for_server_timeout', async (t) => {
  const h = await startScaleway(t, { bootMs: 1e12 });
  const p = h.provider({ timeouts: { pollIntervalMs: 2, instanceReadyMs: 100, actionCompleteMs: 30_000, httpRequestMs: 5_000 } });
  const inst = await p.createInstance(req('never'));
  await assert.rejects(p.waitReady(inst.id), (e: unknown) => ProviderError.is(e, 'timeout'));
  assert.equal((await p.getInstance(inst.id))?.status.raw, 'starting');
  h.assertConformant();
});

test('test_delete_server_cleans_up_nics', async (t) => {
  const h = await startScaleway(t);
  await h.provider().findOrCreateNetwork('app-net');
  const { p, inst } = await readyServer(h, 'nic-host', { privateNetwork: 'app-net' });
  const id = uuidOf(inst.id);
  await p.destroyInstance(inst.id);
  const order = h.exchanges.filter((x) => x.method !== 'GET' && x.path.includes(id)).map((x) => `${x.method} ${x.path.replace(/[0-9a-f-]{36}/g, ':id')} ${JSON.stringify(x.requestBody ?? '')}`);
  assert.deepEqual(order.slice(-2), [`DELETE /instance/v1/zones/${ZONE}/servers/:id/private_nics/:id ""`, `POST /instance/v1/zones/${ZONE}/servers/:id/action {"action":"terminate"}`]);
  assert.equal(await p.getInstance(inst.id), null);
  const volumes = await h.api('GET', `/block/v1alpha1/zones/${ZONE}/volumes`);
  assert.deepEqual(volumes.body.volumes, [], 'no orphaned root volume');
  h.assertConformant();
});

test('test_delete_server_cleans_up_nics: a stopped server is deleted with its root volume', async (t) => {
  const h = await startScaleway(t);
  const { p, inst } = await readyServer(h, 'stopped-host');
  await p.stopInstance(inst.id);
  await p.destroyInstance(inst.id);
  assert.equal(h.requests('DELETE', `/instance/v1/zones/${ZONE}/servers/:id`).length, 1);
  assert.equal(h.requests('DELETE', `/block/v1alpha1/zones/${ZONE}/volumes/:id`).length, 1, 'the root volume DELETE leaves behind is removed');
  assert.deepEqual((await h.api('GET', `/block/v1alpha1/zones/${ZONE}/volumes`)).body.volumes, []);
  h.assertConformant();
});

test('test_create_volume', async (t) => {
  const h = await startScaleway(t);
  const vol = await h.provider().createVolume({ name: 'data', sizeGb: 20, region: ZONE });
  assert.deepEqual([vol.name, vol.sizeGb, vol.region, vol.status, vol.instanceId], ['data', 20, ZONE, 'available', null]);
  const [post] = h.requests('POST', `/block/v1alpha1/zones/${ZONE}/volumes`);
  assert.deepEqual(post!.requestBody, { name: 'data', project_id: PROJECT_ID, perf_iops: 5000, from_empty: { size: 20_000_000_000 }, tags: ['managed-by=ferry'] });
  h.assertConformant();
});

test('test_attach_volume', async (t) => {
  const h = await startScaleway(t);
  const { p, inst } = await readyServer(h, 'vol-host');
  const vol = await p.createVolume({ name: 'data', sizeGb: 10, region: ZONE });
  const attached = await p.attachVolume(vol.id, inst.id);
  assert.equal(attached.instanceId, inst.id);
  assert.equal(attached.status, 'in_use');
  const [patch] = h.requests('PATCH', `/instance/v1/zones/${ZONE}/servers/:id`);
  const volumes = (patch!.requestBody as { volumes: Record<string, { id: string }> }).volumes;
  assert.deepEqual(Object.keys(volumes), ['0', '1'], 'the whole map: the root volume is kept');
  assert.equal(volumes['1']!.id, uuidOf(vol.id));
  h.assertConformant();
});

test('test_detach_volume', async (t) => {
  const h = await startScaleway(t);
  const { p, inst } = await readyServer(h, 'vol-host');
  const vol = await p.createVolume({ name: 'data', sizeGb: 10, region: ZONE, instanceId: inst.id });
  assert.equal(vol.instanceId, inst.id);
  const detached = await p.detachVolume(vol.id);
  assert.deepEqual([detached.instanceId, detached.status], [null, 'available']);
  const patches = h.requests('PATCH', `/instance/v1/zones/${ZONE}/servers/:id`);
  assert.deepEqual(Object.keys((patches.at(-1)!.requestBody as { volumes: object }).volumes), ['0']);
  h.assertConformant();
});

test('test_delete_volume', async (t) => {
  const h = await startScaleway(t);
  const { p, inst } = await readyServer(h, 'vol-host');
  const vol = await p.createVolume({ name: 'data', sizeGb: 10, region: ZONE, instanceId: inst.id });
  await p.deleteVolume(vol.id);
  assert.equal(await p.getVolume(vol.id), null);
  assert.ok(h.exchanges.some((x) => x.status === 204 && x.method === 'DELETE' && x.path.endsWith(uuidOf(vol.id))), 'deleted only once detached');
  await p.deleteVolume(vol.id);
  h.assertConformant();
});

test('test_validate_instance_type_valid', async (t) => {
  const h = await startScaleway(t);
  await h.provider().validateInstanceType('DEV1-S');
  await h.provider().validateInstanceType('EM-A115X-SSD');
  h.assertConformant();
});

test('test_validate_instance_type_invalid', async (t) => {
  const h = await startScaleway(t);
  await assert.rejects(h.provider().validateInstanceType('GP9-HUGE'), (e: unknown) => UserError.is(e) && /DEV1-S/.test(`${e.hint}`));
});

test('test_validate_region_valid', async (t) => {
  const h = await startScaleway(t);
  for (const z of ['fr-par-1', 'fr-par-3', 'nl-ams-2', 'pl-waw-3', 'it-mil-1']) await h.provider().validateRegion(z);
  assert.equal(h.exchanges.length, 0, 'zones are known without a request');
});

test('test_validate_region_invalid', async (t) => {
  const h = await startScaleway(t);
  await assert.rejects(h.provider().validateRegion('fr-par'), (e: unknown) => UserError.is(e) && /fr-par-1/.test(`${e.hint}`));
  await assert.rejects(h.provider().validateRegion('us-east-1'), (e: unknown) => UserError.is(e));
});

test('test_validate_credentials_success', async (t) => {
  const h = await startScaleway(t);
  await h.provider().validateCredentials();
  assert.equal(h.exchanges[0]!.status, 200);
  h.assertConformant();
});

test('test_validate_credentials_failure', async (t) => {
  const h = await startScaleway(t);
  const bad = h.provider({}, { secretKey: 'invalid-0000' });
  await assert.rejects(bad.validateCredentials(), (e: unknown) => ProviderError.is(e, 'authentication') && e.status === 401 && !e.message.includes('invalid-0000'));
  await until(async () => h.exchanges.length > 0, 'the request');
});
