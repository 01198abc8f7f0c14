/** /firewalls: list by project, create with rules, get, delete (rules as the SDK's CreateFirewallRules). */
import type { Router } from '../engine/index.js';
import { attributesOf, invalid, isResponse, notFound } from './errors.js';
import type { LatitudeState } from './state.js';
import { paginate } from './wire.js';

interface Rule {
  from: string;
  to: string;
  protocol: string;
  port: string;
  description?: string;
}

interface FirewallRec {
  id: string;
  name: string;
  projectId: string;
  rules: Rule[];
}

const ADDRESS = /^(ANY|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?)$/;
const PORT = /^\d{1,5}(-\d{1,5})?$/;

function parseRules(v: unknown): Rule[] | string {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return 'must be a list';
  const out: Rule[] = [];
  for (const r of v as Record<string, unknown>[]) {
    const from = String(r?.from ?? 'ANY');
    const to = String(r?.to ?? 'ANY');
    const protocol = String(r?.protocol ?? 'TCP');
    const port = String(r?.port ?? '');
    if (!ADDRESS.test(from) || !ADDRESS.test(to)) return 'from and to are an address, a CIDR range or ANY';
    if (protocol !== 'TCP' && protocol !== 'UDP') return 'protocol is TCP or UDP';
    if (!PORT.test(port)) return 'port is a number or a range like 80-443';
    out.push({ from, to, protocol, port, ...(typeof r.description === 'string' ? { description: r.description } : {}) });
  }
  return out;
}

export function registerFirewalls(router: Router, st: LatitudeState): void {
  const firewalls = new Map<string, FirewallRec>();
  const render = (f: FirewallRec) => {
    const p = st.projects.get(f.projectId);
    return { id: f.id, type: 'firewalls', attributes: { name: f.name, rules: f.rules.map((r) => ({ ...r, default: false })), project: { id: f.projectId, slug: p?.slug ?? '', name: p?.name ?? '' } } };
  };
  router.on('GET', '/firewalls', (req) =>
    paginate([...firewalls.values()].filter((f) => !req.query.get('filter[project]') || f.projectId === req.query.get('filter[project]')), req, render),
  );
  router.on('POST', '/firewalls', (req) => {
    const a = attributesOf(req.body, 'firewalls');
    if (isResponse(a)) return a;
    if (typeof a.name !== 'string' || !a.name) return invalid('name', 'is required');
    if (!st.projects.has(String(a.project))) return invalid('project', 'not found');
    const rules = parseRules(a.rules);
    if (typeof rules === 'string') return invalid('rules', rules);
    const f: FirewallRec = { id: st.newId('fw'), name: a.name, projectId: String(a.project), rules };
    firewalls.set(f.id, f);
    return { status: 201, body: { data: render(f) } };
  });
  router.on('GET', '/firewalls/:id', (req) => {
    const f = firewalls.get(req.params.id ?? '');
    return f ? { status: 200, body: { data: render(f) } } : notFound();
  });
  router.on('DELETE', '/firewalls/:id', (req) => (firewalls.delete(req.params.id ?? '') ? { status: 204 } : notFound()));
}
