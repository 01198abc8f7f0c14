import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, requests } from './conformance.js';
import { startHarness } from './harness.js';

const droplet = (name: string, region = 'fra1') => ({ name, region, size: 's-1vcpu-1gb', image: parseImageSpec('ubuntu-24.04') });
const MISSING = '0f8a7c2e-5b4d-4e3f-a2c1-9d8e7f6a5b4c';

test('volume: create → get → get by name → attach → attach again → detach → detach again → delete → delete again', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  assert.equal(p.capabilities.volumes.supported, true);
  const inst = await p.waitReady((await p.createInstance(droplet('db-1'))).id);

  const vol = await p.createVolume({ name: 'pgdata', sizeGb: 20, region: 'fra1', labels: { app: 'shop' } });
  assert.deepEqual({ ...vol, id: '' }, { id: '', name: 'pgdata', sizeGb: 20, region: 'fra1', status: 'available', instanceId: null, devicePath: null });
  const create = requests(h, 'POST', '/v2/volumes')[0]!.body;
  assert.deepEqual(create, { name: 'pgdata', size_gigabytes: 20, region: 'fra1', filesystem_type: 'ext4', tags: ['app:shop', 'managed-by:ferry'] });

  assert.deepEqual(await p.getVolume(vol.id), vol);
  assert.deepEqual(await p.getVolumeByName('pgdata'), vol);
  assert.equal(new URLSearchParams(requests(h, 'GET', '/v2/volumes').at(-1)!.query).get('name'), 'pgdata', 'looked up by name server-side');
  assert.equal(await p.getVolumeByName('nothing-here'), null);
  assert.equal(await p.getVolume(MISSING), null);
  assert.equal(await p.getVolume('1'), null, 'an id of the wrong shape is not found');

  const attached = await p.attachVolume(vol.id, inst.id);
  assert.equal(attached.status, 'attached');
  assert.equal(attached.instanceId, inst.id);
  assert.equal(attached.devicePath, '/dev/disk/by-id/scsi-0DO_Volume_pgdata');
  assert.deepEqual(requests(h, 'POST', `/v2/volumes/${vol.id}/actions`).map((r) => r.body), [{ type: 'attach', droplet_id: Number(inst.id), region: 'fra1' }]);
  assert.ok(requests(h, 'GET', /^\/v2\/actions\/\d+$/).length >= 1, 'the attach action was waited on');
  assert.deepEqual(await p.attachVolume(vol.id, inst.id), attached, 'attaching again changes nothing');

  const detached = await p.detachVolume(vol.id);
  assert.deepEqual(detached, vol);
  assert.deepEqual(await p.detachVolume(vol.id), vol, 'detaching again changes nothing');
  assert.equal(requests(h, 'POST', `/v2/volumes/${vol.id}/actions`).length, 2, 'one attach and one detach in all');

  await p.deleteVolume(vol.id);
  assert.equal(await p.getVolume(vol.id), null);
  await p.deleteVolume(vol.id); // again: success
  await p.deleteVolume(MISSING); // never existed: success
  await assert.rejects(p.attachVolume(vol.id, inst.id), (e) => ProviderError.is(e, 'not_found'));
  assertConformant(t, h);
});

test('volume: created attached to a droplet still booting (waits for it), deleted while attached (detached first)', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  const inst = await p.createInstance(droplet('app-1', 'lon1'));
  const vol = await p.createVolume({ name: 'uploads', sizeGb: 5, region: 'lon1', instanceId: inst.id });
  assert.equal(vol.instanceId, inst.id);
  assert.equal(vol.devicePath, '/dev/disk/by-id/scsi-0DO_Volume_uploads');

  // Another volume cannot join one already attached elsewhere: DigitalOcean's refusal comes through.
  const other = await p.waitReady((await p.createInstance(droplet('app-2', 'lon1'))).id);
  await assert.rejects(p.attachVolume(vol.id, other.id), (e) => ProviderError.is(e, 'invalid_config') && /already attached/.test(e.message));

  await p.deleteVolume(vol.id);
  const order = h.exchanges.filter((x) => x.path.startsWith(`/v2/volumes/${vol.id}`) && x.method !== 'GET').map((x) => `${x.method} ${(x.requestBody as { type?: string } | undefined)?.type ?? ''}`.trim());
  assert.deepEqual(order.slice(-2), ['POST detach', 'DELETE']);
  assert.equal(await p.getVolume(vol.id), null);
  assertConformant(t, h);
});

test('volume: bad name, size, region or droplet id are UserErrors before any create; a refused token is an auth error', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  const base = { name: 'data', sizeGb: 10, region: 'fra1' };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ name: 'Data_1' }, /volume name "Data_1"/],
    [{ sizeGb: 0 }, /volume size 0/],
    [{ sizeGb: 2.5 }, /volume size 2\.5/],
    [{ region: 'atlantis9' }, /region "atlantis9"/],
    [{ instanceId: 'droplet-7' }, /droplet id "droplet-7"/],
    [{ labels: { team: 'two words' } }, /label/],
  ];
  for (const [over, message] of cases) {
    await assert.rejects(p.createVolume({ ...base, ...over }), (e) => {
      assert.ok(UserError.is(e), `expected a UserError, got ${String(e)}`);
      assert.match(e.message, message);
      return true;
    });
  }
  await assert.rejects(p.createVolume({ ...base, region: 'atlantis9' }), (e) => UserError.is(e) && /fra1/.test(e.hint ?? ''));
  assert.equal(requests(h, 'POST', '/v2/volumes').length, 0, 'no create was sent');

  const bad = h.withToken('invalid-token');
  const auth = (e: unknown) => ProviderError.is(e, 'authentication') && e.status === 401;
  await assert.rejects(bad.getVolume(MISSING), auth);
  await assert.rejects(bad.getVolumeByName('data'), auth);
  await assert.rejects(bad.deleteVolume(MISSING), auth);
  await assert.rejects(bad.detachVolume(MISSING), auth);
  assertConformant(t, h);
});
