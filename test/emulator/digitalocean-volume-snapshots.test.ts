/**
 * Volume snapshots through the dots-wrapper npm client, unchanged, against the emulator: take,
 * list (per volume and at /v2/snapshots?resource_type=volume), get, make a volume from one, delete.
 * Every exchange is checked against DigitalOcean's OpenAPI description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiClient } from 'dots-wrapper';
import { startFor, until } from './clients.js';
import { nonConforming } from './digitalocean-spec.js';

const TOKEN = 'dop_v1_0123456789abcdef0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** dots-wrapper rejects with the axios error: the status and DigitalOcean's error body. */
function apiError(status: number, id: string) {
  return (e: { response?: { status: number; data: { id: string; message: string; request_id: string } } }) => {
    assert.equal(e.response?.status, status, JSON.stringify(e.response?.data));
    assert.equal(e.response.data.id, id);
    assert.equal(typeof e.response.data.message, 'string');
    assert.match(e.response.data.request_id, /^[0-9a-f-]{36}$/);
    return true;
  };
}

async function start(t: Parameters<typeof startFor>[0]) {
  const run = await startFor(t, 'digitalocean', AUTH);
  return { run, dots: createApiClient({ token: TOKEN, endpoint: `${run.url.replace(/\/$/, '')}/v2` }) };
}

test('volume snapshots: create, list per volume and at /v2/snapshots, get, delete (dots-wrapper)', async (t) => {
  const { run, dots } = await start(t);
  const volume = (await dots.volume.createVolume({ name: 'data-1', region: 'fra1', size_gigabytes: 20, filesystem_type: 'ext4' } as never)).data.volume;

  const created = await dots.volume.createVolumeSnapshot({ volume_id: volume.id, name: 'data-1-before-upgrade', tags: ['backup', 'env:prod'] });
  assert.equal(created.status, 201);
  const snap = created.data.snapshot;
  assert.match(snap.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    { name: snap.name, regions: snap.regions, min_disk_size: snap.min_disk_size, resource_id: snap.resource_id, resource_type: snap.resource_type, tags: snap.tags },
    { name: 'data-1-before-upgrade', regions: ['fra1'], min_disk_size: 20, resource_id: volume.id, resource_type: 'volume', tags: ['backup', 'env:prod'] },
  );
  assert.ok(snap.size_gigabytes >= 0 && snap.size_gigabytes <= 20);

  assert.deepEqual((await dots.volume.listVolumeSnapshots({ volume_id: volume.id })).data.snapshots.map((s) => s.id), [snap.id]);
  assert.deepEqual((await dots.snapshot.listSnapshots({ resource_type: 'volume' })).data.snapshots.map((s) => s.id), [snap.id]);
  assert.deepEqual((await dots.snapshot.listSnapshots({ resource_type: 'droplet' })).data.snapshots, []);
  assert.deepEqual((await dots.snapshot.listSnapshots({})).data.snapshots.map((s) => s.id), [snap.id]);
  assert.deepEqual((await dots.snapshot.getSnapshot({ snapshot_id: snap.id })).data.snapshot, snap);
  // doctl's `volume snapshot get` path; dots-wrapper has no method for it.
  assert.deepEqual((await run.call('GET', `/v2/volumes/snapshots/${snap.id}`)).body.snapshot, snap);

  const deleted = await dots.snapshot.deleteSnapshot({ snapshot_id: snap.id });
  assert.equal(deleted.status, 204);
  await assert.rejects(dots.snapshot.getSnapshot({ snapshot_id: snap.id }), apiError(404, 'not_found'));
  assert.deepEqual((await dots.volume.listVolumeSnapshots({ volume_id: volume.id })).data.snapshots, []);
  assert.deepEqual(nonConforming(run), []);
});

test('a snapshot of a missing volume is 404 in DigitalOcean\'s format; a nameless one is refused', async (t) => {
  const { run, dots } = await start(t);
  await assert.rejects(dots.volume.createVolumeSnapshot({ volume_id: '7724db7c-e098-11e5-b522-000f53304e51', name: 'nope' }), apiError(404, 'not_found'));
  await assert.rejects(dots.volume.listVolumeSnapshots({ volume_id: '7724db7c-e098-11e5-b522-000f53304e51' }), apiError(404, 'not_found'));
  const volume = (await dots.volume.createVolume({ name: 'data-2', region: 'fra1', size_gigabytes: 5 } as never)).data.volume;
  const nameless = await run.call('POST', `/v2/volumes/${volume.id}/snapshots`, { body: { tags: null } });
  assert.equal(nameless.status, 422);
  assert.equal(nameless.body.id, 'unprocessable_entity');
  assert.equal((await run.call('DELETE', '/v2/volumes/snapshots/7724db7c-e098-11e5-b522-000f53304e51')).status, 404);
  // The request without a name is the client's mistake, not the emulator's: only the answers are checked.
  assert.deepEqual(nonConforming(run).filter((e) => !e.startsWith(`request POST /v2/volumes/${volume.id}/snapshots: (body) must have required property 'name'`)), []);
});

