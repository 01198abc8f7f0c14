/** Instance v1 security groups and their rules; each project has a default group per zone. */
import { compareIds, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { INSTANCE_ZONES } from './catalog.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound, preconditionFailed } from './errors.js';
import { hasTags, instancePage } from './paginate.js';
import { renderSecurityGroup } from './render.js';
import type { ScalewayState, SecurityGroupRec, SecurityGroupRule } from './state.js';

const POLICIES = ['accept', 'drop'];

export function defaultSecurityGroup(st: ScalewayState, zone: string, project: string): SecurityGroupRec {
  const found = [...st.securityGroups.values()].find((g) => g.zone === zone && g.project === project && g.projectDefault);
  if (found) return found;
  const g: SecurityGroupRec = {
    id: st.uuid(), zone, name: 'Default security group', description: 'Auto generated security group.', project, tags: [],
    stateful: true, inbound: 'accept', outbound: 'accept', projectDefault: true, rules: [], createdAt: st.now(),
  };
  st.securityGroups.set(g.id, g);
  return g;
}

function renderRule(r: SecurityGroupRule) {
  return { ...r };
}

function create(st: ScalewayState, req: EmuRequest): EmuResponse {
  const body = bodyOf(req.body);
  if (isResponse(body)) return body;
  if (typeof body.name !== 'string' || !body.name) return invalidArguments('name', 'required');
  const project = (body.project ?? body.organization) as unknown;
  if (typeof project !== 'string' || !project) return invalidArguments('project', 'required');
  for (const f of ['inbound_default_policy', 'outbound_default_policy']) {
    if (body[f] !== undefined && !POLICIES.includes(body[f] as string)) return invalidArguments(f, 'accept or drop');
  }
  const g: SecurityGroupRec = {
    id: st.uuid(),
    zone: req.params.zone!,
    name: body.name,
    description: typeof body.description === 'string' ? body.description : '',
    project,
    tags: Array.isArray(body.tags) ? (body.tags as string[]) : [],
    stateful: body.stateful !== false,
    inbound: (body.inbound_default_policy as string | undefined) ?? 'accept',
    outbound: (body.outbound_default_policy as string | undefined) ?? 'accept',
    projectDefault: false,
    rules: [],
    createdAt: st.now(),
  };
  st.securityGroups.set(g.id, g);
  return { status: 201, body: { security_group: renderSecurityGroup(st, g) } };
}

function addRule(st: ScalewayState, req: EmuRequest, g: SecurityGroupRec): EmuResponse {
  const body = bodyOf(req.body);
  if (isResponse(body)) return body;
  if (!['TCP', 'UDP', 'ICMP', 'ANY'].includes(body.protocol as string)) return invalidArguments('protocol', 'TCP, UDP, ICMP or ANY');
  if (!['inbound', 'outbound'].includes(body.direction as string)) return invalidArguments('direction', 'inbound or outbound');
  if (!POLICIES.includes(body.action as string)) return invalidArguments('action', 'accept or drop');
  if (typeof body.ip_range !== 'string' || !/^[0-9a-f.:]+\/\d{1,3}$/i.test(body.ip_range)) return invalidArguments('ip_range', 'a CIDR');
  const port = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : null);
  const rule: SecurityGroupRule = {
    id: st.uuid(), protocol: body.protocol as string, direction: body.direction as string, action: body.action as string, ip_range: body.ip_range,
    dest_port_from: port(body.dest_port_from), dest_port_to: port(body.dest_port_to), position: g.rules.length + 1, editable: true, zone: g.zone,
  };
  g.rules.push(rule);
  return { status: 201, body: { rule: renderRule(rule) } };
}

export function registerSecurityGroups(router: Router, st: ScalewayState): void {
  const base = '/instance/v1/zones/:zone/security_groups';
  const zoneGuard = (req: EmuRequest) => (INSTANCE_ZONES.includes(req.params.zone ?? '') ? undefined : invalidArguments('zone', `unknown zone; valid: ${INSTANCE_ZONES.join(', ')}`));
  const withGroup = (req: EmuRequest, then: (g: SecurityGroupRec) => EmuResponse): EmuResponse => {
    const bad = zoneGuard(req) ?? badId('security_group_id', req.params.id!);
    if (bad) return bad;
    const g = st.securityGroups.get(req.params.id!);
    return g && g.zone === req.params.zone ? then(g) : notFound('instance_security_group', req.params.id!);
  };
  router.on('GET', base, (req) => {
    const bad = zoneGuard(req);
    if (bad) return bad;
    const q = req.query;
    const name = q.get('name');
    const hits = [...st.securityGroups.values()]
      .filter((g) => g.zone === req.params.zone && (!name || g.name.includes(name)) && hasTags(g.tags, q) && (!q.get('project') || g.project === q.get('project')))
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
    return instancePage('security_groups', hits, q, (g) => renderSecurityGroup(st, g));
  });
  router.on('POST', base, (req) => zoneGuard(req) ?? create(st, req));
  router.on('GET', `${base}/:id`, (req) => withGroup(req, (g) => ({ status: 200, body: { security_group: renderSecurityGroup(st, g) } })));
  router.on('DELETE', `${base}/:id`, (req) =>
    withGroup(req, (g) => {
      if ([...st.servers.values()].some((s) => s.securityGroupId === g.id)) return preconditionFailed('resource_still_in_use', 'detach the security group from its servers first');
      if (g.projectDefault) return preconditionFailed('resource_still_in_use', 'the project default security group cannot be deleted');
      st.securityGroups.delete(g.id);
      return { status: 204 };
    }),
  );
  router.on('GET', `${base}/:id/rules`, (req) => withGroup(req, (g) => instancePage('rules', g.rules, req.query, renderRule)));
  router.on('POST', `${base}/:id/rules`, (req) => withGroup(req, (g) => addRule(st, req, g)));
}
