/**
 * The DigitalOcean emulator on a hand-driven clock, its routes called in-process: what emulated
 * time has already made true is applied before a route reads or changes state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PathRouter, type EmuResponse, type EmulatorContext } from '../../src/emulator/engine/index.js';
import { createApi } from '../../src/emulator/digitalocean/index.js';

const CONFIG = { bootMs: 30_000, ipDelayMs: 10_000, actionMs: 5_000, orderMs: 30_000, installMs: 30_000 };

/** `tick`: emulated ms each clock read adds, as a time-scaled clock moves between reads of one request. */
function handDriven(tick = 0) {
  let now = Date.parse('2026-12-01T00:00:00Z');
  let seed = 1;
  const ctx: EmulatorContext = {
    clock: { now: () => (now += tick), iso: (ms) => new Date(ms ?? now).toISOString(), scale: 1 },
    faults: { capacity: () => false, quota: () => false },
    random: () => (seed = (seed * 16807) % 2147483647) / 2147483647,
    config: CONFIG,
    schedule: () => {},
  };
  const router = new PathRouter();
  createApi(ctx).register(router);
  const call = async (method: string, url: string, body?: unknown): Promise<EmuResponse & { body?: any }> => {
    const u = new URL(url, 'http://emulator');
    const m = router.match(method, u.pathname);
    assert.ok(m && m !== 'method_not_allowed', `${method} ${u.pathname} is routed`);
    return m.handler({ method, path: u.pathname, params: m.params, query: u.searchParams, headers: { host: 'emulator' }, body, rawBody: body === undefined ? '' : JSON.stringify(body), url });
  };
  return { call, advance: (ms: number) => void (now += ms) };
}

test('DELETE /v2/droplets?tag_name= first applies what is due: a snapshot finished before the delete is kept', async () => {
  const { call, advance } = handDriven();
  const created = await call('POST', '/v2/droplets', { name: 'batch-1', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: ['batch'] });
  assert.equal(created.status, 202);
  advance(CONFIG.bootMs);
  const snap = await call('POST', `/v2/droplets/${created.body.droplet.id}/actions`, { type: 'snapshot', name: 'last-state' });
  assert.equal(snap.status, 201);
  advance(CONFIG.actionMs); // the snapshot is done in emulated time; no request has looked since
  assert.equal((await call('DELETE', '/v2/droplets?tag_name=batch')).status, 204);
  const snapshots = (await call('GET', '/v2/snapshots')).body.snapshots as { name: string; resource_id: string }[];
  assert.deepEqual(snapshots.map((s) => [s.name, s.resource_id]), [['last-state', String(created.body.droplet.id)]]);
  assert.deepEqual((await call('GET', '/v2/droplets')).body.droplets, []);
});

test('destroying a droplet frees its reserved IP; an assignment still pending then never lands', async () => {
  const { call, advance } = handDriven();
  const droplet = (await call('POST', '/v2/droplets', { name: 'ip-1', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' })).body.droplet.id as number;
  advance(CONFIG.bootMs);
  const ip = (await call('POST', '/v2/reserved_ips', { droplet_id: droplet })).body.reserved_ip.ip as string;
  advance(CONFIG.actionMs - 1);
  const pending = (await call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip;
  assert.deepEqual([pending.droplet, pending.locked], [null, true], 'assigned only when the action completes');
  const busy = await call('POST', `/v2/reserved_ips/${ip}/actions`, { type: 'unassign' });
  assert.equal(busy.status, 422, 'a locked address takes no other action');
  advance(1);
  assert.equal((await call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet.id, droplet);
  assert.equal((await call('DELETE', `/v2/droplets/${droplet}`)).status, 204);
  assert.equal((await call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip.droplet, null);

  const other = (await call('POST', '/v2/droplets', { name: 'ip-2', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' })).body.droplet.id as number;
  advance(CONFIG.bootMs);
  assert.equal((await call('POST', `/v2/reserved_ips/${ip}/actions`, { type: 'assign', droplet_id: other })).status, 201);
  assert.equal((await call('DELETE', `/v2/droplets/${other}`)).status, 204);
  advance(CONFIG.actionMs);
  const after = (await call('GET', `/v2/reserved_ips/${ip}`)).body.reserved_ip;
  assert.deepEqual([after.droplet, after.locked], [null, false]);
});

test('the create action is done when the droplet turns active, however far the clock moved while the create was handled', async () => {
  const { call, advance } = handDriven(2_000);
  const created = await call('POST', '/v2/droplets', { name: 'tick-1', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' });
  assert.equal(created.status, 202);
  const id = created.body.droplet.id;
  let status = 'new';
  for (let i = 0; i < 100 && status !== 'active'; i++) {
    advance(1_000);
    status = (await call('GET', `/v2/droplets/${id}`)).body.droplet.status;
  }
  assert.equal(status, 'active');
  const action = await call('POST', `/v2/droplets/${id}/actions`, { type: 'snapshot', name: 'right-away' });
  assert.equal(action.status, 201, `an active droplet has no pending event: ${JSON.stringify(action.body)}`);
});
