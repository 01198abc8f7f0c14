/** The emulated Latitude.sh API on its own, and the driver's behaviour at its edges (projects, lost answers). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/index.js';
import { ORDER, startLatitude, TOKEN } from './support.js';

test('auth: a bearer key or the raw key (as the SDK sends it) is accepted; a refused one is a JSON:API 401', async (t) => {
  const h = await startLatitude(t);
  assert.equal((await h.api('GET', '/regions')).status, 200);
  const raw = await fetch(`${h.url}/regions`, { headers: { authorization: TOKEN } });
  assert.equal(raw.status, 200);
  const refused = await h.api('GET', '/servers', undefined, 'invalid-key');
  assert.equal(refused.status, 401);
  assert.equal(refused.body.errors[0].status, '401');
  assert.equal((await fetch(`${h.url}/servers`)).status, 401, 'no key at all');
  const missing = await h.api('GET', '/nowhere');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.errors[0].code, 'not_found');
  assert.deepEqual(h.violations.filter((v) => !v.includes('/nowhere')), []);
});

test('pagination: page[number] and page[size], stats on request; a short page is the last', async (t) => {
  const h = await startLatitude(t);
  const project = (await h.api('GET', '/projects')).body.data[0].id;
  for (const name of ['a1', 'a2', 'a3']) {
    const r = await h.api('POST', '/servers', { data: { type: 'servers', attributes: { project, plan: 'c2-small-x86', site: 'SAO', operating_system: 'debian_12', hostname: name } } });
    assert.equal(r.status, 201);
  }
  const p1 = await h.api('GET', '/servers?page[size]=2&page[number]=1&stats[total]=true');
  const p2 = await h.api('GET', '/servers?page[size]=2&page[number]=2');
  assert.deepEqual([p1.body.data.length, p2.body.data.length], [2, 1]);
  assert.equal(p1.body.meta.stats.total.count, 3);
  assert.deepEqual([...p1.body.data, ...p2.body.data].map((s: any) => s.attributes.hostname), ['a1', 'a2', 'a3']);
  assert.deepEqual(h.violations, []);
});

test('the create is validated as the API does: unknown plan, site, OS, iPXE without a URL', async (t) => {
  const h = await startLatitude(t);
  const project = (await h.api('GET', '/projects')).body.data[0].id;
  const base = { project, plan: 'c2-small-x86', site: 'SAO', operating_system: 'debian_12', hostname: 'x1' };
  for (const [attrs, pointer] of [
    [{ plan: 'c9-nope' }, 'plan'],
    [{ site: 'ATL' }, 'site'],
    [{ operating_system: 'windows_3_1' }, 'operating_system'],
    [{ operating_system: 'ipxe' }, 'ipxe'],
    [{ hostname: '-bad-' }, 'hostname'],
  ] as const) {
    const r = await h.api('POST', '/servers', { data: { type: 'servers', attributes: { ...base, ...attrs } } });
    assert.equal(r.status, 422, JSON.stringify(attrs));
    assert.equal(r.body.errors[0].source.pointer, `/data/attributes/${pointer}`);
  }
  const ipxe = await h.api('POST', '/servers', { data: { type: 'servers', attributes: { ...base, operating_system: 'ipxe', ipxe: 'https://boot.example.com/a.ipxe' } } });
  assert.equal(ipxe.status, 201, 'an iPXE order with its script URL');
  assert.deepEqual(h.violations, []);
});

test('projects: the only project is used; with several, the setting chooses and a missing choice is a UserError naming them', async (t) => {
  const h = await startLatitude(t);
  const made = await h.api('POST', '/projects', { data: { type: 'projects', attributes: { name: 'Staging', provisioning_type: 'on_demand' } } });
  assert.equal(made.status, 201);
  const before = h.exchanges.length;
  await assert.rejects(h.provider().createInstance(ORDER), (e: unknown) => UserError.is(e) && /default-project/.test(e.hint ?? '') && /staging/.test(e.hint ?? ''));
  assert.ok(h.exchanges.slice(before).every((x) => x.method === 'GET'), 'only lookups before the refusal');
  const inst = await h.provider({ options: { project: 'staging' } }).createInstance(ORDER);
  const server = await h.api('GET', `/servers/${inst.id}`);
  assert.equal(server.body.data.attributes.project.id, made.body.data.id);
  assert.deepEqual(h.violations, []);
});

test('a create whose answer is lost is found by its hostname, tagged, and not ordered twice', async (t) => {
  const h = await startLatitude(t);
  let dropped = 0;
  // The order reaches the API, its answer does not (a cut connection after the commit).
  const lossy: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (init?.method === 'POST' && new URL(String(input)).pathname === '/servers' && dropped++ === 0) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    return res;
  };
  const p = h.provider({ http: { fetch: lossy } });
  const inst = await p.createInstance({ ...ORDER, labels: { app: 'shop' } });
  assert.equal(h.requests('POST', /^\/servers$/).length, 1, 'one order');
  assert.equal(inst.labels.app, 'shop');
  assert.deepEqual((await p.listInstances()).map((i) => i.id), [inst.id], 'listed as ferry\'s');
  assert.deepEqual(h.violations, []);
});

test('SSH keys: a public key is registered once and reused by its text; an unknown key id is a UserError', async (t) => {
  const h = await startLatitude(t);
  const p = h.provider();
  const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGh1cm9rdWZlcnJ5dGVzdGtleTAwMDAwMDAwMDAwMDA me@laptop';
  const a = await p.createInstance({ ...ORDER, name: 'k1', sshKeys: [pub] });
  const b = await p.createInstance({ ...ORDER, name: 'k2', sshKeys: [pub] });
  assert.ok(a.id !== b.id);
  assert.equal(h.requests('POST', /^\/ssh_keys$/).length, 1, 'registered once');
  const keys = await p.getSshKeys();
  assert.equal(keys.length, 1);
  assert.ok(keys[0]!.fingerprint?.includes(':'));
  const creates = h.requests('POST', /^\/servers$/).map((x) => (x.requestBody as any).data.attributes.ssh_keys);
  assert.deepEqual(creates, [[keys[0]!.id], [keys[0]!.id]]);
  await assert.rejects(p.createInstance({ ...ORDER, name: 'k3', sshKeys: ['ssh_doesNotExist1'] }), (e: unknown) => UserError.is(e));
  assert.deepEqual(h.violations, []);
});

test('user data is stored as a user-data object and the create carries its id', async (t) => {
  const h = await startLatitude(t);
  await h.provider().createInstance({ ...ORDER, userData: '#cloud-config\npackages: [htop]\n' });
  const ud = h.requests('POST', /^\/user_data$/);
  assert.equal(ud.length, 1);
  assert.equal(Buffer.from((ud[0]!.requestBody as any).data.attributes.content, 'base64').toString(), '#cloud-config\npackages: [htop]\n');
  const create = h.requests('POST', /^\/servers$/)[0]!.requestBody as any;
  assert.equal(create.data.attributes.user_data, (ud[0]!.responseBody as any).data.id);
  assert.deepEqual(h.violations, []);
});

test('networks and firewalls: a VLAN at the networkSite site named by its description; a firewall with the inbound SSH rule', async (t) => {
  const h = await startLatitude(t);
  const p = h.provider({ options: { networkSite: 'DAL' } });
  const net = await p.findOrCreateNetwork('ferry-net');
  const vlan = h.requests('POST', /^\/virtual_networks$/)[0]!.requestBody as any;
  assert.equal(vlan.data.attributes.site, 'DAL');
  assert.equal(vlan.data.attributes.description, 'ferry-net');
  assert.equal((await p.getNetworkByName('ferry-net'))?.id, net.id);
  await p.findOrCreateFirewall('ferry-fw');
  const fw = h.requests('POST', /^\/firewalls$/)[0]!.requestBody as any;
  assert.deepEqual(fw.data.attributes.rules, [{ from: 'ANY', to: 'ANY', protocol: 'TCP', port: '22', description: 'ssh (ferry)' }]);
  assert.deepEqual(h.violations, []);
});
