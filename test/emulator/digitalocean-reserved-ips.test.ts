/**
 * Reserved IPs against the emulator: the /v2/floating_ips routes through the dots-wrapper npm
 * client, unchanged (3.12 has no reserved_ips module), and /v2/reserved_ips with the bodies doctl
 * and godo send. Every exchange is checked against DigitalOcean's OpenAPI description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiClient } from 'dots-wrapper';
import { startFor, until, type ClientRun } from './clients.js';
import { nonConforming } from './digitalocean-spec.js';

const TOKEN = 'dop_v1_0123456789abcdef0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

async function start(t: Parameters<typeof startFor>[0]) {
  const run = await startFor(t, 'digitalocean', AUTH);
  return { run, dots: createApiClient({ token: TOKEN, endpoint: `${run.url.replace(/\/$/, '')}/v2` }) };
}

async function activeDroplet(run: ClientRun, name: string, region = 'fra1'): Promise<number> {
  const id = (await run.call('POST', '/v2/droplets', { body: { name, region, size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' } })).body.droplet.id as number;
  await until(`${name} active`, async () => ((await run.call('GET', `/v2/droplets/${id}`)).body.droplet.status === 'active' ? true : undefined));
  return id;
}

async function actionDone(run: ClientRun, path: string) {
  await until(path, async () => ((await run.call('GET', path)).body.action.status === 'completed' ? true : undefined));
}

test('reserved IP: reserve in a region, assign to a droplet, unassign, list its actions, delete', async (t) => {
  const { run } = await start(t);
  const droplet = await activeDroplet(run, 'rip-1');
  const created = await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } });
  assert.equal(created.status, 202, JSON.stringify(created.body));
  const ip = created.body.reserved_ip.ip as string;
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.deepEqual([created.body.reserved_ip.droplet, created.body.reserved_ip.locked, created.body.reserved_ip.region.slug, created.body.links], [null, false, 'fra1', {}]);

  const assign = await run.call('POST', `/v2/reserved_ips/${ip}/actions`, { body: { type: 'assign', droplet_id: droplet } });
  assert.equal(assign.status, 201, JSON.stringify(assign.body));
  assert.deepEqual([assign.body.action.type, assign.body.action.resource_type, assign.body.action.status], ['assign_ip', 'reserved_ip', 'in-progress']);
  assert.equal(assign.body.action.resource_id, ip.split('.').reduce((n, o) => n * 256 + Number(o), 0), 'actions name the address as an integer');
  await actionDone(run, `/v2/reserved_ips/${ip}/actions/${assign.body.action.id}`);
  const assigned = (await run.call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip;
  assert.deepEqual([assigned.droplet.id, assigned.locked], [droplet, false]);
  // As the spec describes it, the droplet's networks list its own addresses, not the reserved IP.
  const v4 = (await run.call('GET', `/v2/droplets/${droplet}`)).body.droplet.networks.v4.map((n: { ip_address: string }) => n.ip_address);
  assert.ok(!v4.includes(ip));

  const unassign = await run.call('POST', `/v2/reserved_ips/${ip}/actions`, { body: { type: 'unassign' } });
  assert.equal(unassign.status, 201);
  await actionDone(run, `/v2/actions/${unassign.body.action.id}`);
  assert.equal((await run.call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet, null);
  const again = await run.call('POST', `/v2/reserved_ips/${ip}/actions`, { body: { type: 'unassign' } });
  assert.deepEqual([again.status, again.body.id], [422, 'unprocessable_entity'], 'unassigning an unassigned address is refused');

  const actions = await run.call('GET', `/v2/reserved_ips/${ip}/actions`);
  assert.deepEqual(actions.body.actions.map((a: { type: string }) => a.type), ['assign_ip', 'unassign_ip']);
  assert.equal(actions.body.meta.total, 2);
  assert.deepEqual((await run.call('GET', '/v2/reserved_ips')).body.reserved_ips.map((r: { ip: string }) => r.ip), [ip]);
  assert.equal((await run.call('DELETE', `/v2/reserved_ips/${ip}`)).status, 204);
  const gone = await run.call('GET', `/v2/reserved_ips/${ip}`);
  assert.deepEqual([gone.status, gone.body.id], [404, 'not_found']);
  assert.deepEqual(nonConforming(run), []);
});

test('reserved IP: assigning to a missing droplet is 404 in DigitalOcean\'s format, to another region\'s droplet 422', async (t) => {
  const { run } = await start(t);
  const ip = (await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } })).body.reserved_ip.ip as string;
  const missing = await run.call('POST', `/v2/reserved_ips/${ip}/actions`, { body: { type: 'assign', droplet_id: 999 } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.id, 'not_found');
  assert.match(missing.body.request_id, /^[0-9a-f-]{36}$/);
  const far = await activeDroplet(run, 'far', 'nyc3');
  const wrongRegion = await run.call('POST', `/v2/reserved_ips/${ip}/actions`, { body: { type: 'assign', droplet_id: far } });
  assert.deepEqual([wrongRegion.status, wrongRegion.body.id], [422, 'unprocessable_entity']);
  const unknownIp = await run.call('POST', '/v2/reserved_ips/192.0.2.1/actions', { body: { type: 'unassign' } });
  assert.deepEqual([unknownIp.status, unknownIp.body.id], [404, 'not_found']);
  assert.equal((await run.call('POST', '/v2/reserved_ips', { body: { droplet_id: 999 } })).status, 404);
  assert.deepEqual(nonConforming(run), []);
});

test('reserved IP created for a droplet: 202 with assign_ip links; destroying the droplet frees the address', async (t) => {
  const { run } = await start(t);
  const droplet = await activeDroplet(run, 'rip-2');
  const created = await run.call('POST', '/v2/reserved_ips', { body: { droplet_id: droplet } });
  assert.equal(created.status, 202, JSON.stringify(created.body));
  const ip = created.body.reserved_ip.ip as string;
  assert.deepEqual([created.body.reserved_ip.droplet, created.body.reserved_ip.locked, created.body.reserved_ip.region.slug], [null, true, 'fra1']);
  assert.deepEqual(created.body.links.droplets.map((l: { id: number; rel: string }) => [l.id, l.rel]), [[droplet, 'droplet']]);
  const [link] = created.body.links.actions as { id: number; rel: string; href: string }[];
  assert.equal(link!.rel, 'assign_ip');
  await actionDone(run, new URL(link!.href).pathname);
  assert.equal((await run.call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet.id, droplet);

  const second = (await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } })).body.reserved_ip.ip as string;
  const oneEach = await run.call('POST', `/v2/reserved_ips/${second}/actions`, { body: { type: 'assign', droplet_id: droplet } });
  assert.deepEqual([oneEach.status, oneEach.body.id], [422, 'unprocessable_entity'], 'a droplet has one reserved IP at most');

  assert.equal((await run.call('DELETE', `/v2/droplets/${droplet}`)).status, 204);
  const freed = (await run.call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip;
  assert.deepEqual([freed.ip, freed.droplet], [ip, null]);
  const other = await activeDroplet(run, 'rip-3');
  const reassign = await run.call('POST', `/v2/reserved_ips/${ip}/actions`, { body: { type: 'assign', droplet_id: other } });
  await actionDone(run, `/v2/actions/${reassign.body.action.id}`);
  assert.equal((await run.call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet.id, other);
  assert.deepEqual(nonConforming(run), []);
});

test('floating IPs (the older name) through dots-wrapper: create, assign, unassign, delete', async (t) => {
  const { run, dots } = await start(t);
  const droplet = await activeDroplet(run, 'fip-1');
  const created = await dots.floatingIp.createFloatingIp({ region: 'fra1' });
  assert.equal(created.status, 202);
  const ip = created.data.floating_ip.ip;
  const assign = await dots.floatingIp.assignIpToDroplet({ ip, droplet_id: droplet });
  assert.equal(assign.data.action.type, 'assign_ip');
  assert.equal((assign.data.action as { resource_type?: string }).resource_type, 'floating_ip');
  await until('assigned', async () => ((await dots.floatingIp.getFloatingIpAction({ ip, action_id: assign.data.action.id })).data.action.status === 'completed' ? true : undefined));
  assert.equal((await dots.floatingIp.getFloatingIp({ ip })).data.floating_ip.droplet?.id, droplet);
  // The same address, under either name.
  assert.equal((await run.call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet.id, droplet);
  const listed = await dots.floatingIp.listFloatingIps({});
  assert.deepEqual(listed.data.floating_ips.map((f) => f.ip), [ip]);

  const unassign = await dots.floatingIp.unassignIpFromDroplet({ ip });
  await until('unassigned', async () => ((await dots.floatingIp.getFloatingIpAction({ ip, action_id: unassign.data.action.id })).data.action.status === 'completed' ? true : undefined));
  assert.equal((await dots.floatingIp.getFloatingIp({ ip })).data.floating_ip.droplet, null);
  assert.deepEqual((await dots.floatingIp.listFloatingIpActions({ ip })).data.actions.map((a) => a.type), ['assign_ip', 'unassign_ip']);
  assert.equal((await dots.floatingIp.deleteFloatingIp({ ip })).status, 204);
  await assert.rejects(dots.floatingIp.getFloatingIp({ ip }), (e: { response?: { status: number; data: { id: string } } }) => e.response?.status === 404 && e.response.data.id === 'not_found');
  assert.deepEqual(nonConforming(run), []);
});

test('beside the emulated reserved IP routes, the rest still answer in DigitalOcean\'s error format', async (t) => {
  const { run } = await start(t);
  const v6 = await run.call('GET', '/v2/reserved_ipv6');
  assert.deepEqual([v6.status, v6.body.id, v6.body.message], [404, 'not_found', 'ferry emulator: GET /v2/reserved_ipv6 is not emulated']);
  const ip = (await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } })).body.reserved_ip.ip as string;
  const put = await run.call('PUT', `/v2/reserved_ips/${ip}`, { body: {} });
  assert.deepEqual([put.status, put.body.id], [405, 'method_not_allowed']);
  assert.match(put.body.request_id, /^[0-9a-f-]{36}$/);
});

test('reserved IP: the account limit (floating_ip_limit of /v2/account) is a 422; a deleted address frees its place', async (t) => {
  const { run } = await start(t);
  const limit = (await run.call('GET', '/v2/account')).body.account.floating_ip_limit as number;
  const ips: string[] = [];
  for (let i = 0; i < limit; i++) ips.push((await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } })).body.reserved_ip.ip);
  assert.equal(new Set(ips).size, limit, 'every address is distinct');
  const over = await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } });
  assert.deepEqual([over.status, over.body.id], [422, 'unprocessable_entity']);
  assert.equal((await run.call('DELETE', `/v2/reserved_ips/${ips[0]}`)).status, 204);
  assert.equal((await run.call('POST', '/v2/reserved_ips', { body: { region: 'fra1' } })).status, 202);
  const page = await run.call('GET', '/v2/reserved_ips?per_page=4&page=3');
  assert.deepEqual([page.body.reserved_ips.length, page.body.meta.total, page.body.links.pages.next], [2, limit, undefined]);
  assert.deepEqual(nonConforming(run), []);
});
