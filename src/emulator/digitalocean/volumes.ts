/**
 * Block storage: /v2/volumes (create, blank or from a volume snapshot; list filtered by name and region, get, delete by id or by name and region) and
 * /v2/volumes/{id}/actions and /v2/volumes/actions (by name) attach, detach and resize, which run for actionMs of emulated time and are
 * read back at /v2/actions/{id} and /v2/volumes/{id}/actions. A volume belongs to one region and one droplet at most.
 */
import type { Router } from '../engine/types.js';
import { dropletById, notFound, withoutNulls } from './droplets.js';
import { doError } from './errors.js';
import { uuid } from './ids.js';
import { paginate } from './paginate.js';
import { SEED_REGIONS } from './seed.js';
import { renderAction, renderRegion, type DoState, type VolumeRec } from './state.js';
import { refuseSnapshotSource } from './volume-snapshots.js';

const NAME_RE = /^[a-z][a-z0-9-]{0,63}$/;
const TAG_RE = /^[a-zA-Z0-9_\-:]+$/;
const MAX_SIZE_GB = 16_384;
/** DigitalOcean's limit of volumes attached to one droplet. */
const MAX_PER_DROPLET = 7;

export function renderVolume(state: DoState, v: VolumeRec): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    size_gigabytes: v.sizeGb,
    description: v.description,
    region: renderRegion(v.region),
    droplet_ids: v.dropletId === null ? [] : [v.dropletId],
    created_at: state.ctx.clock.iso(v.createdAt),
    tags: v.tags,
    filesystem_type: v.filesystemType,
    filesystem_label: '',
  };
}

