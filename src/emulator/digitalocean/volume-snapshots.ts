/**
 * Volume snapshots: POST/GET /v2/volumes/{id}/snapshots and GET/DELETE /v2/volumes/snapshots/{id};
 * they are also listed and managed at /v2/snapshots (resource_type volume, see ./snapshots.ts) and
 * are the source of POST /v2/volumes {snapshot_id}. A snapshot is made at once (201, no action),
 * is bound to its volume's region and outlives its volume.
 */
import type { EmuResponse, Router } from '../engine/types.js';
import { notFound, withoutNulls } from './droplets.js';
import { doError } from './errors.js';
import { uuid } from './ids.js';
import { paginate } from './paginate.js';
import type { DoState, VolumeSnapshotRec } from './state.js';

const TAG_RE = /^[a-zA-Z0-9_\-:]+$/;

/** The shape GET /v2/snapshots shares: string id, the source volume as resource_id. */
export function renderVolumeSnapshot(state: DoState, s: VolumeSnapshotRec): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    created_at: state.ctx.clock.iso(s.createdAt),
    regions: [s.region],
    min_disk_size: s.minDiskGb,
    size_gigabytes: s.sizeGb,
    resource_id: s.volumeId,
    resource_type: 'volume',
    tags: s.tags,
  };
}

/** POST /v2/volumes {snapshot_id}: the snapshot must exist, be in the volume's region and fit in its size. */
export function refuseSnapshotSource(state: DoState, snapshotId: unknown, region: string, sizeGb: number): EmuResponse | undefined {
  const s = typeof snapshotId === 'string' ? state.volumeSnapshots.get(snapshotId) : undefined;
  if (!s) return notFound(state);
  const invalid = (message: string) => doError(state.ctx.random, 422, 'unprocessable_entity', message);
  if (s.region !== region) return invalid(`the snapshot is in ${s.region}: a volume made from it must be in the same region`);
  if (sizeGb < s.minDiskGb) return invalid(`size_gigabytes must be at least the snapshot's min_disk_size (${s.minDiskGb})`);
  return undefined;
}

export function registerVolumeSnapshots(router: Router, state: DoState): void {
  const { ctx } = state;
  const invalid = (message: string) => doError(ctx.random, 422, 'unprocessable_entity', message);

  router.on('POST', '/v2/volumes/:id/snapshots', (req) => {
    state.settle();
    const v = state.volumes.get(req.params.id ?? '');
    if (!v) return notFound(state);
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return doError(ctx.random, 400, 'bad_request', 'error parsing request body');
    const b = withoutNulls(req.body as Record<string, unknown>);
    if (typeof b.name !== 'string' || b.name.trim() === '') return invalid('name is required');
    const tags = (b.tags ?? []) as unknown[];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length <= 255 && TAG_RE.test(t))) {
      return invalid('Tags may contain letters, numbers, colons, dashes, and underscores; there is a limit of 255 characters per tag.');
    }
    const s: VolumeSnapshotRec = {
      id: uuid(ctx.random),
      name: b.name,
      volumeId: v.id,
      region: v.region,
      minDiskGb: v.sizeGb,
      sizeGb: Math.round(ctx.random() * v.sizeGb * 100) / 100,
      tags: [...new Set(tags as string[])],
      createdAt: ctx.clock.now(),
    };
    state.volumeSnapshots.set(s.id, s);
    return { status: 201, body: { snapshot: renderVolumeSnapshot(state, s) } };
  });

  router.on('GET', '/v2/volumes/:id/snapshots', (req) => {
    state.settle();
    const v = state.volumes.get(req.params.id ?? '');
    if (!v) return notFound(state);
    const list = [...state.volumeSnapshots.values()].filter((s) => s.volumeId === v.id);
    return paginate(req, 'snapshots', list, (s) => renderVolumeSnapshot(state, s));
  });

  router.on('GET', '/v2/volumes/snapshots/:snapshot_id', (req) => {
    state.settle();
    const s = state.volumeSnapshots.get(req.params.snapshot_id ?? '');
    return s ? { status: 200, body: { snapshot: renderVolumeSnapshot(state, s) } } : notFound(state);
  });

  router.on('DELETE', '/v2/volumes/snapshots/:snapshot_id', (req) => {
    state.settle();
    if (!state.volumeSnapshots.delete(req.params.snapshot_id ?? '')) return notFound(state);
    return { status: 204 };
  });
}
