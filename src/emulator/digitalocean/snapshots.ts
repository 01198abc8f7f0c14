/** Droplet snapshots and images: /v2/snapshots, /v2/droplets/{id}/snapshots, /v2/images. */
import type { Router } from '../engine/types.js';
import { dropletById, findImage, notFound } from './droplets.js';
import { paginate } from './paginate.js';
import { renderImage, type DoState, type ImageRec } from './state.js';

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

  router.on('GET', '/v2/snapshots', (req) => {
    state.settle();
    // Volume snapshots are not emulated, so resource_type=volume is an empty list.
    const list = req.query.get('resource_type') === 'volume' ? [] : snapshotsOf(state);
    return paginate(req, 'snapshots', list, (i) => renderSnapshot(state, i));
  });

  router.on('GET', '/v2/snapshots/:id', (req) => {
    state.settle();
    const i = snapshotById(req.params.id);
    return i ? { status: 200, body: { snapshot: renderSnapshot(state, i) } } : notFound(state);
  });

  router.on('DELETE', '/v2/snapshots/:id', (req) => {
    state.settle();
    const i = snapshotById(req.params.id);
    if (!i) return notFound(state);
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
