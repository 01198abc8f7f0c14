/** /networks: private networks with cloud subnets; names unique per project. */
import { sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { contains, formatCidr, formatIp, isPrivate, parseCidr } from './cidr.js';
import { invalidInput, notFound, uniqueness } from './errors.js';
import { invalidLabel } from './labels.js';
import { paginate } from './paginate.js';
import { bodyObject, byId, filterByNameAndLabels, idParam, isResponse, validName } from './request.js';
import { SEED_LOCATIONS } from './seed.js';
import type { HetznerState, Labels, NetworkRec } from './state.js';
import { renderNetwork } from './wire.js';

const ZONES = new Set(SEED_LOCATIONS.map((l) => l.network_zone));

function createNetwork(st: HetznerState, req: EmuRequest): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  if (!validName(body.name)) return invalidInput('name', 'is invalid');
  if ([...st.networks.values()].some((n) => n.name === body.name)) return uniqueness('name');
  const range = parseCidr(body.ip_range);
  if (!range || !isPrivate(range) || range.prefix > 24) return invalidInput('ip_range', 'must be a private (RFC 1918) range of /24 or larger');
  const badLabel = invalidLabel(body.labels);
  if (badLabel) return invalidInput('labels', badLabel);
  const subnets: NetworkRec['subnets'] = [];
  const gateway = formatIp(range.base + 1);
  for (const [i, s] of ((body.subnets as Record<string, unknown>[] | undefined) ?? []).entries()) {
    if (!s || typeof s !== 'object') return invalidInput(`subnets[${i}]`, 'must be an object');
    if (s.type !== 'cloud' && s.type !== 'server' && s.type !== 'vswitch') return invalidInput(`subnets[${i}].type`, 'must be cloud, server or vswitch');
    if (typeof s.network_zone !== 'string' || !ZONES.has(s.network_zone)) return invalidInput(`subnets[${i}].network_zone`, `must be one of ${[...ZONES].join(', ')}`);
    const sub = s.ip_range === undefined ? { base: range.base + subnets.length * 256, prefix: 24 } : parseCidr(s.ip_range);
    if (!sub || !contains(range, sub)) return invalidInput(`subnets[${i}].ip_range`, 'must lie within the network ip_range');
    subnets.push({ type: s.type, ip_range: formatCidr(sub), network_zone: s.network_zone, gateway });
  }
  const rec: NetworkRec = {
    id: st.nextId('network'),
    name: body.name,
    ipRange: formatCidr(range),
    subnets,
    labels: { ...((body.labels as Labels | undefined) ?? {}) },
    createdAt: st.now(),
  };
  st.networks.set(rec.id, rec);
  return { status: 201, body: { network: renderNetwork(st, rec) } };
}

export function registerNetworks(router: Router, st: HetznerState): void {
  router.on('GET', '/v1/networks', (req) => {
    const filtered = filterByNameAndLabels(sortedValues(st.networks, byId), req.query);
    return isResponse(filtered) ? filtered : paginate('networks', filtered, req.query, (n) => renderNetwork(st, n));
  });
  router.on('POST', '/v1/networks', (req) => createNetwork(st, req));
  router.on('GET', '/v1/networks/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    const n = st.networks.get(id);
    return n ? { status: 200, body: { network: renderNetwork(st, n) } } : notFound(`network with ID ${id}`);
  });
  // "Attached resources will be detached automatically."
  router.on('DELETE', '/v1/networks/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    return st.networks.delete(id) ? { status: 204 } : notFound(`network with ID ${id}`);
  });
}