test('a volume from a snapshot: same region, at least its min_disk_size; the snapshot outlives its volume', async (t) => {
  const { run, dots } = await start(t);
  const source = (await dots.volume.createVolume({ name: 'src', region: 'fra1', size_gigabytes: 10 } as never)).data.volume;
  const snap = (await dots.volume.createVolumeSnapshot({ volume_id: source.id, name: 'src-snap' })).data.snapshot;

  const copy = await dots.volume.createVolume({ name: 'copy', region: 'fra1', size_gigabytes: 15, snapshot_id: snap.id, description: 'restored' } as never);
  assert.equal(copy.status, 201);
  assert.deepEqual([copy.data.volume.size_gigabytes, copy.data.volume.region.slug, copy.data.volume.description], [15, 'fra1', 'restored']);
  await assert.rejects(dots.volume.createVolume({ name: 'small', region: 'fra1', size_gigabytes: 5, snapshot_id: snap.id } as never), apiError(422, 'unprocessable_entity'));
  await assert.rejects(dots.volume.createVolume({ name: 'far', region: 'nyc3', size_gigabytes: 10, snapshot_id: snap.id } as never), apiError(422, 'unprocessable_entity'));
  await assert.rejects(dots.volume.createVolume({ name: 'none', region: 'fra1', size_gigabytes: 10, snapshot_id: '7724db7c-e098-11e5-b522-000f53304e51' } as never), apiError(404, 'not_found'));

  assert.equal((await dots.volume.deleteVolume({ volume_id: source.id })).status, 204);
  assert.equal((await dots.snapshot.getSnapshot({ snapshot_id: snap.id })).data.snapshot.resource_id, source.id);
  assert.equal((await run.call('DELETE', `/v2/volumes/snapshots/${snap.id}`)).status, 204);
  assert.deepEqual(nonConforming(run), []);
});

test('volume snapshot lists page with links.pages and meta.total', async (t) => {
  const { run, dots } = await start(t);
  const volume = (await dots.volume.createVolume({ name: 'paged', region: 'fra1', size_gigabytes: 1 } as never)).data.volume;
  for (const n of [1, 2, 3]) await dots.volume.createVolumeSnapshot({ volume_id: volume.id, name: `s-${n}` });
  const first = await run.call('GET', `/v2/volumes/${volume.id}/snapshots?per_page=2`);
  assert.deepEqual(first.body.snapshots.map((s: { name: string }) => s.name), ['s-1', 's-2']);
  assert.equal(first.body.meta.total, 3);
  assert.ok(first.body.links.pages.next.endsWith(`/v2/volumes/${volume.id}/snapshots?per_page=2&page=2`), first.body.links.pages.next);
  const second = await run.call('GET', new URL(first.body.links.pages.next).pathname + new URL(first.body.links.pages.next).search);
  assert.deepEqual(second.body.snapshots.map((s: { name: string }) => s.name), ['s-3']);
  assert.equal(second.body.links.pages.next, undefined);
  assert.ok(second.body.links.pages.prev);
  assert.deepEqual(nonConforming(run), []);
});

test('/v2/snapshots lists droplet and volume snapshots together, resource_type picks one kind; a distribution image id is 400', async (t) => {
  const { run, dots } = await start(t);
  const droplet = (await dots.droplet.createDroplet({ name: 'snap-src', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' } as never)).data.droplet;
  await until('active', async () => ((await dots.droplet.getDroplet({ droplet_id: droplet.id })).data.droplet.status === 'active' ? true : undefined));
  const action = (await dots.droplet.snapshotDroplet({ droplet_id: droplet.id, name: 'droplet-snap' })).data.action;
  await until('snapshot', async () => ((await run.call('GET', `/v2/actions/${action.id}`)).body.action.status === 'completed' ? true : undefined));
  const volume = (await dots.volume.createVolume({ name: 'mixed', region: 'fra1', size_gigabytes: 1 } as never)).data.volume;
  await dots.volume.createVolumeSnapshot({ volume_id: volume.id, name: 'volume-snap' });

  const kinds = async (resource_type?: 'droplet' | 'volume') => (await dots.snapshot.listSnapshots({ resource_type })).data.snapshots.map((s) => `${s.resource_type}:${s.name}`);
  assert.deepEqual(await kinds(), ['droplet:droplet-snap', 'volume:volume-snap']);
  assert.deepEqual(await kinds('droplet'), ['droplet:droplet-snap']);
  assert.deepEqual(await kinds('volume'), ['volume:volume-snap']);
  // An image that is no snapshot is the spec's 400, not a 404.
  const distribution = (await run.call('GET', '/v2/images/ubuntu-24-04-x64')).body.image.id as number;
  const notSnapshot = await run.call('GET', `/v2/snapshots/${distribution}`);
  assert.deepEqual([notSnapshot.status, notSnapshot.body.id, notSnapshot.body.message], [400, 'bad_request', 'the resource is not a snapshot']);
  assert.deepEqual(nonConforming(run), []);
});
