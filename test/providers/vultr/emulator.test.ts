/** The emulated Vultr API on its own: install states on the clock, cursor pagination, errors, auth, rate limit, faults. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmulatorContext } from '../../../src/emulator/engine/index.js';
import { createMachine, power } from '../../../src/emulator/vultr/machines.js';
import { VultrState, type MachineRec } from '../../../src/emulator/vultr/state.js';
import { assertConformant, startVultr } from './support.js';

function manualState(config = { bootMs: 30_000, ipDelayMs: 10_000, actionMs: 5_000 }) {
  let now = Date.parse('2026-12-01T00:00:00Z');
  let seed = 1;
  const ctx: EmulatorContext = {
    clock: { now: () => now, iso: (ms) => new Date(ms ?? now).toISOString(), scale: 1 },
    faults: { capacity: () => false, quota: () => false },
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    config: { ...config, orderMs: config.bootMs, installMs: config.bootMs },
    schedule: () => {},
  };
  return { st: new VultrState(ctx), advance: (ms: number) => void (now += ms) };
}

const wireState = (st: VultrState, m: MachineRec) => {
  const s = st.status(m);
  return `${s.status}/${st.powerStatus(m)}/${s.serverStatus}${st.hasAddress(m) ? ' ip' : ''}`;
};

test('emulator: an instance goes pending none → locked → installingbooting → active ok, the address coming on the way', () => {
  const { st, advance } = manualState();
  const m = createMachine(st, 'instance', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284 }) as MachineRec;
  const seen = [wireState(st, m)];
  for (let i = 0; i < 4; i++) {
    advance(9_000);
    seen.push(wireState(st, m));
  }
  assert.deepEqual(seen, ['pending/running/none', 'pending/running/none', 'pending/running/locked ip', 'pending/running/installingbooting ip', 'active/running/ok ip']);
});

test('emulator: IPv6 only when the create asks for it (enable_ipv6)', () => {
  const { st } = manualState();
  const v4 = createMachine(st, 'instance', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284 }) as MachineRec;
  const both = createMachine(st, 'instance', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, enable_ipv6: true }) as MachineRec;
  assert.equal(v4.ipv6, '');
  assert.match(both.ipv6, /^2001:19f0:/);
});

test('emulator: bare metal takes thirty times as long to install as a cloud instance', () => {
  const { st, advance } = manualState();
  const m = createMachine(st, 'bare-metal', { region: 'ewr', plan: 'vbm-4c-32gb', os_id: 2284 }) as MachineRec;
  advance(30_000 * 29);
  assert.equal(st.status(m).status, 'pending');
  advance(30_000);
  assert.equal(wireState(st, m), 'active/running/ok ip');
});

test('emulator: halt lands after the action time; reboot and start show installingbooting until done', () => {
  const { st, advance } = manualState();
  const m = createMachine(st, 'instance', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284 }) as MachineRec;
  advance(30_000);
  st.setPower(m, 'stopped', 5_000);
  assert.equal(wireState(st, m), 'active/running/ok ip');
  advance(5_000);
  assert.equal(wireState(st, m), 'active/stopped/ok ip');
  assert.equal(power(st, m, 'start'), undefined);
  assert.equal(wireState(st, m), 'active/running/installingbooting ip');
  advance(5_000);
  assert.equal(wireState(st, m), 'active/running/ok ip');
  power(st, m, 'reboot');
  assert.equal(wireState(st, m), 'active/running/installingbooting ip');
  advance(5_000);
  assert.equal(wireState(st, m), 'active/running/ok ip');
});

test('emulator: power on a machine still installing is refused with 400', () => {
  const { st } = manualState();
  const m = createMachine(st, 'instance', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284 }) as MachineRec;
  assert.equal(power(st, m, 'halt')?.status, 400);
});

test('emulator: cursor pagination with meta.total and meta.links, per_page capped at 500, a bad cursor refused', async (t) => {
  const h = await startVultr(t);
  for (let i = 0; i < 5; i++) assert.equal((await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, label: `n${i}` })).status, 202);
  const first = await h.api('GET', '/v2/instances?per_page=2');
  assert.equal(first.body.instances.length, 2);
  assert.equal(first.body.meta.total, 5);
  assert.equal(first.body.meta.links.prev, '');
  const labels: string[] = first.body.instances.map((i: { label: string }) => i.label);
  let next: string = first.body.meta.links.next;
  while (next) {
    const page = await h.api('GET', `/v2/instances?per_page=2&cursor=${encodeURIComponent(next)}`);
    assert.notEqual(page.body.meta.links.prev, '');
    labels.push(...page.body.instances.map((i: { label: string }) => i.label));
    next = page.body.meta.links.next;
  }
  assert.deepEqual(labels, ['n0', 'n1', 'n2', 'n3', 'n4']);
  assert.equal((await h.api('GET', '/v2/instances?per_page=9999')).body.instances.length, 5);
  const bad = await h.api('GET', '/v2/instances?cursor=bm9wZQ==');
  assert.deepEqual(bad.body, { error: 'Invalid cursor.', status: 400 });
  assertConformant(h);
});

test('emulator: Vultr\'s error body, 401 for a bad key, public catalog without a key, tag filter', async (t) => {
  const h = await startVultr(t);
  assert.deepEqual((await h.api('GET', '/v2/instances', undefined, 'invalid-key')).body, { error: 'Invalid API token.', status: 401 });
  assert.equal((await h.api('GET', '/v2/instances', undefined, null)).status, 401);
  assert.equal((await h.api('GET', '/v2/plans', undefined, null)).status, 200);
  assert.equal((await h.api('GET', '/v2/regions/ewr/availability', undefined, null)).status, 200);
  const missing = await h.api('GET', '/v2/instances/cb676a46-66fd-4dfb-b839-443f2e6c0b60');
  assert.deepEqual(missing.body, { error: 'Invalid instance-id.', status: 404 });
  const noOs = await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb' });
  assert.equal(noOs.status, 400);
  assert.match(noOs.body.error, /os_id/);
  const ipxeWithoutCustom = await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, ipxe_chain_url: 'https://x/y.ipxe' });
  assert.match(ipxeWithoutCustom.body.error, /os_id 159/);
  const wrongRegion = await h.api('POST', '/v2/instances', { region: 'syd', plan: 'vc2-1c-0.5gb-v6', os_id: 2284 });
  assert.match(wrongRegion.body.error, /not available in region syd/);
  const withStatusField = await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, status: 500 });
  assert.equal(withStatusField.status, 202, 'a body holding "status" is a body, not an answer');
  const badUserData = await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, user_data: 'not base64!' });
  assert.match(badUserData.body.error, /base64/);
  await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, tags: ['a=1', 'b'] });
  await h.api('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, tags: ['b'] });
  assert.equal((await h.api('GET', '/v2/instances?tag=a%3D1')).body.instances.length, 1);
  assert.equal((await h.api('GET', '/v2/instances?tag=b')).body.instances.length, 2);
  assertConformant(h);
  assert.deepEqual((await h.api('GET', '/v2/nothing-here')).body, { error: 'Invalid path: no route for GET /v2/nothing-here', status: 404 });
});

test('emulator: 30 requests a second per key, then 429 with Vultr\'s body and Retry-After', async (t) => {
  // The emulated clock barely moves, so nothing refills: exactly 30 of 40 requests pass.
  const h = await startVultr(t, { timeScale: 0.001 });
  const answers = await Promise.all(Array.from({ length: 40 }, () => h.api('GET', '/v2/ssh-keys')));
  const limited = answers.filter((a) => a.status === 429);
  assert.equal(limited.length, 10);
  assert.deepEqual(limited[0]!.body, { error: 'Rate limit reached - please try your request again later.', status: 429 });
  assert.equal(limited[0]!.headers.get('retry-after'), '1');
  const other = await h.api('GET', '/v2/ssh-keys', undefined, 'OTHERKEY0000');
  assert.equal(other.status, 200, 'the limit is per API key');
});

test('emulator: capacity and quota faults refuse the create with Vultr\'s messages; availability drops a sold-out plan', async (t) => {
  const h = await startVultr(t, { faults: 'capacity=vultr:fra:vc2-1c-1gb,quota=vultr:ams' });
  const sold = await h.api('POST', '/v2/instances', { region: 'fra', plan: 'vc2-1c-1gb', os_id: 2284 });
  assert.equal(sold.status, 400);
  assert.match(sold.body.error, /out of stock/);
  const quota = await h.api('POST', '/v2/instances', { region: 'ams', plan: 'vc2-1c-1gb', os_id: 2284 });
  assert.match(quota.body.error, /maximum number of active instances/);
  const fra = await h.api('GET', '/v2/regions/fra/availability');
  assert.ok(!fra.body.available_plans.includes('vc2-1c-1gb'));
  assert.ok(fra.body.available_plans.includes('vc2-1c-2gb'));
  assertConformant(h);
});
