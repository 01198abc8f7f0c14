/**
 * Bare-metal scenarios on the emulated OVH API: an order reported through its stages, the default
 * SSH key installed at delivery, iPXE through bootScript + the network netboot + a reboot task, a
 * reinstall with a post-installation script, and the end of the service at the end of the month.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { harness } from './harness.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ovh@ferry';
const req = (name: string, extra: Record<string, unknown> = {}) => ({ name, region: 'gra', size: '24rise01', image: parseImageSpec('ubuntu-24.04'), ...extra });

test('ovh bare metal: the order walks its stages to a ready server; the key is the account default before checkout', async (t) => {
  const h = await harness(t);
  const p = h.provider;
  const created = await p.createInstance(req('bm-1', { sshKeys: [KEY] }));
  assert.equal(created.status.state, 'new');
  assert.match(created.status.raw, /^order /);
  const keyCalls = h.exchanges.filter((x) => x.path.startsWith('/1.0/me/sshKey') && x.method !== 'GET').map((x) => x.method);
  assert.deepEqual(keyCalls, ['POST', 'PUT'], 'registered, then made default');
  const checkout = h.exchanges.findIndex((x) => x.path.endsWith('/checkout'));
  assert.ok(h.exchanges.findIndex((x) => x.method === 'PUT' && x.path.startsWith('/1.0/me/sshKey')) < checkout, 'default before checkout');

  const phases: Progress[] = [];
  const ready = await p.waitReady(created.id, { onProgress: (x) => phases.push(x) });
  assert.equal(ready.id, created.id, 'the cart stays ferry\'s handle');
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^51\.75\./);
  assert.equal(ready.image, 'ubuntu2404-server_64');
  const seen = phases.map((x) => x.phase);
  assert.ok(seen.includes('installing'), `the install stage is reported: ${seen.join(', ')}`);
  assert.equal(seen.at(-1), 'active');
  // A second create with the same key registers nothing new.
  h.exchanges.length = 0;
  await p.createInstance(req('bm-2', { sshKeys: [KEY] }));
  assert.deepEqual(h.exchanges.filter((x) => x.path === '/1.0/me/sshKey' && x.method === 'POST'), []);
  h.assertConformant();
});

test('ovh bare metal: reinstallIpxe sets the iPXE bootScript and netboot, reboots, and waits for the task', async (t) => {
  const h = await harness(t);
  const p = h.provider;
  const inst = await p.createInstance(req('ipxe-1'));
  await assert.rejects(p.reinstallIpxe(inst.id, 'https://boot.example.com/a.ipxe'), (e: unknown) => ProviderError.is(e, 'conflict'), 'not before delivery');
  await p.waitReady(inst.id);
  await assert.rejects(p.reinstallIpxe(inst.id, 'ftp://x/boot'), (e: unknown) => UserError.is(e));
  await p.reinstallIpxe(inst.id, 'https://boot.example.com/a.ipxe');
  const put = h.exchanges.find((x) => x.method === 'PUT' && /^\/1\.0\/dedicated\/server\/[^/]+$/.test(x.path));
  assert.ok(put, 'the server was updated');
  assert.match((put.requestBody as { bootScript: string }).bootScript, /^#!ipxe\nchain --autofree https:\/\/boot\.example\.com\/a\.ipxe/);
  const serviceName = put.path.split('/').pop()!;
  const server = await h.raw.call('GET', `/dedicated/server/${serviceName}`);
  assert.equal(server.body.bootId, (put.requestBody as { bootId: number }).bootId);
  const reboot = h.exchanges.find((x) => x.method === 'POST' && x.path.endsWith('/reboot'));
  const taskId = (reboot?.responseBody as { taskId: number }).taskId;
  assert.equal((await h.raw.call('GET', `/dedicated/server/${serviceName}/task/${taskId}`)).body.status, 'done', 'the reboot task was waited for');
  h.assertConformant();
});

test('ovh bare metal: reinstall with a post-installation script; destroy ends the service at the end of the paid month', async (t) => {
  const h = await harness(t);
  const p = h.provider;
  const inst = await p.createInstance(req('end-1'));
  await p.waitReady(inst.id);
  const again = await p.reinstallOs(inst.id, parseImageSpec('debian-12'), { postInstallScript: '#!/bin/sh\necho hi\n' });
  assert.equal(again.image, 'debian12_64');
  const body = h.exchanges.find((x) => x.path.endsWith('/reinstall'))?.requestBody as { operatingSystem: string; customizations: { postInstallationScript: string } };
  assert.equal(body.operatingSystem, 'debian12_64');
  assert.equal(Buffer.from(body.customizations.postInstallationScript, 'base64').toString(), '#!/bin/sh\necho hi\n');

  const serviceName = h.exchanges.find((x) => x.path.endsWith('/reinstall'))!.path.split('/')[4]!;
  // OVH's own termination: asked (a token is emailed), then a wrong token is refused and nothing ends.
  assert.match(await p.requestTermination(inst.id), /token/);
  await assert.rejects(p.confirmTermination(inst.id, 'not-the-emailed-token'), (e: unknown) => ProviderError.is(e) && e.status === 400 && /termination token/.test(e.message));
  await assert.rejects(p.confirmTermination(inst.id, ''), (e: unknown) => UserError.is(e));
  assert.ok(await p.getInstance(inst.id), 'a refused confirmation ends nothing');
  await p.destroyInstance(inst.id);
  assert.equal(await p.getInstance(inst.id), null, 'ending reads as gone');
  const info = await h.raw.call('GET', `/dedicated/server/${serviceName}/serviceInfos`);
  assert.equal(info.body.renew.deleteAtExpiration, true);
  assert.ok(Date.parse(info.body.expiration) > Date.parse(info.body.creation), 'billed until the end of the paid month');
  assert.ok((await h.raw.call('GET', '/dedicated/server')).body.includes(serviceName), 'the server stays until then');
  h.assertConformant();
});

test('ovh bare metal: user data is refused before any request; offers carry setup fees, monthly billing and currency', async (t) => {
  const h = await harness(t);
  await assert.rejects(h.provider.createInstance(req('ud-1', { userData: '#cloud-config' })), (e: unknown) => UserError.is(e) && /user data/.test(e.message));
  assert.ok(h.exchanges.every((x) => x.method === 'GET'));
  const offers = await h.provider.listOffers();
  const rise = offers.find((o) => o.plan === '24rise01' && o.region === 'gra');
  assert.ok(rise);
  assert.equal(rise.currency, 'EUR');
  assert.equal(rise.billing, 'monthly');
  assert.equal(rise.setupFee, 0);
  assert.equal(rise.priceMonthly, 59.99);
  assert.equal(rise.vcpus, 12);
  assert.equal(rise.bareMetal, true);
  assert.ok(!h.exchanges.some((x) => x.path.includes('/catalog/') && x.method !== 'GET'));
});
