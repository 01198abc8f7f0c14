/** Droplet actions (snapshot, power) that run for actionMs of emulated time, and GET /v2/actions. */
import type { Router } from '../engine/types.js';
import { dropletById, notFound } from './droplets.js';
import { doError } from './errors.js';
import { paginate } from './paginate.js';
import { renderAction, sizeBySlug, type DoState, type DropletRec } from './state.js';

const POWER_TYPES: Record<string, 'on' | 'off' | undefined> = {
  power_on: 'on',
  power_off: 'off',
  shutdown: 'off',
  reboot: 'on',
  power_cycle: 'on',
};

export function registerActions(router: Router, state: DoState): void {
  const { ctx } = state;

  router.on('POST', '/v2/droplets/:id/actions', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    if (!d) return notFound(state);
    const type = req.body?.type;
    if (type !== 'snapshot' && !(typeof type === 'string' && type in POWER_TYPES)) {
      return doError(ctx.random, 422, 'unprocessable_entity', `ferry emulator: droplet action type ${JSON.stringify(type)} is not emulated`);
    }
    if (state.locked(d)) return doError(ctx.random, 422, 'unprocessable_entity', 'Droplet already has a pending event.');
    const effect = type === 'snapshot' ? snapshotEffect(state, d, req.body?.name) : powerEffect(d, POWER_TYPES[type]!);
    const action = state.startAction(type, d, ctx.config.actionMs, effect);
    return { status: 201, body: { action: renderAction(state, action) } };
  });

  router.on('GET', '/v2/droplets/:id/actions', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    if (!d) return notFound(state);
    const list = [...state.actions.values()].filter((a) => a.dropletId === d.id);
    return paginate(req, 'actions', list.map((a) => renderAction(state, a)));
  });

  router.on('GET', '/v2/droplets/:id/actions/:action_id', (req) => {
    state.settle();
    const a = state.actions.get(Number(req.params.action_id));
    return a && String(a.dropletId) === req.params.id ? { status: 200, body: { action: renderAction(state, a) } } : notFound(state);
  });

  router.on('GET', '/v2/actions', (req) => {
    state.settle();
    return paginate(req, 'actions', [...state.actions.values()].map((a) => renderAction(state, a)));
  });

  router.on('GET', '/v2/actions/:id', (req) => {
    state.settle();
    const a = /^\d+$/.test(req.params.id ?? '') ? state.actions.get(Number(req.params.id)) : undefined;
    return a ? { status: 200, body: { action: renderAction(state, a) } } : notFound(state);
  });
}

function powerEffect(d: DropletRec, to: 'on' | 'off'): () => void {
  return () => {
    d.power = to;
  };
}

/** The snapshot image appears when the action completes, as on the real API. */
function snapshotEffect(state: DoState, d: DropletRec, name: unknown): () => void {
  const { ctx } = state;
  const label = typeof name === 'string' && name ? name : `${d.name}-${ctx.clock.now()}`;
  return () => {
    if (!state.droplets.has(d.id)) return;
    const id = state.id();
    const size = sizeBySlug(d.size)!;
    state.images.set(id, {
      id,
      slug: null,
      name: label,
      distribution: state.images.get(d.imageId)?.distribution ?? 'Unknown',
      type: 'snapshot',
      regions: [d.region],
      createdAt: ctx.clock.now(),
      minDisk: size.disk,
      sizeGb: Math.round((1 + ctx.random() * 3) * 100) / 100,
      dropletId: d.id,
    });
    d.snapshotIds.push(id);
  };
}
