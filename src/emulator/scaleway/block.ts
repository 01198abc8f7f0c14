/**
 * Block Storage v1alpha1 (volumes and snapshots, zonal). No description of this API is in the specs
 * folder; the shapes follow Scaleway's public Block Storage API documentation.
 */
import { compareIds, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { INSTANCE_ZONES } from './catalog.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound, preconditionFailed } from './errors.js';
import { hasTags, modernPage } from './paginate.js';
import type { BlockSnapshotRec, BlockVolumeRec, ScalewayState } from './state.js';

const MIN_SIZE = 1_000_000_000;

function renderVolume(st: ScalewayState, v: BlockVolumeRec) {
  return {
    id: v.id,
    name: v.name,
    type: v.iops >= 15000 ? 'sbs_15k' : 'sbs_5k',
    size: v.size,
    project_id: v.project,
    created_at: st.iso(v.createdAt),
    updated_at: st.iso(v.updatedAt),
    references: v.serverId
      ? [{ id: `${v.id.slice(0, 24)}${v.serverId.slice(24)}`, product_resource_type: 'instance_server', product_resource_id: v.serverId, created_at: st.iso(v.updatedAt), type: 'exclusive', status: 'attached' }]
      : [],
    parent_snapshot_id: v.parentSnapshotId,
    status: v.serverId ? 'in_use' : 'available',
    tags: [...v.tags],
    specs: { perf_iops: v.iops, class: 'sbs' },
    last_detached_at: null,
    zone: v.zone,
  };
}

function renderSnapshot(st: ScalewayState, s: BlockSnapshotRec) {
  return {
    id: s.id, name: s.name, parent_volume: { id: s.volumeId, name: st.volumes.get(s.volumeId)?.name ?? '', type: 'sbs_5k', status: 'available' },
    size: s.size, project_id: s.project, created_at: st.iso(s.createdAt), updated_at: st.iso(s.createdAt), references: [],
    status: st.now() < s.readyAt ? 'creating' : 'available', tags: [], zone: s.zone, class: 'sbs',
  };
}

export function registerBlock(router: Router, st: ScalewayState): void {
  const base = '/block/v1alpha1/zones/:zone';
  const zoneGuard = (req: EmuRequest) => (INSTANCE_ZONES.includes(req.params.zone ?? '') ? undefined : invalidArguments('zone', `unknown zone; valid: ${INSTANCE_ZONES.join(', ')}`));
  const withVolume = (req: EmuRequest, then: (v: BlockVolumeRec) => EmuResponse): EmuResponse => {
    const bad = zoneGuard(req) ?? badId('volume_id', req.params.id!);
    if (bad) return bad;
    st.settleTerminated();
    const v = st.volumes.get(req.params.id!);
    return v && v.zone === req.params.zone ? then(v) : notFound('volume', req.params.id!);
  };
  router.on('GET', `${base}/volumes`, (req) => {
    const bad = zoneGuard(req);
    if (bad) return bad;
    st.settleTerminated();
    const q = req.query;
    const name = q.get('name');
    const hits = [...st.volumes.values()]
      .filter((v) => v.zone === req.params.zone && (!name || v.name.includes(name)) && hasTags(v.tags, q) && (!q.get('project_id') || v.project === q.get('project_id')))
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
    return modernPage('volumes', hits, q, (v) => renderVolume(st, v));
  });
  router.on('POST', `${base}/volumes`, (req) => {
    const bad = zoneGuard(req);
    if (bad) return bad;
    const body = bodyOf(req.body);
    if (isResponse(body)) return body;
    if (typeof body.name !== 'string' || !body.name) return invalidArguments('name', 'required');
    if (typeof body.project_id !== 'string' || !body.project_id) return invalidArguments('project_id', 'required');
    const size = (body.from_empty as { size?: unknown } | undefined)?.size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < MIN_SIZE) return invalidArguments('from_empty.size', `size in bytes, at least ${MIN_SIZE}`);
    const iops = body.perf_iops === undefined || body.perf_iops === null ? 5000 : body.perf_iops;
    if (iops !== 5000 && iops !== 15000) return invalidArguments('perf_iops', '5000 or 15000');
    const now = st.now();
    const v: BlockVolumeRec = { id: st.uuid(), zone: req.params.zone!, name: body.name, project: body.project_id, size, iops, tags: Array.isArray(body.tags) ? (body.tags as string[]) : [], serverId: null, parentSnapshotId: null, createdAt: now, updatedAt: now };
    st.volumes.set(v.id, v);
    return { status: 200, body: renderVolume(st, v) };
  });
  router.on('GET', `${base}/volumes/:id`, (req) => withVolume(req, (v) => ({ status: 200, body: renderVolume(st, v) })));
  router.on('DELETE', `${base}/volumes/:id`, (req) =>
    withVolume(req, (v) => {
      if (v.serverId) return preconditionFailed('resource_still_in_use', 'detach the volume from its server first');
      st.volumes.delete(v.id);
      return { status: 204 };
    }),
  );
  router.on('GET', `${base}/snapshots`, (req) => {
    const bad = zoneGuard(req);
    if (bad) return bad;
    const hits = [...st.snapshots.values()].filter((s) => s.zone === req.params.zone).sort((a, b) => a.createdAt - b.createdAt);
    return modernPage('snapshots', hits, req.query, (s) => renderSnapshot(st, s));
  });
  const withSnapshot = (req: EmuRequest, then: (s: BlockSnapshotRec) => EmuResponse): EmuResponse => {
    const bad = zoneGuard(req) ?? badId('snapshot_id', req.params.id!);
    if (bad) return bad;
    const s = st.snapshots.get(req.params.id!);
    return s && s.zone === req.params.zone ? then(s) : notFound('snapshot', req.params.id!);
  };
  router.on('GET', `${base}/snapshots/:id`, (req) => withSnapshot(req, (s) => ({ status: 200, body: renderSnapshot(st, s) })));
  router.on('DELETE', `${base}/snapshots/:id`, (req) =>
    withSnapshot(req, (s) => {
      if ([...st.images.values()].some((i) => i.rootSnapshotId === s.id)) return preconditionFailed('resource_still_in_use', 'the snapshot backs an image; delete the image first');
      st.snapshots.delete(s.id);
      return { status: 204 };
    }),
  );
}