export function registerVolumes(router: Router, state: DoState): void {
  const { ctx } = state;
  const invalid = (message: string) => doError(ctx.random, 422, 'unprocessable_entity', message);
  const byId = (raw: string | undefined) => (raw ? state.volumes.get(raw) : undefined);
  const busy = (v: VolumeRec) => state.volumeBusy(v.id);

  router.on('POST', '/v2/volumes', (req) => {
    state.settle();
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return doError(ctx.random, 400, 'bad_request', 'error parsing request body');
    const b = withoutNulls(req.body as Record<string, unknown>) as Record<string, any>;
    if (b.description !== undefined && typeof b.description !== 'string') return invalid('description must be a string');
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) {
      return invalid('name must be lowercase, begin with a letter, and contain only letters, numbers and "-" (64 at most)');
    }
    if (!Number.isInteger(b.size_gigabytes) || b.size_gigabytes < 1 || b.size_gigabytes > MAX_SIZE_GB) return invalid('size_gigabytes must be between 1 and 16384');
    if (typeof b.region !== 'string' || !SEED_REGIONS.some((r) => r.slug === b.region)) return invalid('invalid region');
    const refused = b.snapshot_id === undefined ? undefined : refuseSnapshotSource(state, b.snapshot_id, b.region, b.size_gigabytes);
    if (refused) return refused;
    const fs = b.filesystem_type ?? '';
    if (!['', 'ext4', 'xfs'].includes(fs)) return invalid('filesystem_type must be ext4 or xfs');
    const tags: unknown[] = b.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length <= 255 && TAG_RE.test(t))) {
      return invalid('Tags may contain letters, numbers, colons, dashes, and underscores; there is a limit of 255 characters per tag.');
    }
    if ([...state.volumes.values()].some((v) => v.name === b.name && v.region === b.region)) {
      return doError(ctx.random, 409, 'conflict', `a volume named ${b.name} already exists in ${b.region}`);
    }
    const v: VolumeRec = {
      id: uuid(ctx.random),
      name: b.name,
      sizeGb: b.size_gigabytes,
      region: b.region,
      dropletId: null,
      tags: [...new Set(tags as string[])],
      filesystemType: fs,
      createdAt: ctx.clock.now(),
      description: (b.description as string | undefined) ?? '',
    };
    state.volumes.set(v.id, v);
    return { status: 201, body: { volume: renderVolume(state, v) } };
  });

  router.on('GET', '/v2/volumes', (req) => {
    state.settle();
    const name = req.query.get('name');
    const region = req.query.get('region');
    const list = [...state.volumes.values()].filter((v) => (!name || v.name === name) && (!region || v.region === region));
    return paginate(req, 'volumes', list, (v) => renderVolume(state, v));
  });

  router.on('GET', '/v2/volumes/:id', (req) => {
    state.settle();
    const v = byId(req.params.id);
    return v ? { status: 200, body: { volume: renderVolume(state, v) } } : notFound(state);
  });

  const remove = (v: VolumeRec | undefined) => {
    if (!v) return notFound(state);
    if (v.dropletId !== null || busy(v)) return doError(ctx.random, 409, 'conflict', 'the volume is attached to a Droplet; detach it before deleting it');
    state.volumes.delete(v.id);
    return { status: 204 };
  };

  router.on('DELETE', '/v2/volumes/:id', (req) => {
    state.settle();
    return remove(byId(req.params.id));
  });

  router.on('DELETE', '/v2/volumes', (req) => {
    state.settle();
    const name = req.query.get('name');
    const region = req.query.get('region');
    if (!name || !region) return doError(ctx.random, 400, 'bad_request', 'name and region are required to delete a volume by name');
    return remove([...state.volumes.values()].find((v) => v.name === name && v.region === region));
  });

  router.on('GET', '/v2/volumes/:id/actions', (req) => {
    state.settle();
    const v = byId(req.params.id);
    if (!v) return notFound(state);
    return paginate(req, 'actions', [...state.actions.values()].filter((a) => a.volumeId === v.id), (a) => renderAction(state, a));
  });

  router.on('GET', '/v2/volumes/:id/actions/:action_id', (req) => {
    state.settle();
    const a = state.actions.get(Number(req.params.action_id));
    return a && a.volumeId !== undefined && a.volumeId === req.params.id ? { status: 200, body: { action: renderAction(state, a) } } : notFound(state);
  });

  /** resize grows a volume, attached or not: an action on the volume alone, applied when it completes. */
  const resize = (v: VolumeRec, b: Record<string, any>) => {
    if (!Number.isInteger(b.size_gigabytes) || b.size_gigabytes > MAX_SIZE_GB) return invalid('size_gigabytes must be a whole number of GiB up to 16384');
    if (b.size_gigabytes <= v.sizeGb) return invalid(`a volume can only grow: size_gigabytes must be more than ${v.sizeGb}`);
    if (busy(v)) return invalid('the volume already has a pending event');
    const size: number = b.size_gigabytes;
    const action = state.startResourceAction('resize_volume', v.region, { type: 'volume', id: null }, ctx.config.actionMs, () => void (v.sizeGb = size), v.id);
    return { status: 202, body: { action: renderAction(state, action) } };
  };

  /** attach / detach / resize of one volume, by id or (attach / detach: POST /v2/volumes/actions) by name and region. */
  const act = (v: VolumeRec, b: Record<string, any>) => {
    if (b.type !== 'attach' && b.type !== 'detach' && b.type !== 'resize') return invalid(`type must be attach, detach or resize, not ${JSON.stringify(b.type)}`);
    if (b.region !== undefined && b.region !== v.region) return invalid('the region does not match the volume');
    if (b.type === 'resize') return resize(v, b);
    const d = Number.isInteger(b.droplet_id) ? dropletById(state, String(b.droplet_id)) : undefined;
    if (!d) return notFound(state);
    if (busy(v) || state.locked(d)) return invalid('Droplet already has a pending event.');
    let effect: () => void;
    if (b.type === 'attach') {
      if (d.region !== v.region) return invalid('the volume and the Droplet must be in the same region');
      if (v.dropletId !== null) return invalid('the volume is already attached to a Droplet');
      if ([...state.volumes.values()].filter((x) => x.dropletId === d.id).length >= MAX_PER_DROPLET) return invalid('the Droplet already has the maximum number of volumes attached');
      effect = () => {
        if (state.droplets.has(d.id)) v.dropletId = d.id;
      };
    } else {
      if (v.dropletId !== d.id) return invalid('the volume is not attached to this Droplet');
      effect = () => {
        v.dropletId = null;
      };
    }
    const action = state.startAction(`${b.type}_volume`, d, ctx.config.actionMs, effect, v.id);
    return { status: 202, body: { action: renderAction(state, action) } };
  };

  router.on('POST', '/v2/volumes/:id/actions', (req) => {
    state.settle();
    const v = byId(req.params.id);
    if (!v) return notFound(state);
    return act(v, withoutNulls((req.body ?? {}) as Record<string, unknown>));
  });

  router.on('POST', '/v2/volumes/actions', (req) => {
    state.settle();
    const b = withoutNulls((req.body ?? {}) as Record<string, unknown>) as Record<string, any>;
    if (typeof b.volume_name !== 'string' || typeof b.region !== 'string') return invalid('volume_name and region are required');
    // By name, the spec offers attach and detach only.
    if (b.type === 'resize') return invalid('resize a volume by its id: POST /v2/volumes/{volume_id}/actions');
    const v = [...state.volumes.values()].find((x) => x.name === b.volume_name && x.region === b.region);
    return v ? act(v, b) : notFound(state);
  });
}
