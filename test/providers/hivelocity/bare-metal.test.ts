/**
 * Bare-metal scenarios on the emulated Hivelocity API: order, wait through the stages, reinstall
 * over custom iPXE, cancel (end of period for monthly, at once for hourly), capacity. Every
 * exchange is checked against Hivelocity's Swagger document.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, MANAGED_BY_KEY, parseImageSpec, ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { harness } from './harness.js';

const order = (name: string, extra: { region?: string; size?: string; sshKeys?: string[] } = {}) => ({
  name,
  region: extra.region ?? 'TPA1',
  size: extra.size ?? '525',
  image: parseImageSpec('ubuntu-24.04'),
  labels: { app: 'render' },
  ...(extra.sshKeys ? { sshKeys: extra.sshKeys } : {}),
});

const phasesOf = (seen: Progress[]) => seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);

test('hivelocity bare metal: order — one POST /bare-metal-devices/ with the OS option, a FQDN, the monthly period and ferry tags', async (t) => {
  const h = await harness(t);
  const ordered = await h.provider.createInstance({ ...order('render-1'), userData: '#cloud-config\n' });
  assert.equal(ordered.status.state, 'new');
  assert.match(ordered.status.raw, /^ordered/);
  assert.equal(ordered.ipv4, null, 'no address before the hardware is assigned');
  assert.equal(ordered.labels[MANAGED_BY_KEY], 'ferry');
  assert.equal(ordered.labels.app, 'render');
  assert.ok(Math.abs(Date.parse(ordered.createdAt) - Date.now()) < 600_000, `createdAt ${ordered.createdAt} is the order's time`);
  assert.equal((await h.provider.getInstance(ordered.id))?.createdAt, ordered.createdAt);
  const posts = h.exchanges.filter((x) => x.method === 'POST' && x.path === '/api/v2/bare-metal-devices/');
  assert.equal(posts.length, 1);
  const body = posts[0]!.requestBody as Record<string, unknown>;
  assert.equal(body.productId, 525);
  assert.equal(body.osName, 'Ubuntu 24.04');
  assert.equal(body.hostname, 'render-1.localdomain');
  assert.equal(body.period, 'monthly');
  assert.equal(body.script, '#cloud-config\n');
  assert.ok((body.tags as string[]).includes(`${CREATE_ID_KEY}=${ordered.labels[CREATE_ID_KEY]}`));
  assert.ok(h.provider.timeouts.instanceReadyMs >= 120_000);
  h.assertConformant();
});

test('hivelocity bare metal: wait through stages — ordered → provisioning → installing → active, each reported with elapsed time', async (t) => {
  // A slower clock than the contract suite's, so every stage lasts long enough to be seen on a loaded machine.
  const h = await harness(t, { timeScale: 150 });
  const ordered = await h.provider.createInstance(order('stages-1'));
  const early = await h.provider.getInstance(ordered.id);
  assert.equal(early?.status.state, 'new', 'an order is not active');
  const seen: Progress[] = [];
  const ready = await h.provider.waitReady(ordered.id, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(phasesOf(seen), ['ordered', 'provisioning', 'installing', 'active']);
  assert.ok(seen.filter((p) => p.phase !== 'active').every((p) => / after \d+(s|m\d\ds)$/.test(p.message)), seen.map((p) => p.message).join(' | '));
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.deepEqual(ready.labels, ordered.labels);
  const dump = await h.raw.call('GET', `/api/v2/device/${ordered.id}`);
  assert.equal(dump.body.spsStatus, 'IN_USE');
  h.assertConformant();
});

test('hivelocity bare metal: reinstall over iPXE — power off, reload with "Custom iPXE" and the script URL, back to active', async (t) => {
  const h = await harness(t, { timeScale: 250 }); // RELOADING is checked in the traffic: a slower clock keeps it visible
  const inst = await h.provider.createInstance(order('ipxe-1'));
  await h.provider.waitReady(inst.id);
  const url = 'https://boot.example.com/ferry/flatcar.ipxe';
  const seen: Progress[] = [];
  await h.provider.reinstallIpxe(inst.id, url, { onProgress: (p) => seen.push(p) });
  const phases = phasesOf(seen);
  assert.equal(phases[0], 'power-off');
  assert.ok(phases.includes('reinstalling'), phases.join(' → '));
  assert.equal(phases.at(-1), 'active');

  const power = h.exchanges.find((x) => x.method === 'POST' && x.path === `/api/v2/device/${inst.id}/power`);
  assert.equal(new URLSearchParams(power?.query).get('action'), 'shutdown', 'powered off first');
  const puts = h.exchanges.filter((x) => x.method === 'PUT' && x.path === `/api/v2/bare-metal-devices/${inst.id}`);
  assert.equal(puts.length, 1);
  assert.deepEqual(
    { ...(puts[0]!.requestBody as object), tags: undefined },
    { hostname: 'ipxe-1.localdomain', osName: 'Custom iPXE', customIPXEScriptURL: url, forceReload: true, tags: undefined },
  );
  assert.ok(h.exchanges.some((x) => x.path === `/api/v2/device/${inst.id}` && (x.responseBody as { spsStatus?: string }).spsStatus === 'RELOADING'));
  const after = await h.raw.call('GET', `/api/v2/bare-metal-devices/${inst.id}`);
  assert.equal(after.body.customIPXEScriptURL, url);
  assert.equal(after.body.osName, 'Custom iPXE');
  const back = await h.provider.getInstance(inst.id);
  assert.equal(back?.status.state, 'active');
  assert.deepEqual(back?.labels, inst.labels, 'the reload kept the tags');
  h.assertConformant();
});

test('hivelocity bare metal: reinstall refuses a bad URL before any request, and a missing device with not_found', async (t) => {
  const h = await harness(t);
  await assert.rejects(h.provider.reinstallIpxe('10400', 'ftp://x/boot.ipxe'), (e: unknown) => UserError.is(e) && /http or https/.test(e.message));
  await assert.rejects(h.provider.reinstallIpxe('10400', 'not a url'), (e: unknown) => UserError.is(e));
  assert.equal(h.exchanges.length, 0);
  await assert.rejects(h.provider.reinstallIpxe('987654', 'https://x/boot.ipxe'), (e: unknown) => ProviderError.is(e, 'not_found'));
  h.assertConformant();
});

test('hivelocity bare metal: cancel a monthly server — cancellation started, billed to the end of the month, gone for ferry', async (t) => {
  const h = await harness(t);
  const inst = await h.provider.createInstance(order('cancel-1'));
  await h.provider.waitReady(inst.id);
  await h.provider.destroyInstance(inst.id);
  const del = h.exchanges.find((x) => x.method === 'DELETE');
  assert.equal(del?.status, 201, 'Cancellation Started');
  const dump = await h.raw.call('GET', `/api/v2/device/${inst.id}`);
  assert.equal(dump.status, 200, 'the device stays in the account until its period ends');
  assert.equal(dump.body.hasCancellation, true);
  const monthEnd = Date.parse(new Date().toISOString()) / 1000 + 29 * 86400;
  assert.ok(dump.body.billingCancelDate > monthEnd - 86400 * 2, `billing cancel date ${dump.body.billingCancelDate} is about a month after the order`);
  assert.equal(await h.provider.getInstance(inst.id), null);
  assert.deepEqual(await h.provider.listInstances({ all: true }), []);
  await h.provider.destroyInstance(inst.id); // 409 "Already Being Cancelled": success
  assert.equal(h.exchanges.filter((x) => x.method === 'DELETE').at(-1)?.status, 409);
  await assert.rejects(h.provider.stopInstance(inst.id), (e: unknown) => ProviderError.is(e, 'not_found'));
  h.assertConformant();
});

test('hivelocity bare metal: cancel an hourly server — deleted at once (204)', async (t) => {
  const h = await harness(t, { period: 'hourly' });
  const inst = await h.provider.createInstance(order('hourly-1'));
  assert.equal((h.exchanges.find((x) => x.method === 'POST')?.requestBody as { period?: string }).period, 'hourly');
  await h.provider.destroyInstance(inst.id);
  assert.equal(h.exchanges.find((x) => x.method === 'DELETE')?.status, 204);
  assert.equal((await h.raw.call('GET', `/api/v2/bare-metal-devices/${inst.id}`)).status, 404);
  h.assertConformant();
});

test('hivelocity bare metal: no stock — an empty shelf is a capacity error before any order, an order refused for stock is capacity too', async (t) => {
  const h = await harness(t, { faults: { capacity: [{ provider: 'hivelocity', region: 'ATL2', size: '576' }] } });
  await assert.rejects(h.provider.createInstance(order('empty-1', { region: 'NYC1', size: '612' })), (e: unknown) => {
    assert.ok(ProviderError.is(e, 'capacity'), String(e));
    assert.match(e.message, /out of stock in NYC1; in stock in TPA1/);
    return true;
  });
  assert.equal(h.exchanges.filter((x) => x.method === 'POST').length, 0);
  await assert.rejects(h.provider.createInstance(order('short-1', { region: 'ATL2', size: '576' })), (e: unknown) => ProviderError.is(e, 'capacity'));
  assert.equal(h.exchanges.filter((x) => x.method === 'POST').length, 1, 'a capacity refusal is not re-sent');
  h.assertConformant();
});

test('hivelocity bare metal: a public SSH key is registered once and ordered as publicSshKeyId; two keys are refused', async (t) => {
  const h = await harness(t);
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFerryHivelocityTestKey0000000000000000000 me@laptop';
  await h.provider.createInstance(order('key-1', { sshKeys: [key] }));
  await h.provider.createInstance(order('key-2', { sshKeys: [key] }));
  const keys = await h.provider.getSshKeys();
  assert.equal(keys.length, 1);
  const ids = h.exchanges.filter((x) => x.method === 'POST' && x.path === '/api/v2/bare-metal-devices/').map((x) => (x.requestBody as { publicSshKeyId?: number }).publicSshKeyId);
  assert.deepEqual(ids, [Number(keys[0]!.id), Number(keys[0]!.id)]);
  await assert.rejects(h.provider.createInstance(order('key-3', { sshKeys: [key, keys[0]!.id] })), (e: unknown) => UserError.is(e));
  h.assertConformant();
});

test('hivelocity bare metal: reinstall with an OS option (--os); a device still being provisioned is not reloaded', async (t) => {
  const h = await harness(t);
  const inst = await h.provider.createInstance(order('os-1'));
  await assert.rejects(h.provider.reinstallOs(inst.id, parseImageSpec('debian-12')), (e: unknown) => ProviderError.is(e, 'conflict') && /in use/.test(e.message));
  await assert.rejects(h.provider.reinstallIpxe(inst.id, 'https://x/boot.ipxe'), (e: unknown) => ProviderError.is(e, 'conflict'));
  await h.provider.waitReady(inst.id);
  await assert.rejects(h.provider.reinstallOs(inst.id, parseImageSpec('ubuntu-10.04')), (e: unknown) => UserError.is(e) && /Debian 12/.test(e.hint ?? ''));
  const after = await h.provider.reinstallOs(inst.id, parseImageSpec('debian-12'));
  assert.equal(after.image, 'Debian 12');
  assert.equal(after.status.state, 'active');
  const put = h.exchanges.find((x) => x.method === 'PUT')!.requestBody as Record<string, unknown>;
  assert.deepEqual([put.osName, put.forceReload, put.customIPXEScriptURL], ['Debian 12', true, undefined]);
  h.assertConformant();
});
