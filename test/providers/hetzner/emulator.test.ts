import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConformant, startHetzner } from './support.js';

const server = (name: string, extra: Record<string, unknown> = {}) => ({ name, server_type: 'cpx11', location: 'fsn1', image: 'ubuntu-24.04', ...extra });

test('emulator: a server stays initializing while its create action runs; its primary IPs are in the create response', async (t) => {
  // Boot and address delays far beyond the test's life: the state cannot move on.
  const h = await startHetzner(t, { bootMs: 1e12, ipDelayMs: 1e12 });
  const created = await h.api('POST', '/v1/servers', server('slow', { ssh_keys: [] }));
  assert.equal(created.status, 201);
  assert.equal(created.body.server.status, 'initializing');
  assert.match(created.body.server.public_net.ipv4.ip, /^\d+\.\d+\.\d+\.\d+$/, 'Hetzner assigns primary IPs with the create');
  assert.equal(created.body.action.command, 'create_server');
  assert.equal(created.body.action.status, 'running');
  assert.deepEqual(created.body.next_actions.map((a: { command: string }) => a.command), ['start_server']);
  const action = await h.api('GET', `/v1/actions/${created.body.action.id}`);
  assert.equal(action.body.action.status, 'running');
  assert.ok(action.body.action.progress < 100);
  assertConformant(h);
});

test('emulator: GET /actions?id=… answers the actions named, in id order; without an id it is invalid input', async (t) => {
  const h = await startHetzner(t, { bootMs: 1e12, ipDelayMs: 1e12 });
  const created = await h.api('POST', '/v1/servers', server('many'));
  const [create, start] = [created.body.action.id as number, created.body.next_actions[0].id as number];
  const both = await h.api('GET', `/v1/actions?id=${start}&id=${create}&id=999999`);
  assert.equal(both.status, 200);
  assert.deepEqual(both.body.actions.map((a: { id: number; command: string }) => [a.id, a.command]), [[create, 'create_server'], [start, 'start_server']]);
  assert.equal(both.body.meta.pagination.total_entries, 2, 'an id that names no action is left out');
  const none = await h.api('GET', '/v1/actions');
  assert.equal(none.status, 400);
  assert.equal(none.body.error.code, 'invalid_input');
  assert.deepEqual(none.body.error.details.fields.map((f: { name: string }) => f.name), ['id']);
  assert.equal((await h.api('GET', '/v1/actions?id=x')).status, 400);
  assertConformant(h);
});

test('emulator: with no boot delay a server is running with addresses at once; start_after_create=false leaves it off', async (t) => {
  const h = await startHetzner(t, { bootMs: 0, ipDelayMs: 0, actionMs: 0 });
  const up = await h.api('POST', '/v1/servers', server('up'));
  assert.equal(up.body.server.status, 'running');
  assert.match(up.body.server.public_net.ipv4.ip, /^49\./);
  assert.match(up.body.server.public_net.ipv6.ip, /\/64$/);
  const off = await h.api('POST', '/v1/servers', server('off', { start_after_create: false }));
  assert.equal(off.body.server.status, 'off');
  assert.deepEqual(off.body.next_actions, []);
  assert.equal((await h.api('GET', `/v1/actions/${up.body.action.id}`)).body.action.status, 'success');
  assertConformant(h);
});

test('emulator: pagination meta, page size capped at 50, bad pages rejected', async (t) => {
  const h = await startHetzner(t);
  const all = await h.api('GET', '/v1/server_types?per_page=200');
  assert.deepEqual(all.body.meta.pagination, { page: 1, per_page: 50, previous_page: null, next_page: null, last_page: 1, total_entries: 19 });
  const second = await h.api('GET', '/v1/server_types?per_page=5&page=2');
  assert.deepEqual(second.body.meta.pagination, { page: 2, per_page: 5, previous_page: 1, next_page: 3, last_page: 4, total_entries: 19 });
  assert.equal(second.body.server_types.length, 5);
  const bad = await h.api('GET', '/v1/servers?page=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_input');
  assertConformant(h);
});

test('emulator: Hetzner\'s validation and conflict errors', async (t) => {
  // Actions never finish here, so a new volume is still being created when it is attached.
  const h = await startHetzner(t, { actionMs: 1e12 });
  const expect = async (method: string, path: string, body: unknown, status: number, code: string) => {
    const r = await h.api(method, path, body);
    assert.deepEqual([r.status, r.body?.error?.code], [status, code], `${method} ${path} ${JSON.stringify(body)}`);
    return r;
  };
  assert.equal((await h.api('POST', '/v1/servers', server('dup'))).status, 201);
  await expect('POST', '/v1/servers', server('dup'), 409, 'uniqueness_error');
  await expect('POST', '/v1/servers', server('bad_name!'), 400, 'invalid_input');
  await expect('POST', '/v1/servers', server('x1', { server_type: 'cx22', location: 'sin' }), 400, 'invalid_input');
  await expect('POST', '/v1/servers', server('x2', { labels: { ok: 'no spaces allowed' } }), 400, 'invalid_input');
  await expect('GET', '/v1/servers?label_selector=a%20b', undefined, 400, 'invalid_input');
  await expect('GET', '/v1/servers/123', undefined, 404, 'not_found');
  await expect('DELETE', '/v1/images/161547269', undefined, 403, 'forbidden');
  const vol = await h.api('POST', '/v1/volumes', { name: 'v', size: 10, location: 'fsn1' });
  await expect('POST', '/v1/volumes', { name: 'v2', size: 9, location: 'fsn1' }, 400, 'invalid_input');
  const s = (await h.api('GET', '/v1/servers?name=dup')).body.servers[0];
  await expect('POST', `/v1/volumes/${vol.body.volume.id}/actions/attach`, { server: s.id }, 423, 'locked');
  await expect('POST', '/v1/firewalls', { name: 'f', rules: [{ direction: 'in', protocol: 'tcp', source_ips: ['0.0.0.0/0'] }] }, 400, 'invalid_input');
  await expect('POST', '/v1/networks', { name: 'n', ip_range: '8.8.0.0/16' }, 400, 'invalid_input');
  await expect('GET', '/v1/nothing-here', undefined, 404, 'not_found');
  // These requests are malformed on purpose, and the spec agrees where it can tell; every answer conforms.
  if (h.violations.length) assert.ok(h.violations.some((v) => v.startsWith('request POST /v1/servers: /labels/ok')));
  const unexpected = h.violations.filter((v) => !v.startsWith('request ') && !v.includes('/v1/nothing-here'));
  assert.deepEqual(unexpected, []);
});

test('emulator: deleting a server removes it at once and detaches its volumes', async (t) => {
  const h = await startHetzner(t, { actionMs: 0 });
  const s = (await h.api('POST', '/v1/servers', server('gone'))).body.server;
  const v = (await h.api('POST', '/v1/volumes', { name: 'd', size: 10, server: s.id })).body.volume;
  assert.equal(v.server, s.id);
  const del = await h.api('DELETE', `/v1/volumes/${v.id}`);
  assert.deepEqual([del.status, del.body.error.code], [422, 'resource_in_use']);
  const deleted = await h.api('DELETE', `/v1/servers/${s.id}`);
  assert.equal(deleted.body.action.command, 'delete_server');
  assert.equal((await h.api('GET', `/v1/servers/${s.id}`)).status, 404);
  assert.equal((await h.api('GET', `/v1/volumes/${v.id}`)).body.volume.server, null);
  assertConformant(h);
});
