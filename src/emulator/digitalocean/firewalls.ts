/**
 * Cloud firewalls: /v2/firewalls create, list, get and delete. Rules are checked for the shape
 * the API demands and answered as sent ("all" ports read back as "0", as the API reports them).
 */
import type { Router } from '../engine/types.js';
import { notFound } from './droplets.js';
import { doError } from './errors.js';
import { uuid } from './ids.js';
import { paginate } from './paginate.js';
import type { DoState, FirewallRec } from './state.js';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9.-]+$/;
const PORTS_RE = /^(\d{1,5}(-\d{1,5})?|all)$/;
const PEER_KEYS = ['addresses', 'droplet_ids', 'load_balancer_uids', 'kubernetes_ids', 'tags'];

export function renderFirewall(state: DoState, f: FirewallRec): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    status: 'succeeded',
    created_at: state.ctx.clock.iso(f.createdAt),
    pending_changes: [],
    droplet_ids: f.dropletIds,
    tags: f.tags,
    inbound_rules: f.inbound,
    outbound_rules: f.outbound,
  };
}

/** A rule as the API keeps it, or why it is refused. */
function checkRule(rule: unknown, peers: 'sources' | 'destinations'): Record<string, unknown> | string {
  if (!rule || typeof rule !== 'object') return 'each rule must be an object';
  const r = rule as Record<string, unknown>;
  if (r.protocol !== 'tcp' && r.protocol !== 'udp' && r.protocol !== 'icmp') return 'protocol must be tcp, udp or icmp';
  const ports = r.protocol === 'icmp' ? '0' : r.ports;
  if (typeof ports !== 'string' || !PORTS_RE.test(ports)) return `invalid ports ${JSON.stringify(r.ports)}`;
  const p = r[peers];
  if (!p || typeof p !== 'object' || !PEER_KEYS.some((k) => Array.isArray((p as Record<string, unknown>)[k]) && ((p as Record<string, unknown[]>)[k]!).length > 0)) {
    return `each rule needs ${peers}`;
  }
  return { protocol: r.protocol, ports: ports === 'all' ? '0' : ports, [peers]: p };
}

export function registerFirewalls(router: Router, state: DoState): void {
  const { ctx } = state;
  const invalid = (message: string) => doError(ctx.random, 422, 'unprocessable_entity', message);

  router.on('POST', '/v2/firewalls', (req) => {
    state.settle();
    const b = req.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) return doError(ctx.random, 400, 'bad_request', 'error parsing request body');
    if (typeof b.name !== 'string' || !NAME_RE.test(b.name)) return invalid('name must contain only letters, numbers, "." and "-"');
    if (b.inbound_rules === undefined && b.outbound_rules === undefined) return invalid('a firewall needs inbound_rules or outbound_rules');
    const rules: Record<string, unknown>[][] = [];
    for (const [key, peers] of [['inbound_rules', 'sources'], ['outbound_rules', 'destinations']] as const) {
      const list: unknown = b[key] ?? [];
      if (!Array.isArray(list)) return invalid(`${key} must be an array`);
      const checked = list.map((r) => checkRule(r, peers));
      const bad = checked.find((r) => typeof r === 'string');
      if (typeof bad === 'string') return invalid(`${key}: ${bad}`);
      rules.push(checked as Record<string, unknown>[]);
    }
    const dropletIds: unknown[] = b.droplet_ids ?? [];
    if (!Array.isArray(dropletIds) || !dropletIds.every((id) => Number.isInteger(id) && state.droplets.has(id as number))) return invalid('invalid droplet_ids');
    const f: FirewallRec = {
      id: uuid(ctx.random),
      name: b.name,
      createdAt: ctx.clock.now(),
      inbound: rules[0]!,
      outbound: rules[1]!,
      dropletIds: dropletIds as number[],
      tags: Array.isArray(b.tags) ? b.tags.filter((t: unknown): t is string => typeof t === 'string') : [],
    };
    state.firewalls.set(f.id, f);
    return { status: 202, body: { firewall: renderFirewall(state, f) } };
  });

  router.on('GET', '/v2/firewalls', (req) => {
    state.settle();
    return paginate(req, 'firewalls', [...state.firewalls.values()], (f) => renderFirewall(state, f));
  });

  router.on('GET', '/v2/firewalls/:id', (req) => {
    state.settle();
    const f = state.firewalls.get(req.params.id ?? '');
    return f ? { status: 200, body: { firewall: renderFirewall(state, f) } } : notFound(state);
  });

  router.on('DELETE', '/v2/firewalls/:id', (req) => {
    state.settle();
    const f = state.firewalls.get(req.params.id ?? '');
    if (!f) return notFound(state);
    state.firewalls.delete(f.id);
    return { status: 204 };
  });
}
