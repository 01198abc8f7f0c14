/** VPC v2 private networks (regional): a default VPC per region, one subnet each, delete refused while NICs use it. */
import { compareIds, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { REGIONS } from './catalog.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound, preconditionFailed } from './errors.js';
import { hasTags, modernPage } from './paginate.js';
import type { PrivateNetworkRec, ScalewayState } from './state.js';

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function render(st: ScalewayState, pn: PrivateNetworkRec) {
  return {
    id: pn.id,
    name: pn.name,
    organization_id: pn.project,
    project_id: pn.project,
    region: pn.region,
    tags: [...pn.tags],
    created_at: st.iso(pn.createdAt),
    updated_at: st.iso(pn.createdAt),
    subnets: pn.subnets.map((s) => ({ id: s.id, created_at: st.iso(s.createdAt), updated_at: st.iso(s.createdAt), subnet: s.subnet, project_id: pn.project, private_network_id: pn.id, vpc_id: pn.vpcId })),
    vpc_id: pn.vpcId,
    dhcp_enabled: true,
    default_route_propagation_enabled: false,
  };
}

export function registerVpc(router: Router, st: ScalewayState): void {
  const vpcs = new Map<string, string>();
  const base = '/vpc/v2/regions/:region/private-networks';
  const regionGuard = (req: EmuRequest) => (REGIONS.includes(req.params.region ?? '') ? undefined : invalidArguments('region', `unknown region; valid: ${REGIONS.join(', ')}`));
  const withPn = (req: EmuRequest, then: (pn: PrivateNetworkRec) => EmuResponse): EmuResponse => {
    const bad = regionGuard(req) ?? badId('private_network_id', req.params.id!);
    if (bad) return bad;
    const pn = st.privateNetworks.get(req.params.id!);
    return pn && pn.region === req.params.region ? then(pn) : notFound('private_network', req.params.id!);
  };
  router.on('GET', base, (req) => {
    const bad = regionGuard(req);
    if (bad) return bad;
    const q = req.query;
    const name = q.get('name');
    const hits = [...st.privateNetworks.values()]
      .filter((pn) => pn.region === req.params.region && (!name || pn.name.includes(name)) && hasTags(pn.tags, q) && (!q.get('project_id') || pn.project === q.get('project_id')))
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
    return modernPage('private_networks', hits, q, (pn) => render(st, pn));
  });
  router.on('POST', base, (req) => {
    const bad = regionGuard(req);
    if (bad) return bad;
    const body = bodyOf(req.body);
    if (isResponse(body)) return body;
    if (typeof body.name !== 'string' || !body.name) return invalidArguments('name', 'required');
    if (typeof body.project_id !== 'string' || !body.project_id) return invalidArguments('project_id', 'required');
    const subnets = Array.isArray(body.subnets) ? (body.subnets as unknown[]) : [];
    for (const s of subnets) if (typeof s !== 'string' || !CIDR.test(s)) return invalidArguments('subnets', 'each subnet is an IPv4 CIDR');
    const region = req.params.region!;
    let vpcId = typeof body.vpc_id === 'string' ? body.vpc_id : vpcs.get(region);
    if (!vpcId) vpcs.set(region, (vpcId = st.uuid()));
    const now = st.now();
    const chosen = subnets.length ? (subnets as string[]) : [`172.16.${(st.privateNetworks.size * 4) % 256}.0/22`];
    const pn: PrivateNetworkRec = { id: st.uuid(), region, name: body.name, project: body.project_id, tags: Array.isArray(body.tags) ? (body.tags as string[]) : [], subnets: chosen.map((subnet) => ({ id: st.uuid(), subnet, createdAt: now })), vpcId, createdAt: now };
    st.privateNetworks.set(pn.id, pn);
    return { status: 200, body: render(st, pn) };
  });
  router.on('GET', `${base}/:id`, (req) => withPn(req, (pn) => ({ status: 200, body: render(st, pn) })));
  router.on('DELETE', `${base}/:id`, (req) =>
    withPn(req, (pn) => {
      if ([...st.nics.values()].some((n) => n.privateNetworkId === pn.id)) return preconditionFailed('resource_still_in_use', 'detach the resources attached to the private network first');
      st.privateNetworks.delete(pn.id);
      return { status: 204 };
    }),
  );
}
