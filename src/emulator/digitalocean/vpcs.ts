/**
 * VPCs: /v2/vpcs create, list, get and delete. Names are unique in the account; each region has
 * a default VPC (made when a droplet first needs it) that cannot be deleted, and a VPC with
 * droplets in it cannot be deleted either.
 */
import type { Router } from '../engine/types.js';
import { notFound } from './droplets.js';
import { doError } from './errors.js';
import { uuid } from './ids.js';
import { paginate } from './paginate.js';
import { SEED_REGIONS } from './seed.js';
import type { DoState, VpcRec } from './state.js';

const NAME_RE = /^[a-zA-Z0-9\-.]+$/;

export function renderVpc(state: DoState, v: VpcRec): Record<string, unknown> {
  return {
    id: v.id,
    urn: `do:vpc:${v.id}`,
    name: v.name,
    description: '',
    region: v.region,
    ip_range: v.ipRange,
    default: v.isDefault,
    created_at: state.ctx.clock.iso(v.createdAt),
  };
}

export function registerVpcs(router: Router, state: DoState): void {
  const { ctx } = state;
  const invalid = (message: string) => doError(ctx.random, 422, 'unprocessable_entity', message);

  router.on('POST', '/v2/vpcs', (req) => {
    state.settle();
    const b = req.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) return doError(ctx.random, 400, 'bad_request', 'error parsing request body');
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) return invalid('name may only contain alphanumeric characters, dashes, and periods');
    if (typeof b.region !== 'string' || !SEED_REGIONS.some((r) => r.slug === b.region)) return invalid('invalid region');
    if (b.ip_range !== undefined) return invalid('ferry emulator: a chosen ip_range is not emulated; leave it out');
    if ([...state.vpcs.values()].some((v) => v.name === b.name)) return doError(ctx.random, 409, 'conflict', `a VPC named ${b.name} already exists`);
    const id = uuid(ctx.random);
    const v: VpcRec = { id, name: b.name, region: b.region, ipRange: state.nextVpcRange(), isDefault: false, createdAt: ctx.clock.now() };
    state.vpcs.set(id, v);
    return { status: 201, body: { vpc: renderVpc(state, v) } };
  });

  router.on('GET', '/v2/vpcs', (req) => {
    state.settle();
    return paginate(req, 'vpcs', [...state.vpcs.values()], (v) => renderVpc(state, v));
  });

  router.on('GET', '/v2/vpcs/:id', (req) => {
    state.settle();
    const v = state.vpcs.get(req.params.id ?? '');
    return v ? { status: 200, body: { vpc: renderVpc(state, v) } } : notFound(state);
  });

  router.on('DELETE', '/v2/vpcs/:id', (req) => {
    state.settle();
    const v = state.vpcs.get(req.params.id ?? '');
    if (!v) return notFound(state);
    if (v.isDefault) return doError(ctx.random, 403, 'forbidden', 'a default VPC cannot be deleted');
    if ([...state.droplets.values()].some((d) => d.vpcUuid === v.id)) return doError(ctx.random, 409, 'conflict', 'the VPC still has members');
    state.vpcs.delete(v.id);
    return { status: 204 };
  });
}
