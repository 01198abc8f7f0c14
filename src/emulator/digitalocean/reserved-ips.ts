/**
 * Reserved IPs (/v2/reserved_ips) and their older name, Floating IPs (/v2/floating_ips), which the
 * spec still documents: create (reserved to a region, or assigned to a droplet through an
 * assign_ip action), list, get, delete, and the assign/unassign actions, which run for actionMs of
 * emulated time. A reserved IP belongs to one region and points at one droplet at most; a droplet
 * has one at most; destroying the droplet unassigns it. As in the spec, a droplet's
 * networks.v4 does not list its reserved IP.
 */
import type { EmuRequest, EmuResponse, Router } from '../engine/types.js';
import { dropletById, notFound, withoutNulls } from './droplets.js';
import { doError } from './errors.js';
import { uuid } from './ids.js';
import { paginate } from './paginate.js';
import { SEED_ACCOUNT, SEED_REGIONS } from './seed.js';
import { renderAction, renderDroplet, renderRegion, type ActionRec, type DoState, type DropletRec, type ReservedIpRec } from './state.js';

/** The two names of one product: paths, body keys and the actions' resource_type differ, nothing else. */
const FLAVOURS = [
  { path: '/v2/reserved_ips', one: 'reserved_ip', many: 'reserved_ips' },
  { path: '/v2/floating_ips', one: 'floating_ip', many: 'floating_ips' },
] as const;

const refused = (x: ActionRec | EmuResponse): x is EmuResponse => 'status' in x;

/** Actions name the address by its integer value (45.55.96.47 → 758603823). */
function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function registerReservedIps(router: Router, state: DoState): void {
  const { ctx } = state;
  const invalid = (message: string) => doError(ctx.random, 422, 'unprocessable_entity', message);
  let projectId: string | undefined;
  const ipActions = (r: ReservedIpRec) => [...state.actions.values()].filter((a) => a.resource?.id === ipNumber(r.ip));
  const locked = (r: ReservedIpRec) => state.resourceBusy(ipNumber(r.ip));

  const render = (r: ReservedIpRec) => {
    const d = r.dropletId === null ? undefined : state.droplets.get(r.dropletId);
    return { ip: r.ip, region: renderRegion(r.region), droplet: d ? renderDroplet(state, d) : null, locked: locked(r), project_id: r.projectId };
  };

  /** An unused public address (198.51.x.y: droplets' own addresses are 203.0.x.y). */
  const allocate = (): string => {
    for (;;) {
      const ip = `198.51.${Math.floor(ctx.random() * 256)}.${Math.floor(ctx.random() * 254) + 1}`;
      if (!state.reservedIps.has(ip)) return ip;
    }
  };

  const link = (req: EmuRequest, kind: 'droplets' | 'actions', id: number, rel: string) => ({ id, rel, href: `http://${req.headers.host ?? '127.0.0.1'}/v2/${kind}/${id}` });

  /** The assign action, or the API's refusal. */
  const assign = (r: ReservedIpRec, d: DropletRec | undefined, resourceType: string): ActionRec | EmuResponse => {
    if (!d) return notFound(state);
    if (d.region !== r.region) return invalid(`the reserved IP is in ${r.region} and the Droplet in ${d.region}: they must be in the same region`);
    if ([...state.reservedIps.values()].some((x) => x !== r && x.dropletId === d.id)) return invalid('the Droplet already has a reserved IP assigned');
    return state.startResourceAction('assign_ip', r.region, { type: resourceType, id: ipNumber(r.ip) }, ctx.config.actionMs, () => {
      // Assigning moves the address from whichever droplet held it; a droplet gone meanwhile gets nothing.
      if (state.droplets.has(d.id) && state.reservedIps.get(r.ip) === r) r.dropletId = d.id;
    });
  };

  for (const f of FLAVOURS) {
    const byIp = (req: EmuRequest) => state.reservedIps.get(req.params.ip ?? '');

    router.on('GET', f.path, (req) => {
      state.settle();
      return paginate(req, f.many, [...state.reservedIps.values()], render);
    });

    router.on('POST', f.path, (req) => {
      state.settle();
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return doError(ctx.random, 400, 'bad_request', 'error parsing request body');
      const b = withoutNulls(req.body as Record<string, unknown>);
      if (b.droplet_id === undefined && b.region === undefined) return invalid('droplet_id or region is required');
      if (b.droplet_id !== undefined && !Number.isInteger(b.droplet_id)) return invalid('droplet_id must be an integer');
      const d = b.droplet_id === undefined ? undefined : dropletById(state, String(b.droplet_id));
      if (b.droplet_id !== undefined && !d) return notFound(state);
      // With both, the droplet wins (its region is the address's).
      const region = d ? d.region : b.region;
      if (typeof region !== 'string' || !SEED_REGIONS.some((x) => x.slug === region)) return invalid('invalid region');
      if (state.reservedIps.size >= SEED_ACCOUNT.floating_ip_limit) return invalid(`creating this reserved IP would exceed your limit of ${SEED_ACCOUNT.floating_ip_limit}`);
      projectId ??= uuid(ctx.random);
      const r: ReservedIpRec = { ip: allocate(), region, dropletId: null, projectId };
      const action = d && assign(r, d, f.one);
      if (action && refused(action)) return action;
      state.reservedIps.set(r.ip, r);
      const links = d && action ? { droplets: [link(req, 'droplets', d.id, 'droplet')], actions: [link(req, 'actions', action.id, 'assign_ip')] } : {};
      return { status: 202, body: { [f.one]: render(r), links } };
    });

    router.on('GET', `${f.path}/:ip`, (req) => {
      state.settle();
      const r = byIp(req);
      return r ? { status: 200, body: { [f.one]: render(r) } } : notFound(state);
    });

    router.on('DELETE', `${f.path}/:ip`, (req) => {
      state.settle();
      const r = byIp(req);
      if (!r) return notFound(state);
      // Deleting an assigned address releases it: no unassign needed first.
      state.reservedIps.delete(r.ip);
      return { status: 204 };
    });

    router.on('POST', `${f.path}/:ip/actions`, (req) => {
      state.settle();
      const r = byIp(req);
      if (!r) return notFound(state);
      const b = withoutNulls((req.body ?? {}) as Record<string, unknown>);
      if (b.type !== 'assign' && b.type !== 'unassign') return invalid('type must be assign or unassign');
      if (locked(r)) return invalid('the reserved IP already has a pending event');
      let started: ActionRec | EmuResponse;
      if (b.type === 'assign') {
        if (!Number.isInteger(b.droplet_id)) return invalid('droplet_id is required to assign a reserved IP');
        started = assign(r, dropletById(state, String(b.droplet_id)), f.one);
      } else {
        if (r.dropletId === null) return invalid('the reserved IP is not assigned to a Droplet');
        started = state.startResourceAction('unassign_ip', r.region, { type: f.one, id: ipNumber(r.ip) }, ctx.config.actionMs, () => {
          r.dropletId = null;
        });
      }
      return refused(started) ? started : { status: 201, body: { action: renderAction(state, started) } };
    });

    router.on('GET', `${f.path}/:ip/actions`, (req) => {
      state.settle();
      const r = byIp(req);
      if (!r) return notFound(state);
      return paginate(req, 'actions', ipActions(r), (a) => renderAction(state, a));
    });

    router.on('GET', `${f.path}/:ip/actions/:action_id`, (req) => {
      state.settle();
      const r = byIp(req);
      const a = r && ipActions(r).find((x) => String(x.id) === req.params.action_id);
      return a ? { status: 200, body: { action: renderAction(state, a) } } : notFound(state);
    });
  }
}
