import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { loadPveSchema, validateExchange } from '../../support/pve-schema.js';

const AUTH = { authorization: 'PVEAPIToken=root@pam!ferry=0a1b2c3d-0000-1111-2222-333344445555' };

test('emulated PVE: UPIDs, clone lock while copying, tasks, 401 and PVE errors, all per the apidoc schema', async (t) => {
  const loaded = loadPveSchema();
  if (!loaded.ok) return t.skip(loaded.message);
  const seen: Exchange[] = [];
  // One emulated hour per clone task: it is still running when we look.
  const emu = await startEmulator({ providers: ['proxmox'], timeScale: 1, actionMs: 3_600_000, observe: (x) => seen.push(x) });
  const base = `${emu.urls.proxmox}/api2/json`;
  const call = async (method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = AUTH) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...headers, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return { status: res.status, body: (await res.json()) as { data: any; message?: string; errors?: Record<string, string> } };
  };
  try {
    const bad = await call('GET', '/version', undefined, { authorization: 'PVEAPIToken=root@pam!ferry=invalid-secret' });
    assert.deepEqual(bad, { status: 401, body: { data: null } });

    const clone = await call('POST', '/nodes/pve1/qemu/9000/clone', { newid: '123456', name: 'web-1', full: '1' });
    assert.equal(clone.status, 200);
    assert.match(clone.body.data, /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:9000:root@pam!ferry:$/);
    const st = await call('GET', '/nodes/pve1/qemu/123456/status/current');
    assert.deepEqual([st.body.data.lock, st.body.data.status], ['clone', 'stopped']);
    const task = await call('GET', `/nodes/pve1/tasks/${encodeURIComponent(clone.body.data)}/status`);
    assert.equal(task.body.data.status, 'running');
    assert.equal((await call('PUT', '/nodes/pve1/qemu/123456/config', { cores: '2' })).body.message, 'VM is locked (clone)\n');

    const dup = await call('POST', '/nodes/pve1/qemu/9000/clone', { newid: '123456' });
    assert.deepEqual([dup.status, dup.body.message], [500, 'unable to create VM 123456: config file already exists\n']);
    const missing = await call('POST', '/nodes/pve1/qemu/9000/clone', { name: 'x' });
    assert.equal(missing.status, 400);
    const gone = await call('GET', '/nodes/pve1/qemu/777/status/current');
    assert.deepEqual([gone.status, gone.body.message], [500, "Configuration file 'nodes/pve1/qemu-server/777.conf' does not exist\n"]);
    assert.equal((await call('GET', '/nodes/pve1/nothing')).status, 501);
    assert.equal((await call('GET', '/nodes/pve1/qemu/9000/agent/network-get-interfaces')).body.message, 'VM 9000 is not running\n');

    const resources = await call('GET', '/cluster/resources?type=vm');
    assert.deepEqual(resources.body.data.map((r: { vmid: number }) => r.vmid), [9000, 9001, 123456]);
    const storage = await call('GET', '/nodes/pve1/storage');
    assert.deepEqual(storage.body.data.map((s: { storage: string }) => s.storage), ['local', 'local-lvm']);

    // The client-side mistakes above (a missing newid, an unknown path) are what the validator must flag; nothing else.
    const errors = seen.flatMap((x) => validateExchange(loaded.schema, x));
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /required parameter newid missing/);
    assert.match(errors.join('\n'), /no such path/);
  } finally {
    await emu.close();
  }
});
