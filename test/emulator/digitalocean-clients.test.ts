/**
 * Third-party DigitalOcean clients against the emulator, by the requests they send:
 * - Apache Libcloud's DigitalOcean_v2 driver: create with "user_data": null on every call;
 * - dots-wrapper / python-digitalocean style bodies with null optional members (ssh_keys, vpc_uuid, tags);
 * - the documented multi-create (`names`), droplet actions and DELETE by tag, as doctl sends them.
 * Every exchange is checked against DigitalOcean's OpenAPI description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFor, until, type ClientRun } from './clients.js';
import { nonConforming } from './digitalocean-spec.js';

const AUTH = { authorization: 'Bearer dop_v1_0123456789abcdef0123456789abcdef', 'user-agent': 'libcloud/3.8.0 (DigitalOcean v2)' };

async function activeDroplet(run: ClientRun, id: number) {
  return until(`droplet ${id} active`, async () => {
    const r = await run.call('GET', `/v2/droplets/${id}`);
    return r.body.droplet.status === 'active' ? r.body.droplet : undefined;
  });
}

async function actionDone(run: ClientRun, id: number) {
  return until(`action ${id}`, async () => ((await run.call('GET', `/v2/actions/${id}`)).body.action.status === 'completed' ? true : undefined));
}

test('Apache Libcloud: create with "user_data": null, list, destroy', async (t) => {
  const run = await startFor(t, 'digitalocean', AUTH);
  // libcloud.compute.drivers.digitalocean.DigitalOcean_v2NodeDriver.create_node
  const created = await run.call('POST', '/v2/droplets', { body: { name: 'lc-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', region: 'fra1', user_data: null, backups: false, ipv6: false, private_networking: false, tags: [] } });
  assert.equal(created.status, 202, JSON.stringify(created.body));
  const id = created.body.droplet.id as number;
  assert.equal(created.body.links.actions.length, 1);
  await activeDroplet(run, id);
  const listed = await run.call('GET', '/v2/droplets?page=1&per_page=200');
  assert.deepEqual(listed.body.droplets.map((d: { id: number }) => d.id), [id]);
  assert.equal((await run.call('DELETE', `/v2/droplets/${id}`)).status, 204);
  assert.deepEqual(nonConforming(run), []);
});

test('null optional members (ssh_keys, vpc_uuid, tags, volumes, monitoring) are read as absent', async (t) => {
  const run = await startFor(t, 'digitalocean', AUTH);
  const r = await run.call('POST', '/v2/droplets', { body: { name: 'n-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', region: 'fra1', ssh_keys: null, vpc_uuid: null, tags: null, volumes: null, monitoring: null, with_droplet_agent: null, user_data: null } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.deepEqual(r.body.droplet.tags, []);
  assert.match(r.body.droplet.vpc_uuid, /^[0-9a-f-]{36}$/);
  assert.deepEqual(nonConforming(run), []);
});

test('multi-create: `names` up to 10, one links.actions entry per droplet; 11 names are refused', async (t) => {
  const run = await startFor(t, 'digitalocean', AUTH);
  const names = ['m-1', 'm-2', 'm-3'];
  const r = await run.call('POST', '/v2/droplets', { body: { names, size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', region: 'fra1', tags: ['batch'] } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.deepEqual(r.body.droplets.map((d: { name: string }) => d.name), names);
  assert.equal(r.body.links.actions.length, 3);
  assert.equal(r.body.droplet, undefined);
  const tooMany = await run.call('POST', '/v2/droplets', { body: { names: Array.from({ length: 11 }, (_, i) => `x-${i}`), size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', region: 'fra1' } });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.body.id, 'unprocessable_entity');
  // DELETE by tag removes every droplet carrying the tag (that it first applies what is due: digitalocean-due-state.test.ts).
  assert.equal((await run.call('DELETE', '/v2/droplets?tag_name=batch')).status, 204);
  assert.deepEqual((await run.call('GET', '/v2/droplets')).body.droplets, []);
  assert.deepEqual(nonConforming(run), []);
});

test('droplet actions rename, resize (powered off), rebuild, enable_ipv6, password_reset', async (t) => {
  const run = await startFor(t, 'digitalocean', AUTH);
  const id = (await run.call('POST', '/v2/droplets', { body: { name: 'a-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', region: 'fra1' } })).body.droplet.id as number;
  await activeDroplet(run, id);
  const act = async (body: Record<string, unknown>) => run.call('POST', `/v2/droplets/${id}/actions`, { body });

  await actionDone(run, (await act({ type: 'rename', name: 'a-renamed' })).body.action.id);
  const on = await act({ type: 'resize', size: 's-2vcpu-2gb', disk: true });
  assert.equal(on.status, 422, 'resize needs the droplet off');
  await actionDone(run, (await act({ type: 'power_off' })).body.action.id);
  const resize = await act({ type: 'resize', size: 's-2vcpu-2gb', disk: true });
  assert.equal(resize.status, 201);
  assert.equal(resize.body.action.type, 'resize');
  await actionDone(run, resize.body.action.id);
  await actionDone(run, (await act({ type: 'rebuild', image: 'debian-12-x64' })).body.action.id);
  await actionDone(run, (await act({ type: 'enable_ipv6' })).body.action.id);
  await actionDone(run, (await act({ type: 'password_reset' })).body.action.id);

  const d = (await run.call('GET', `/v2/droplets/${id}`)).body.droplet;
  assert.equal(d.name, 'a-renamed');
  assert.equal(d.size_slug, 's-2vcpu-2gb');
  assert.equal(d.image.slug, 'debian-12-x64');
  assert.equal(d.status, 'active', 'a rebuild boots the droplet');
  assert.ok(d.networks.v6.length > 0);
  const unknown = await act({ type: 'change_kernel', kernel: 1 });
  assert.equal(unknown.status, 422);
  assert.match(unknown.body.message, /change_kernel.*not emulated/);
  assert.deepEqual(nonConforming(run), []);
});

test('volumes: description kept, null members read as absent, attach and detach by name (/v2/volumes/actions)', async (t) => {
  const run = await startFor(t, 'digitalocean', AUTH);
  const droplet = (await run.call('POST', '/v2/droplets', { body: { name: 'v-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', region: 'fra1' } })).body.droplet;
  await activeDroplet(run, droplet.id);
  const vol = await run.call('POST', '/v2/volumes', { body: { name: 'data-1', size_gigabytes: 10, region: 'fra1', description: 'app data', snapshot_id: null, filesystem_type: 'ext4', tags: null } });
  assert.equal(vol.status, 201, JSON.stringify(vol.body));
  assert.equal(vol.body.volume.description, 'app data');
  const attach = await run.call('POST', '/v2/volumes/actions', { body: { type: 'attach', volume_name: 'data-1', region: 'fra1', droplet_id: droplet.id } });
  assert.equal(attach.status, 202);
  await actionDone(run, attach.body.action.id);
  assert.deepEqual((await run.call('GET', `/v2/volumes/${vol.body.volume.id}`)).body.volume.droplet_ids, [droplet.id]);
  const detach = await run.call('POST', '/v2/volumes/actions', { body: { type: 'detach', volume_name: 'data-1', region: 'fra1', droplet_id: droplet.id } });
  await actionDone(run, detach.body.action.id);
  assert.deepEqual((await run.call('GET', `/v2/volumes/${vol.body.volume.id}`)).body.volume.droplet_ids, []);
  assert.equal((await run.call('POST', '/v2/volumes/actions', { body: { type: 'attach', volume_name: 'nope', region: 'fra1', droplet_id: droplet.id } })).status, 404);
  assert.deepEqual(nonConforming(run), []);
});

test('an unemulated route answers in DigitalOcean\'s error format and names itself', async (t) => {
  const run = await startFor(t, 'digitalocean', AUTH);
  const r = await run.call('GET', '/v2/apps');
  assert.equal(r.status, 404);
  assert.equal(r.body.id, 'not_found');
  assert.equal(r.body.message, 'ferry emulator: GET /v2/apps is not emulated');
  assert.match(r.body.request_id, /^[0-9a-f-]{36}$/);
});
