/** Droplet snapshots and images: /v2/snapshots (with volume snapshots), /v2/droplets/{id}/snapshots, /v2/images. */
import type { EmuResponse, Router } from '../engine/types.js';
import { dropletById, findImage, notFound } from './droplets.js';
import { doError } from './errors.js';
import { paginate } from './paginate.js';
import { renderImage, type DoState, type ImageRec, type VolumeSnapshotRec } from './state.js';
import { renderVolumeSnapshot } from './volume-snapshots.js';

function snapshotsOf(state: DoState): ImageRec[] {
  return [...state.images.values()].filter((i) => i.type === 'snapshot').sort((a, b) => a.id - b.id);
}

/** /v2/snapshots speaks of string ids and the source droplet... */
function renderSnapshot(state: DoState, i: ImageRec): Record<string, unknown> {
  return {
    id: String(i.id),
    name: i.name,
    created_at: state.ctx.clock.iso(i.createdAt),
    regions: i.regions,
    min_disk_size: i.minDisk,
    size_gigabytes: i.sizeGb,
    resource_id: String(i.dropletId ?? ''),
    resource_type: 'droplet',
    tags: [],
  };
}

/** ...while /v2/droplets/{id}/snapshots uses integer ids and a type. */
function renderDropletSnapshot(state: DoState, i: ImageRec): Record<string, unknown> {
  return {
    id: i.id,
    name: i.name,
    created_at: state.ctx.clock.iso(i.createdAt),
    regions: i.regions,
    min_disk_size: i.minDisk,
    size_gigabytes: i.sizeGb,
    type: 'snapshot',
  };
}

export function registerSnapshots(router: Router, state: DoState): void {
  const snapshotById = (raw: string | undefined) => {
    const i = raw && /^\d+$/.test(raw) ? state.images.get(Number(raw)) : undefined;
    return i?.type === 'snapshot' ? i : undefined;
  };
  /** A missing id is 404; an image that is no snapshot (a distribution) is the spec's 400. */
  const missing = (raw: string | undefined): EmuResponse =>
    raw && /^\d+$/.test(raw) && state.images.has(Number(raw)) ? doError(state.ctx.random, 400, 'bad_request', 'the resource is not a snapshot') : notFound(state);

  router.on('GET', '/v2/snapshots', (req) => {
    state.settle();
    const type = req.query.get('resource_type');
    const list: (ImageRec | VolumeSnapshotRec)[] = [...(type === 'volume' ? [] : snapshotsOf(state)), ...(type === 'droplet' ? [] : state.volumeSnapshots.values())];
    return paginate(req, 'snapshots', list, (s) => ('volumeId' in s ? renderVolumeSnapshot(state, s) : renderSnapshot(state, s)));
  });

  router.on('GET', '/v2/snapshots/:id', (req) => {
    state.settle();
    const v = state.volumeSnapshots.get(req.params.id ?? '');
    if (v) return { status: 200, body: { snapshot: renderVolumeSnapshot(state, v) } };
    const i = snapshotById(req.params.id);
    return i ? { status: 200, body: { snapshot: renderSnapshot(state, i) } } : missing(req.params.id);
  });

  router.on('DELETE', '/v2/snapshots/:id', (req) => {
    state.settle();
    if (state.volumeSnapshots.delete(req.params.id ?? '')) return { status: 204 };
    const i = snapshotById(req.params.id);
    if (!i) return missing(req.params.id);
    state.images.delete(i.id);
    const d = i.dropletId === undefined ? undefined : state.droplets.get(i.dropletId);
    if (d) d.snapshotIds = d.snapshotIds.filter((x) => x !== i.id);
    return { status: 204 };
  });

  router.on('GET', '/v2/droplets/:id/snapshots', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    if (!d) return notFound(state);
    const list = snapshotsOf(state).filter((i) => i.dropletId === d.id);
    return paginate(req, 'snapshots', list, (i) => renderDropletSnapshot(state, i));
  });

  router.on('GET', '/v2/images', (req) => {
    state.settle();
    const type = req.query.get('type');
    let list = [...state.images.values()];
    if (req.query.get('private') === 'true') list = list.filter((i) => i.type !== 'base');
    // Only distributions are seeded: there are no one-click application images.
    if (type === 'distribution') list = list.filter((i) => i.type === 'base');
    if (type === 'application') list = [];
    return paginate(req, 'images', list, (i) => renderImage(state.ctx, i));
  });

  router.on('GET', '/v2/images/:id', (req) => {
    state.settle();
    const i = findImage(state, req.params.id);
    return i ? { status: 200, body: { image: renderImage(state.ctx, i) } } : notFound(state);
  });
}
