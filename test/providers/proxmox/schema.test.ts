import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPveSchema } from '../../support/pve-schema.js';
import { fixture } from './fixtures.js';

function schemaOrSkip(t: import('node:test').TestContext) {
  const loaded = loadPveSchema();
  if (!loaded.ok) t.skip(loaded.message);
  return loaded.ok ? loaded.schema : null;
}

test('the validator rejects what PVE would: missing, undeclared, mistyped and malformed parameters', (t) => {
  const s = schemaOrSkip(t);
  if (!s) return;
  const clone = '/api2/json/nodes/pve1/qemu/9000/clone';
  assert.deepEqual(s.validateRequest('POST', clone, { newid: '123456', name: 'web-1', full: '1' }), []);
  assert.match(s.validateRequest('POST', clone, { name: 'web-1' }).join(), /required parameter newid missing/);
  assert.match(s.validateRequest('POST', clone, { newid: 'abc' }).join(), /not integer/);
  assert.match(s.validateRequest('POST', clone, { newid: '99' }).join(), /minimum/);
  assert.match(s.validateRequest('POST', clone, { newid: '123456', colour: 'red' }).join(), /colour is not in the schema/);
  assert.match(s.validateRequest('POST', clone, { newid: '123456', name: 'web_1!' }).join(), /dns-name/);
  assert.match(s.validateRequest('POST', clone, { newid: '123456', format: 'zip' }).join(), /not in raw, qcow2, vmdk/);
  const config = '/api2/json/nodes/pve1/qemu/123456/config';
  assert.deepEqual(s.validateRequest('PUT', config, { ipconfig0: 'ip=dhcp', memory: '4096', tags: 'managed-by+ferry;x+y', sshkeys: 'ssh-ed25519%20AAAA' }), []);
  assert.match(s.validateRequest('PUT', config, { sshkeys: 'ssh-ed25519 AAAA' }).join(), /urlencoded/);
  assert.match(s.validateRequest('PUT', config, { tags: 'managed-by=ferry' }).join(), /pve-tag-list/);
  assert.match(s.validateRequest('PUT', config, { memory: 'lots=1' }).join(), /unknown key "lots"/);
  assert.match(s.validateRequest('PATCH', config, {}).join(), /has no PATCH/);
  assert.match(s.validateRequest('GET', '/api2/json/nodes/pve1/qemu/1/nothing', {}).join(), /no such path/);
});

test('fixtures match the returns declared in the official schema', (t) => {
  const s = schemaOrSkip(t);
  if (!s) return;
  const pairs: [string, string][] = [
    ['/api2/json/nodes/pve1/qemu/123456/status/current', 'status-current-running.json'],
    ['/api2/json/nodes/pve1/qemu/123457/status/current', 'status-current-cloning.json'],
    ['/api2/json/nodes/pve1/qemu/123456/config', 'config-managed.json'],
    ['/api2/json/nodes/pve1/qemu/123456/agent/network-get-interfaces', 'agent-network-get-interfaces.json'],
    ['/api2/json/cluster/resources', 'cluster-resources-vm.json'],
    ['/api2/json/nodes/pve1/qemu/123456/snapshot', 'snapshot-list.json'],
    ['/api2/json/nodes/pve1/tasks/UPID:x/status', 'task-status-failed.json'],
    ['/api2/json/nodes', 'nodes.json'],
  ];
  for (const [path, file] of pairs) assert.deepEqual(s.validateResponse('GET', path, 200, fixture(file)), [], file);
  // And the response check bites: a wrong enum, a missing required field, a bare body.
  const bad = { data: { ...fixture<Record<string, unknown>>('task-status-failed.json').data, status: 'done' } };
  assert.match(s.validateResponse('GET', '/api2/json/nodes/pve1/tasks/UPID:x/status', 200, bad).join(), /not in running, stopped/);
  const { upid: _drop, ...noUpid } = fixture<Record<string, unknown>>('task-status-failed.json').data;
  assert.match(s.validateResponse('GET', '/api2/json/nodes/pve1/tasks/UPID:x/status', 200, { data: noUpid }).join(), /upid: required/);
  assert.match(s.validateResponse('GET', '/api2/json/version', 200, { version: '9' }).join(), /envelope/);
});
