/** Settings (Scaleway's own variable names and the seed's aliases) and image resolution per zone and architecture. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveSettings, UserError, type InstanceRequest } from '../../../src/core/index.js';
import { scalewayDescriptor } from '../../../src/providers/scaleway/meta.js';
import { withDefaults } from '../../../src/providers/registry.js';
import { PROJECT_ID, startScaleway, ZONE } from './support.js';

const fields = scalewayDescriptor.credentials;

test('settings: SCW_* names first, the seed\'s SCALEWAY_* as aliases, zone fr-par-1 by default and checked', () => {
  const scw = resolveSettings('scaleway', fields, { env: { SCW_SECRET_KEY: 's1', SCW_DEFAULT_PROJECT_ID: 'p1', SCALEWAY_SECRET_KEY: 's2', SCW_DEFAULT_ZONE: 'NL-AMS-1' } });
  assert.deepEqual([scw.values.secretKey, scw.values.projectId, scw.values.zone, scw.envNames.secretKey], ['s1', 'p1', 'nl-ams-1', 'SCW_SECRET_KEY']);
  const seed = resolveSettings('scaleway', fields, { env: { SCALEWAY_SECRET_KEY: 's2', SCALEWAY_ACCESS_KEY: 'SCWXXXXXXXXXXXXXXXXX', SCALEWAY_PROJECT_ID: 'p2', SCALEWAY_ZONE: 'pl-waw-2' } });
  assert.deepEqual([seed.values.secretKey, seed.values.accessKey, seed.values.projectId, seed.values.zone, seed.envNames.zone], ['s2', 'SCWXXXXXXXXXXXXXXXXX', 'p2', 'pl-waw-2', 'SCALEWAY_ZONE']);
  const dflt = resolveSettings('scaleway', fields, { env: { SCW_SECRET_KEY: 's', SCW_DEFAULT_PROJECT_ID: 'p' } });
  assert.deepEqual([dflt.values.zone, dflt.sources.zone], ['fr-par-1', 'default']);
  assert.throws(() => resolveSettings('scaleway', fields, { env: { SCW_DEFAULT_ZONE: 'paris' } }), (e: unknown) => UserError.is(e) && /SCW_DEFAULT_ZONE/.test(e.message));
  assert.deepEqual(resolveSettings('scaleway', fields, { env: {} }).missing.map((f) => f.env), ['SCW_SECRET_KEY', 'SCW_DEFAULT_PROJECT_ID']);
});

test('settings: without credentials the registry says which variables to set, before any request', async () => {
  await assert.rejects(withDefaults().create('scaleway', { credentials: {} }, {}), (e: unknown) => UserError.is(e) && /SCW_SECRET_KEY/.test(e.message) && /SCW_DEFAULT_PROJECT_ID/.test(e.message));
});

const req = (name: string, image: InstanceRequest['image'], extra: Partial<InstanceRequest> = {}): InstanceRequest => ({ name, region: ZONE, size: 'DEV1-S', image, ...extra });

test('images: distribution versions resolve per zone and architecture; local image ids and snapshots pass after a check', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const arm = await p.createInstance(req('arm-1', { kind: 'debian', version: '12' }, { region: 'fr-par-2', size: 'COPARM1-2C-8G' }));
  const armLocal = (await h.api('GET', '/marketplace/v2/local-images?image_label=debian_bookworm&zone=fr-par-2&type=instance_sbs&arch=arm64')).body.local_images[0];
  assert.equal((h.requests('POST', '/instance/v1/zones/fr-par-2/servers')[0]!.requestBody as { image: string }).image, armLocal.id, 'the arm64 build for an arm type');
  assert.equal(arm.size, 'COPARM1-2C-8G');

  const x86Local = (await h.api('GET', `/marketplace/v2/local-images?image_label=ubuntu_jammy&zone=${ZONE}&type=instance_sbs&arch=x86_64`)).body.local_images[0];
  const byId = await p.createInstance(req('by-id', { kind: 'custom', id: x86Local.id }));
  assert.equal(byId.image, 'Ubuntu 22.04 Jammy Jellyfish');
  await assert.rejects(p.createInstance(req('wrong-arch', { kind: 'custom', id: armLocal.id }, { region: 'fr-par-2', size: 'DEV1-S' })), (e: unknown) => UserError.is(e) && /arm64/.test(e.message));
  await assert.rejects(p.createInstance(req('label', { kind: 'custom', id: 'windows_95' })), (e: unknown) => UserError.is(e) && /ubuntu_noble/.test(`${e.hint}`));
  await assert.rejects(p.createInstance(req('bad-id', { kind: 'snapshot', id: 'fr-par-1/nope' })), (e: unknown) => UserError.is(e) && /UUID/.test(`${e.hint}`));

  const ready = await p.waitReady(byId.id);
  const snap = await p.createSnapshot(ready.id, 'golden');
  const fromSnap = await p.createInstance(req('from-snap', { kind: 'snapshot', id: snap.id }));
  assert.equal(fromSnap.image, 'golden');
  await assert.rejects(p.createInstance(req('other-zone', { kind: 'snapshot', id: snap.id }, { region: 'nl-ams-1' })), (e: unknown) => UserError.is(e) && /fr-par-1/.test(e.message));
  assert.equal((await h.api('GET', `/instance/v1/zones/${ZONE}/servers`)).body.servers.every((s: { project: string }) => s.project === PROJECT_ID), true);
  h.assertConformant();
});
