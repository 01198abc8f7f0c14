/** Droplet actions (snapshot, power, rename, resize, rebuild, enable_ipv6, password_reset) that run for actionMs of emulated time, and GET /v2/actions. */
import type { Router } from '../engine/types.js';
import { dropletById, findImage, notFound } from './droplets.js';
import { doError } from './errors.js';
import { paginate } from './paginate.js';
import { renderAction, sizeBySlug, sizeRegions, type DoState, type DropletRec } from './state.js';

const POWER_TYPES: Record<string, 'on' | 'off' | undefined> = {
  power_on: 'on',
  power_off: 'off',
  shutdown: 'off',
  reboot: 'on',
  power_cycle: 'on',
};

const NAME_RE = /^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$/;

/** Actions that change the droplet: the change, or the API's refusal text. Applied when the action completes. */
const CHANGES: Record<string, (state: DoState, d: DropletRec, body: Record<string, unknown>) => (() => void) | string> = {
  rename: (_s, d, b) => {
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) return 'Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)';
    const name = b.name;
    return () => void (d.name = name);
  },
  resize: (_s, d, b) => {
    const size = typeof b.size === 'string' ? sizeBySlug(b.size) : undefined;
    if (!size) return 'You specified an invalid size for Droplet resize.';
    if (!sizeRegions(size).includes(d.region)) return 'Size is not available in this region.';
    if (d.power !== 'off') return 'Droplet is currently on. Please power it off to run this event.';
    return () => void (d.size = size.slug);
  },
  rebuild: (state, d, b) => {
    const image = findImage(state, b.image);
    if (!image) return 'You specified an invalid image for Droplet rebuild.';
    return () => {
      d.imageId = image.id;
      d.power = 'on';
    };
  },
  enable_ipv6: (_s, d) => () => void (d.ipv6 = true),
  // The new root password goes out by email; nothing in the API changes.
  password_reset: () => () => undefined,
};

/** The droplet action types this emulator runs. */
export const DROPLET_ACTIONS = ['snapshot', ...Object.keys(POWER_TYPES), ...Object.keys(CHANGES)];

export function registerActions(router: Router, state: DoState): void {
  const { ctx } = state;

  router.on('POST', '/v2/droplets/:id/actions', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    if (!d) return notFound(state);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const type = body.type;
    const known = type === 'snapshot' || (typeof type === 'string' && (type in POWER_TYPES || type in CHANGES));
    if (!known) {
      return doError(ctx.random, 422, 'unprocessable_entity', `ferry emulator: droplet action type ${JSON.stringify(type)} is not emulated (emulated: ${DROPLET_ACTIONS.join(', ')})`);
    }
    if (state.locked(d)) return doError(ctx.random, 422, 'unprocessable_entity', 'Droplet already has a pending event.');
    let effect: () => void;
    if (type === 'snapshot') effect = snapshotEffect(state, d, body.name);
    else if (type in POWER_TYPES) effect = powerEffect(d, POWER_TYPES[type]!);
    else {
      const change = CHANGES[type as string]!(state, d, body);
      if (typeof change === 'string') return doError(ctx.random, 422, 'unprocessable_entity', change);
      effect = change;
    }
    const action = state.startAction(type as string, d, ctx.config.actionMs, effect);
    return { status: 201, body: { action: renderAction(state, action) } };
  });

  router.on('GET', '/v2/droplets/:id/actions', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    if (!d) return notFound(state);
    const list = state.actionsOf(d.id);
    return paginate(req, 'actions', list, (a) => renderAction(state, a));
  });

  router.on('GET', '/v2/droplets/:id/actions/:action_id', (req) => {
    state.settle();
    const a = state.actions.get(Number(req.params.action_id));
    return a && String(a.dropletId) === req.params.id ? { status: 200, body: { action: renderAction(state, a) } } : notFound(state);
  });

  router.on('GET', '/v2/actions', (req) => {
    state.settle();
    return paginate(req, 'actions', [...state.actions.values()], (a) => renderAction(state, a));
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
