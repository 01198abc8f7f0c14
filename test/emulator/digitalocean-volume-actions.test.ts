/**
 * Volume actions read back and volumes deleted by name, through the dots-wrapper npm client,
 * unchanged: attach, poll the action at /v2/volumes/{id}/actions/{id}, list them, detach, delete by
 * name and region. Every exchange is checked against DigitalOcean's OpenAPI description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiClient } from 'dots-wrapper';
import { startFor, until } from './clients.js';
import { nonConforming } from './digitalocean-spec.js';

const TOKEN = 'dop_v1_0123456789abcdef0123456789abcdef';

test('volume actions: attach and detach read back per volume; delete by name refuses an attached volume, then deletes', async (t) => {
  const run = await startFor(t, 'digitalocean', { authorization: `Bearer ${TOKEN}` });
  const dots = createApiClient({ token: TOKEN, endpoint: `${run.url.replace(/\/$/, '')}/v2` });
  const droplet = (await dots.droplet.createDroplet({ name: 'va-1', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' } as never)).data.droplet;
  await until('active', async () => ((await dots.droplet.getDroplet({ droplet_id: droplet.id })).data.droplet.status === 'active' ? true : undefined));
  const volume = (await dots.volume.createVolume({ name: 'va-data', region: 'fra1', size_gigabytes: 10 } as never)).data.volume;
  const done = (action_id: number) =>
    until(`volume action ${action_id}`, async () => ((await dots.volume.getVolumeAction({ volume_id: volume.id, action_id })).data.action.status === 'completed' ? true : undefined));

  const attach = (await dots.volume.attachVolumeToDroplet({ volume_id: volume.id, droplet_id: droplet.id, region: 'fra1' })).data.action;
  await done(attach.id);
  const attached = await run.call('DELETE', '/v2/volumes?name=va-data&region=fra1');
  assert.deepEqual([attached.status, attached.body.id], [409, 'conflict'], 'an attached volume is not deleted');
  const detach = (await dots.volume.detachVolumeFromDroplet({ volume_id: volume.id, droplet_id: droplet.id, region: 'fra1' })).data.action;
  await done(detach.id);
  const listed = (await dots.volume.listVolumeActions({ volume_id: volume.id })).data;
  assert.deepEqual(listed.actions.map((a) => [a.id, a.type, a.status, a.resource_type]), [
    [attach.id, 'attach_volume', 'completed', 'volume'],
    [detach.id, 'detach_volume', 'completed', 'volume'],
  ]);
  await assert.rejects(dots.volume.getVolumeAction({ volume_id: volume.id, action_id: 1 }), (e: { response?: { status: number } }) => e.response?.status === 404);

  assert.equal((await dots.volume.deleteVolumeByName({ volume_name: 'va-data', region: 'fra1' })).status, 204);
  await assert.rejects(dots.volume.getVolume({ volume_id: volume.id }), (e: { response?: { status: number } }) => e.response?.status === 404);
  await assert.rejects(dots.volume.deleteVolumeByName({ volume_name: 'va-data', region: 'fra1' }), (e: { response?: { status: number; data: { id: string } } }) => e.response?.status === 404 && e.response.data.id === 'not_found');
  assert.deepEqual(nonConforming(run), []);
});

test('volume resize: grows the volume when the action completes, attached or not; shrinking is refused', async (t) => {
  const run = await startFor(t, 'digitalocean', { authorization: `Bearer ${TOKEN}` });
  const dots = createApiClient({ token: TOKEN, endpoint: `${run.url.replace(/\/$/, '')}/v2` });
  const volume = (await dots.volume.createVolume({ name: 'grow', region: 'fra1', size_gigabytes: 10 } as never)).data.volume;
  const resize = await dots.volume.resizeVolume({ volume_id: volume.id, region: 'fra1', size_gigabytes: 20 } as never);
  assert.equal(resize.status, 202);
  assert.deepEqual([resize.data.action.type, resize.data.action.resource_type], ['resize_volume', 'volume']);
  await until('resized', async () => ((await dots.volume.getVolumeAction({ volume_id: volume.id, action_id: resize.data.action.id })).data.action.status === 'completed' ? true : undefined));
  assert.equal((await dots.volume.getVolume({ volume_id: volume.id })).data.volume.size_gigabytes, 20);
  await assert.rejects(dots.volume.resizeVolume({ volume_id: volume.id, region: 'fra1', size_gigabytes: 15 } as never), (e: { response?: { status: number; data: { id: string } } }) => e.response?.status === 422 && e.response.data.id === 'unprocessable_entity');
  assert.deepEqual(nonConforming(run), []);
});
