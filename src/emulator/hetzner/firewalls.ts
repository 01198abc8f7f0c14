/** /firewalls: rules are given at creation; a firewall still applied somewhere cannot be deleted. */
import { sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { parseCidr } from './cidr.js';
import { invalidInput, notFound, uniqueness } from './errors.js';
import { invalidLabel } from './labels.js';
import { paginate } from './paginate.js';
import { bodyObject, byId, filterByNameAndLabels, idParam, isResponse, validName } from './request.js';
import type { FirewallRec, FirewallRule, HetznerState, Labels } from './state.js';
import { renderFirewall } from './wire.js';

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'esp', 'gre']);
const PORT = /^(\d{1,5})(-(\d{1,5}))?$|^any$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/\d{1,3}$/;

function validIps(ips: unknown): ips is string[] {
  return Array.isArray(ips) && ips.every((ip) => typeof ip === 'string' && (parseCidr(ip) !== undefined || IPV6_CIDR.test(ip)));
}

function parseRule(r: Record<string, unknown>, i: number): FirewallRule | EmuResponse {
  const f = (name: string) => `rules[${i}].${name}`;
  if (r.direction !== 'in' && r.direction !== 'out') return invalidInput(f('direction'), 'must be in or out');
  if (typeof r.protocol !== 'string' || !PROTOCOLS.has(r.protocol)) return invalidInput(f('protocol'), 'must be tcp, udp, icmp, esp or gre');
  const needsPort = r.protocol === 'tcp' || r.protocol === 'udp';
  if (needsPort && (typeof r.port !== 'string' || !PORT.test(r.port))) return invalidInput(f('port'), 'is required for tcp and udp: a port, a range or "any"');
  if (!needsPort && r.port !== undefined && r.port !== null) return invalidInput(f('port'), `is not allowed for ${r.protocol}`);
  const source = r.source_ips ?? [];
  const destination = r.destination_ips ?? [];
  if (!validIps(source)) return invalidInput(f('source_ips'), 'must be a list of CIDRs');
  if (!validIps(destination)) return invalidInput(f('destination_ips'), 'must be a list of CIDRs');
  if (r.direction === 'in' && source.length === 0) return invalidInput(f('source_ips'), 'is required for in rules');
  if (r.direction === 'out' && destination.length === 0) return invalidInput(f('destination_ips'), 'is required for out rules');
  return {
    direction: r.direction,
    protocol: r.protocol,
    port: needsPort ? (r.port as string) : null,
    source_ips: source,
    destination_ips: destination,
    description: typeof r.description === 'string' ? r.description : null,
  };
}

function createFirewall(st: HetznerState, req: EmuRequest): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  if (!validName(body.name)) return invalidInput('name', 'is invalid');
  if ([...st.firewalls.values()].some((f) => f.name === body.name)) return uniqueness('name');
  const badLabel = invalidLabel(body.labels);
  if (badLabel) return invalidInput('labels', badLabel);
  if (body.apply_to !== undefined && (!Array.isArray(body.apply_to) || body.apply_to.length > 0)) {
    return invalidInput('apply_to', 'applying at creation is not emulated; create, then apply');
  }
  const rules: FirewallRule[] = [];
  for (const [i, r] of ((body.rules as Record<string, unknown>[] | undefined) ?? []).entries()) {
    const rule = parseRule(r ?? {}, i);
    if (isResponse(rule)) return rule;
    rules.push(rule);
  }
  const rec: FirewallRec = { id: st.nextId('firewall'), name: body.name, rules, labels: { ...((body.labels as Labels | undefined) ?? {}) }, createdAt: st.now() };
  st.firewalls.set(rec.id, rec);
  return { status: 201, body: { firewall: renderFirewall(st, rec), actions: [] } };
}

export function registerFirewalls(router: Router, st: HetznerState): void {
  router.on('GET', '/v1/firewalls', (req) => {
    const filtered = filterByNameAndLabels(sortedValues(st.firewalls, byId), req.query);
    return isResponse(filtered) ? filtered : paginate('firewalls', filtered, req.query, (f) => renderFirewall(st, f));
  });
  router.on('POST', '/v1/firewalls', (req) => createFirewall(st, req));
  router.on('GET', '/v1/firewalls/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    const f = st.firewalls.get(id);
    return f ? { status: 200, body: { firewall: renderFirewall(st, f) } } : notFound(`firewall with ID ${id}`);
  });
  router.on('DELETE', '/v1/firewalls/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    return st.firewalls.delete(id) ? { status: 204 } : notFound(`firewall with ID ${id}`);
  });
}
