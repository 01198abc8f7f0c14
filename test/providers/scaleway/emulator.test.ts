/** The emulated Scaleway APIs on their own: paths, pagination styles, errors, rate limits, states. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROJECT_ID, startScaleway, until, ZONE } from './support.js';

const server = (name: string, extra: Record<string, unknown> = {}) => ({ name, commercial_type: 'DEV1-S', image: 'ubuntu_noble', project: PROJECT_ID, ...extra });

test('emulator: Instance lists page with per_page and X-Total-Count; the newer APIs with page_size and total_count', async (t) => {
  const h = await startScaleway(t);
  for (const n of ['a', 'b', 'c']) assert.equal((await h.api('POST', `/instance/v1/zones/${ZONE}/servers`, server(n))).status, 201);
  const first = await h.api('GET', `/instance/v1/zones/${ZONE}/servers?per_page=2&page=1`);
  assert.equal(first.headers.get('x-total-count'), '3');
  assert.equal(first.body.servers.length, 2);
  assert.equal((await h.api('GET', `/instance/v1/zones/${ZONE}/servers?per_page=2&page=2`)).body.servers.length, 1);
  const bad = await h.api('GET', `/instance/v1/zones/${ZONE}/servers?per_page=101`);
  assert.deepEqual([bad.status, bad.body.type, bad.body.details[0].argument_name], [400, 'invalid_arguments', 'per_page']);
  const offers = await h.api('GET', '/baremetal/v1/zones/fr-par-2/offers?page_size=1&page=2');
  assert.deepEqual([offers.body.total_count, offers.body.offers.length], [3, 1]);
  const types = await h.api('GET', `/instance/v1/zones/${ZONE}/products/servers?per_page=3`);
  assert.equal(Object.keys(types.body.servers).length, 3);
  assert.ok(Number(types.headers.get('x-total-count')) > 3);
  h.assertConformant();
});

test('emulator: X-Auth-Token is required; errors are Scaleway bodies with their type', async (t) => {
  const h = await startScaleway(t);
  const denied = await h.api('GET', `/instance/v1/zones/${ZONE}/servers`, undefined, 'invalid-key');
  assert.deepEqual([denied.status, denied.body.type], [401, 'denied_authentication']);
  const missing = await h.api('GET', `/instance/v1/zones/${ZONE}/servers/00000000-0000-4000-8000-000000000000`);
  assert.deepEqual([missing.status, missing.body.type, missing.body.resource], [404, 'not_found', 'instance_server']);
  const badId = await h.api('GET', `/instance/v1/zones/${ZONE}/servers/42`);
  assert.deepEqual([badId.status, badId.body.type], [400, 'invalid_arguments']);
  const badZone = await h.api('GET', '/instance/v1/zones/mars-olm-1/servers');
  assert.deepEqual([badZone.status, badZone.body.details[0].argument_name], [400, 'zone']);
  const badType = await h.api('POST', `/instance/v1/zones/${ZONE}/servers`, server('x', { commercial_type: 'H100-1-80G' }));
  assert.deepEqual([badType.status, badType.body.details[0].argument_name], [400, 'commercial_type'], 'H100 is not sold in fr-par-1');
  const noRoute = await h.api('GET', '/instance/v1/zones/fr-par-1/nothing-here');
  assert.deepEqual([noRoute.status, noRoute.body.type], [404, 'not_found']);
  h.assertConformant();
});

test('emulator: a server is created stopped, starts, gets its dynamic IP, refuses DELETE while running, and terminate removes it with its volume', async (t) => {
  const h = await startScaleway(t);
  const id = (await h.api('POST', `/instance/v1/zones/${ZONE}/servers`, server('life'))).body.server.id as string;
  const path = `/instance/v1/zones/${ZONE}/servers/${id}`;
  const created = (await h.api('GET', path)).body.server;
  assert.deepEqual([created.state, created.public_ip, created.public_ips], ['stopped', null, []]);
  assert.equal((await h.api('POST', `${path}/action`, { action: 'poweron' })).body.task.status, 'pending');
  const running = await until(async () => {
    const s = (await h.api('GET', path)).body.server;
    return s.state === 'running' && s.public_ips.length ? s : undefined;
  }, 'boot');
  assert.match(running.public_ip.address, /^51\.15\./);
  const refused = await h.api('DELETE', path);
  assert.deepEqual([refused.status, refused.body.type], [400, 'invalid_request_error']);
  const again = await h.api('POST', `${path}/action`, { action: 'poweron' });
  assert.equal(again.status, 400, 'poweron of a running server is refused');
  await h.api('POST', `${path}/action`, { action: 'terminate' });
  await until(async () => (await h.api('GET', path)).status === 404, 'terminate');
  assert.deepEqual((await h.api('GET', `/block/v1alpha1/zones/${ZONE}/volumes`)).body.volumes, []);
  h.assertConformant();
});

test('emulator: a volume in use and a private network with NICs cannot be deleted (precondition_failed)', async (t) => {
  const h = await startScaleway(t);
  const id = (await h.api('POST', `/instance/v1/zones/${ZONE}/servers`, server('holder'))).body.server.id as string;
  const root = (await h.api('GET', `/instance/v1/zones/${ZONE}/servers/${id}`)).body.server.volumes['0'].id as string;
  const inUse = await h.api('DELETE', `/block/v1alpha1/zones/${ZONE}/volumes/${root}`);
  assert.deepEqual([inUse.status, inUse.body.type, inUse.body.precondition], [412, 'precondition_failed', 'resource_still_in_use']);
  const pn = (await h.api('POST', '/vpc/v2/regions/fr-par/private-networks', { name: 'pn', project_id: PROJECT_ID })).body.id as string;
  assert.equal((await h.api('POST', `/instance/v1/zones/${ZONE}/servers/${id}/private_nics`, { private_network_id: pn })).status, 201);
  const attached = await h.api('DELETE', `/vpc/v2/regions/fr-par/private-networks/${pn}`);
  assert.deepEqual([attached.status, attached.body.type], [412, 'precondition_failed']);
  const elsewhere = await h.api('POST', `/instance/v1/zones/nl-ams-1/servers`, server('ams'));
  const wrongRegion = await h.api('POST', `/instance/v1/zones/nl-ams-1/servers/${elsewhere.body.server.id}/private_nics`, { private_network_id: pn });
  assert.equal(wrongRegion.status, 404, 'a NIC joins a private network of its own region only');
  h.assertConformant();
});

test('emulator: the rate limit answers 429 too_many_requests with Retry-After once the bucket is empty', async (t) => {
  const h = await startScaleway(t, { rateLimits: { scaleway: { capacity: 3, refillPerSecond: 0.001 } } });
  const statuses: number[] = [];
  let last: Headers | undefined;
  for (let i = 0; i < 5; i++) {
    const r = await h.api('GET', '/marketplace/v2/images');
    statuses.push(r.status);
    if (r.status === 429) {
      assert.equal(r.body.type, 'too_many_requests');
      last = r.headers;
    }
  }
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  assert.ok(Number(last!.get('retry-after')) >= 1);
  assert.equal(last!.get('x-ratelimit-remaining'), '0');
});

test('emulator: Elastic Metal goes delivering → ready (install to_install → installing → completed) on the emulated clock', async (t) => {
  const h = await startScaleway(t);
  const key = await h.api('POST', '/iam/v1alpha1/ssh-keys', { name: 'k', public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEmuKey k', project_id: PROJECT_ID });
  const offer = (await h.api('GET', '/baremetal/v1/zones/fr-par-2/offers?name=EM-A115X-SSD')).body.offers[0];
  const os = (await h.api('GET', '/baremetal/v1/zones/fr-par-2/os')).body.os[0];
  const created = await h.api('POST', '/baremetal/v1/zones/fr-par-2/servers', {
    offer_id: offer.id, project_id: PROJECT_ID, name: 'm1', description: '', tags: [], install: { os_id: os.id, hostname: 'm1', ssh_key_ids: [key.body.id] },
  });
  assert.deepEqual([created.status, created.body.status, created.body.install.status, created.body.ips], [200, 'delivering', 'to_install', []]);
  const seen = new Set<string>();
  await until(async () => {
    const s = (await h.api('GET', `/baremetal/v1/zones/fr-par-2/servers/${created.body.id}`)).body;
    seen.add(`${s.status}/${s.install.status}`);
    return s.install.status === 'completed';
  }, 'install');
  assert.ok(seen.has('ready/completed'));
  assert.ok([...seen].every((x) => ['delivering/to_install', 'ready/installing', 'ready/completed'].includes(x)), [...seen].join(', '));
  const noKey = await h.api('POST', '/baremetal/v1/zones/fr-par-2/servers', { offer_id: offer.id, project_id: PROJECT_ID, name: 'm2', description: '', install: { os_id: os.id, hostname: 'm2', ssh_key_ids: [] } });
  assert.deepEqual([noKey.status, noKey.body.details[0].argument_name], [400, 'install.ssh_key_ids']);
  h.assertConformant();
});
