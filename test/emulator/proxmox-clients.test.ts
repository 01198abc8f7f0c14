/**
 * Proxmox clients against the emulator, by the requests they send. proxmox-api (npm) and
 * proxmoxer (Python) both authenticate with "Authorization: PVEAPIToken=USER@REALM!ID=SECRET",
 * call GET /cluster/nextid before a clone, post form bodies, poll tasks by UPID and read a
 * failure's text from the HTTP reason phrase. Every exchange is checked against PVE's apidoc schema.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPveSchema, validateExchange } from '../support/pve-schema.js';
import { startFor, until, type ClientRun } from './clients.js';

const AUTH = { authorization: 'PVEAPIToken=root@pam!client=c0ffee00-1111-2222-3333-444455556666', 'user-agent': 'proxmox-api' };

function nonConforming(run: ClientRun): string[] {
  const loaded = loadPveSchema();
  if (!loaded.ok) return [];
  return run.exchanges.flatMap((x) => validateExchange(loaded.schema, x).map((e) => `${x.method} ${x.path}: ${e}`));
}

async function task(run: ClientRun, node: string, upid: string) {
  return until(`task ${upid}`, async () => {
    const r = await run.call('GET', `/api2/json/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`);
    return r.body.data.status === 'stopped' ? r.body.data : undefined;
  });
}

test('nextid before a clone, then clone, start, shutdown, reset, suspend/resume, async config; tasks carry endtime', async (t) => {
  const run = await startFor(t, 'proxmox', AUTH);
  const next = await run.call('GET', '/api2/json/cluster/nextid');
  assert.equal(next.status, 200);
  const vmid = Number(next.body.data);
  assert.ok(vmid >= 100);
  const taken = await run.call('GET', '/api2/json/cluster/nextid?vmid=9000');
  assert.equal(taken.status, 400);
  assert.equal(taken.statusText, 'VM 9000 already exists');

  const clone = await run.call('POST', '/api2/json/nodes/pve1/qemu/9000/clone', { form: { newid: String(vmid), name: 'client-1', full: '1' } });
  assert.equal(clone.status, 200);
  const cloned = await task(run, 'pve1', clone.body.data);
  assert.equal(cloned.exitstatus, 'OK');
  assert.ok(Number.isInteger(cloned.endtime) && cloned.endtime >= cloned.starttime, 'a stopped task has endtime');
  assert.notEqual(Number((await run.call('GET', '/api2/json/cluster/nextid')).body.data), vmid, 'the id is now taken');

  const config = await run.call('POST', `/api2/json/nodes/pve1/qemu/${vmid}/config`, { form: { memory: '4096', cores: '4' } });
  assert.match(config.body.data, /^UPID:pve1:.*:qmconfig:/);
  await task(run, 'pve1', config.body.data);
  assert.equal((await run.call('GET', `/api2/json/nodes/pve1/qemu/${vmid}/config`)).body.data.memory, '4096');

  const status = async () => (await run.call('GET', `/api2/json/nodes/pve1/qemu/${vmid}/status/current`)).body.data;
  const post = async (what: string) => {
    const r = await run.call('POST', `/api2/json/nodes/pve1/qemu/${vmid}/status/${what}`);
    assert.equal(r.status, 200, `${what}: ${r.statusText}`);
    return task(run, 'pve1', r.body.data);
  };
  await post('start');
  await post('suspend');
  assert.equal((await status()).qmpstatus, 'paused');
  await post('resume');
  assert.equal((await status()).qmpstatus, 'running');
  await post('reset');
  assert.equal((await status()).status, 'running');
  await post('shutdown');
  assert.equal((await status()).status, 'stopped');
  const notRunning = await run.call('POST', `/api2/json/nodes/pve1/qemu/${vmid}/status/shutdown`);
  assert.equal(notRunning.status, 500);
  assert.equal(notRunning.statusText, `VM ${vmid} not running`);
  await task(run, 'pve1', (await run.call('DELETE', `/api2/json/nodes/pve1/qemu/${vmid}`)).body.data);
  assert.deepEqual(nonConforming(run), []);
});

test('errors as PVE sends them: the text in the reason phrase; node status and version', async (t) => {
  const run = await startFor(t, 'proxmox', AUTH);
  const missing = await run.call('GET', '/api2/json/nodes/pve1/qemu/4242/status/current');
  assert.equal(missing.status, 500);
  assert.equal(missing.statusText, "Configuration file 'nodes/pve1/qemu-server/4242.conf' does not exist");
  const node = await run.call('GET', '/api2/json/nodes/pve1/status');
  assert.equal(node.status, 200);
  assert.equal(node.body.data.cpuinfo.cpus, 32);
  assert.match((await run.call('GET', '/api2/json/version')).body.data.version, /^\d+\.\d+/);
  const unknown = await run.call('GET', '/api2/json/nodes/pve1/qemu/100/pending');
  assert.equal(unknown.status, 501);
  assert.match(unknown.statusText, /^Method 'GET \/api2\/json\/nodes\/pve1\/qemu\/100\/pending' not implemented/);
  const bad = await fetch(`${run.url}/api2/json/version`, { headers: { authorization: 'PVEAPIToken=root@pam!x=invalid' } });
  assert.equal(bad.status, 401);
  assert.equal(bad.statusText, 'authentication failure');
  assert.deepEqual(nonConforming(run), []);
});
