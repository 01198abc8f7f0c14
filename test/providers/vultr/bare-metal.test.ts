/**
 * Bare metal and iPXE on the emulator: a bare-metal plan goes to /bare-metals and takes far longer
 * than a cloud instance (stages reported while waiting); ids route to the API that owns them;
 * power and iPXE reinstall (os_id 159 + ipxe_chain_url) on bare metal and cloud instances alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/vultr/index.js';
import { assertConformant, startVultr, UBUNTU } from './support.js';

const IPXE = 'https://boot.example.com/talos.ipxe';

test('bare metal: created through /bare-metals, pending through its install stages, then active with an address; listed with ferry\'s labels', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  const created = await p.createInstance({ name: 'metal-1', region: 'ewr', size: 'vbm-4c-32gb', image: UBUNTU, labels: { role: 'db' } });
  assert.equal(h.requests('POST', '/v2/bare-metals').length, 1);
  assert.equal(h.requests('POST', '/v2/instances').length, 0);
  assert.equal(created.status.state, 'new');
  assert.equal(created.size, 'vbm-4c-32gb');

  const stages: Progress[] = [];
  const ready = await p.waitReady(created.id, { onProgress: (s) => stages.push(s) });
  assert.equal(ready.status.state, 'active');
  assert.equal(ready.status.raw, 'active/running/ok');
  assert.match(ready.ipv4 ?? '', /^45\.76\./);
  assert.ok(stages.every((s) => s.phase === 'install' && s.message.startsWith('metal-1: pending/')), 'stages name the install state');

  const listed = await p.listInstances({ labels: { role: 'db' } });
  assert.deepEqual(listed.map((i) => i.id), [created.id]);
  assert.equal(listed[0]!.labels['managed-by'], 'ferry');

  // A fresh driver does not know the id: instances first (404), then bare-metals.
  const fresh = h.provider();
  h.exchanges.length = 0;
  assert.equal((await fresh.getInstance(created.id))?.id, created.id);
  assert.deepEqual(h.exchanges.map((x) => `${x.method} ${x.path.replace(created.id, ':id')} ${x.status}`), ['GET /v2/instances/:id 404', 'GET /v2/bare-metals/:id 200']);
  h.exchanges.length = 0;
  await fresh.getInstance(created.id);
  assert.deepEqual(h.exchanges.map((x) => x.path.split('/')[2]), ['bare-metals'], 'the owner is remembered');

  await p.destroyInstance(created.id);
  assert.equal(await p.getInstance(created.id), null);
  await p.destroyInstance(created.id);
  assertConformant(h);
});

test('bare metal: halt, start and reboot; iPXE reinstall sends os_id 159 with the chain URL and waits until it is up', async (t) => {
  const h = await startVultr(t, { bootMs: 10_000 });
  const p = h.provider();
  const m = await p.createInstance({ name: 'metal-2', region: 'fra', size: 'vbm-4c-32gb', image: UBUNTU });
  await p.waitReady(m.id);
  assert.equal((await p.stopInstance(m.id)).status.state, 'off');
  assert.equal((await p.startInstance(m.id)).status.state, 'active');
  assert.equal((await p.rebootInstance(m.id)).status.state, 'active');

  const stages: Progress[] = [];
  await p.reinstallIpxe(m.id, IPXE, { onProgress: (s) => stages.push(s) });
  const patch = h.requests('PATCH', '/v2/bare-metals/:id');
  assert.equal(patch.length, 1);
  assert.deepEqual(patch[0]!.requestBody, { os_id: 159, ipxe_chain_url: IPXE });
  assert.equal(stages[0]?.message, `${m.id}: reinstalling with iPXE from ${IPXE}`);
  assert.ok(stages.slice(1).every((s) => s.phase === 'reinstall' && /active\/running\/installingbooting/.test(s.message)), 'later stages name the reinstall state');
  const after = await p.getInstance(m.id);
  assert.equal(after?.image, 'Custom');
  assert.equal(after?.status.state, 'active');
  await p.destroyInstance(m.id);
  assertConformant(h);
});

test('iPXE on cloud instances: reinstallIpxe through PATCH /instances, and create with image ipxe:<url>', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  const inst = await p.createInstance({ name: 'cloud-1', region: 'ewr', size: 'vc2-1c-1gb', image: UBUNTU });
  await p.waitReady(inst.id);
  await p.reinstallIpxe(inst.id, IPXE);
  assert.deepEqual(h.requests('PATCH', '/v2/instances/:id')[0]?.requestBody, { os_id: '159', ipxe_chain_url: IPXE });

  const booted = await p.createInstance({ name: 'cloud-2', region: 'ewr', size: 'vc2-1c-1gb', image: { kind: 'custom', id: `ipxe:${IPXE}` } });
  const create = h.requests('POST', '/v2/instances').at(-1)!;
  assert.equal((create.requestBody as { os_id: number }).os_id, 159);
  assert.equal((create.requestBody as { ipxe_chain_url: string }).ipxe_chain_url, IPXE);
  assert.equal((await p.waitReady(booted.id)).image, 'Custom');
  assertConformant(h);
});

test('iPXE: a bad URL is a UserError before any request; a missing server is not_found', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  await assert.rejects(p.reinstallIpxe('cb676a46-66fd-4dfb-b839-443f2e6c0b60', 'ftp://x/boot.ipxe'), (e: unknown) => UserError.is(e) && /--ipxe .* must be an http or https URL/.test(e.message));
  assert.equal(h.exchanges.length, 0);
  await assert.rejects(p.reinstallIpxe('cb676a46-66fd-4dfb-b839-443f2e6c0b60', IPXE), (e: unknown) => ProviderError.is(e, 'not_found'));
  await assert.rejects(p.reinstallIpxe('not-a-uuid', IPXE), (e: unknown) => ProviderError.is(e, 'not_found'));
});

test('bare metal: waits for hours by default; an explicit instanceReadyMs bounds it and the timeout names the server', async (t) => {
  const h = await startVultr(t, { bootMs: 1e9 });
  assert.equal(createProvider({ credentials: { apiKey: 'k' }, endpoint: h.url }).bareMetalReadyMs, 4 * 3600_000);
  const p = h.provider({ timeouts: { instanceReadyMs: 30, pollIntervalMs: 5 } });
  const m = await p.createInstance({ name: 'metal-3', region: 'ewr', size: 'vbm-4c-32gb', image: UBUNTU });
  const stages: Progress[] = [];
  await assert.rejects(p.waitReady(m.id, { onProgress: (s) => stages.push(s) }), (e: unknown) => ProviderError.is(e, 'timeout') && e.message.includes(m.id) && e.message.includes('bare metal'));
  assert.ok(stages.length >= 1, 'the install stage is reported while waiting');
  assert.deepEqual([...new Set(stages.map((s) => `${s.phase} ${s.message}`))], ['install metal-3: pending/running/none, no address yet']);
  assert.equal((await p.getInstance(m.id))?.status.raw, 'pending/running/none');
});
