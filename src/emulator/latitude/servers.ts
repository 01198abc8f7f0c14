/** /servers: list with filters and pages, deploy (with stock), get, update (hostname, tags), delete, actions, reinstall, scheduled deletion. */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { attributesOf, invalid, isResponse, lsError, notFound } from './errors.js';
import { SEED_OPERATING_SYSTEMS, SEED_PLANS } from './seed.js';
import type { LatitudeState, ServerRec } from './state.js';
import { paginate, renderServer } from './wire.js';

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-.]{0,61}[a-zA-Z0-9])?$/;
const BILLINGS = ['hourly', 'monthly', 'yearly'];

function strList(v: unknown): string[] | null {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
}

function createServer(st: LatitudeState, req: EmuRequest): EmuResponse {
  const a = attributesOf(req.body, 'servers');
  if (isResponse(a)) return a;
  const project = [...st.projects.values()].find((p) => p.id === a.project || p.slug === a.project);
  if (!project) return invalid('project', 'not found');
  const plan = SEED_PLANS.find((p) => p.slug === a.plan || p.id === a.plan);
  if (!plan) return invalid('plan', 'is not a valid plan');
  const site = typeof a.site === 'string' ? a.site : '';
  const region = plan.regions.find((r) => r.available.includes(site));
  if (!region) return invalid('site', `is not available for plan ${plan.slug}`);
  const os = SEED_OPERATING_SYSTEMS.find((o) => o.slug === a.operating_system);
  if (!os) return invalid('operating_system', 'is not a valid operating system');
  if (os.slug === 'ipxe' && (typeof a.ipxe !== 'string' || !a.ipxe)) return invalid('ipxe', 'is required when operating_system is ipxe');
  if (typeof a.hostname !== 'string' || !HOSTNAME.test(a.hostname)) return invalid('hostname', 'is not a valid hostname');
  const billing = a.billing ?? 'hourly';
  if (typeof billing !== 'string' || !BILLINGS.includes(billing)) return invalid('billing', `must be one of ${BILLINGS.join(', ')}`);
  const keys = strList(a.ssh_keys);
  if (!keys || keys.some((k) => !st.sshKeys.has(k))) return invalid('ssh_keys', 'contains an unknown key');
  if (a.user_data !== undefined && a.user_data !== null && !(typeof a.user_data === 'string' && st.userData.has(a.user_data))) return invalid('user_data', 'not found');
  if (st.ctx.faults.quota(site, plan.slug)) return lsError(422, 'limit_reached', 'the team reached its limit of bare-metal servers');
  const stockKey = `${plan.slug}@${site}`;
  const left = st.stock.get(stockKey) ?? 0;
  if (left <= 0 || st.ctx.faults.capacity(site, plan.slug)) return lsError(422, 'out_of_stock', `${plan.name} is out of stock at ${site}`, '/data/attributes/site');
  st.stock.set(stockKey, left - 1);

  const now = st.now();
  const s: ServerRec = {
    id: st.newId('sv'),
    hostname: a.hostname,
    label: `21BS${String(Math.floor(st.ctx.random() * 1e6)).padStart(6, '0')}`,
    plan,
    site,
    os: os.slug,
    projectId: project.id,
    billing,
    tagIds: [],
    sshKeys: keys,
    userData: (a.user_data as string | undefined) ?? null,
    ipxe: (a.ipxe as string | undefined) ?? null,
    ipv4: st.nextIp(),
    createdAt: now,
    phases: st.deployPhases(now, region.deploysInstantly.includes(os.slug)),
    scheduledDeletionAt: null,
  };
  st.servers.set(s.id, s);
  return { status: 201, body: { data: renderServer(st, s), meta: {} } };
}

function listServers(st: LatitudeState, req: EmuRequest): EmuResponse {
  const q = req.query;
  const tags = (q.get('filter[tags]') ?? '').split(',').filter(Boolean);
  const matches = (s: ServerRec) =>
    (!q.get('filter[project]') || s.projectId === q.get('filter[project]') || st.projects.get(s.projectId)?.slug === q.get('filter[project]')) &&
    (!q.get('filter[hostname]') || s.hostname === q.get('filter[hostname]')) &&
    (!q.get('filter[plan]') || s.plan.slug === q.get('filter[plan]')) &&
    (!q.get('filter[region]') || s.site === q.get('filter[region]')) &&
    (!q.get('filter[status]') || st.status(s) === q.get('filter[status]')) &&
    tags.every((t) => s.tagIds.includes(t));
  const all = [...st.servers.values()].filter(matches).sort((x, y) => x.createdAt - y.createdAt || x.id.localeCompare(y.id));
  return paginate(all, req, (s) => renderServer(st, s));
}

function updateServer(st: LatitudeState, req: EmuRequest, s: ServerRec): EmuResponse {
  const a = attributesOf(req.body, 'servers');
  if (isResponse(a)) return a;
  if (a.hostname !== undefined) {
    if (typeof a.hostname !== 'string' || !HOSTNAME.test(a.hostname)) return invalid('hostname', 'is not a valid hostname');
    s.hostname = a.hostname;
  }
  if (a.tags !== undefined) {
    const tags = strList(a.tags);
    if (!tags || tags.some((t) => !st.tags.has(t))) return invalid('tags', 'contains an unknown tag');
    s.tagIds = [...new Set(tags)];
  }
  if (a.billing !== undefined) {
    if (typeof a.billing !== 'string' || !BILLINGS.includes(a.billing)) return invalid('billing', `must be one of ${BILLINGS.join(', ')}`);
    s.billing = a.billing;
  }
  return { status: 200, body: { data: renderServer(st, s), meta: {} } };
}

const POWER: Record<string, 'on' | 'off'> = { power_on: 'on', power_off: 'off', reboot: 'on' };

function serverAction(st: LatitudeState, req: EmuRequest, s: ServerRec): EmuResponse {
  const a = attributesOf(req.body, 'actions');
  if (isResponse(a)) return a;
  const to = typeof a.action === 'string' ? POWER[a.action] : undefined;
  if (!to) return invalid('action', `must be one of ${Object.keys(POWER).join(', ')}`);
  const status = st.status(s);
  if (status !== 'on' && status !== 'off') return lsError(422, 'server_busy', `the server is ${status}; power actions need it on or off`);
  s.power = { to, until: st.now() + st.ctx.config.actionMs };
  return { status: 201, body: { data: { id: st.newId('act'), type: 'actions', attributes: { status: 'started' } }, meta: {} } };
}

function reinstall(st: LatitudeState, req: EmuRequest, s: ServerRec): EmuResponse {
  const a = attributesOf(req.body, 'reinstalls');
  if (isResponse(a)) return a;
  const status = st.status(s);
  if (status !== 'on' && status !== 'off') return lsError(422, 'server_busy', `the server is ${status}; wait for the deploy to finish`);
  const osSlug = a.operating_system ?? s.os;
  const os = SEED_OPERATING_SYSTEMS.find((o) => o.slug === osSlug);
  if (!os) return invalid('operating_system', 'is not a valid operating system');
  if (os.slug === 'ipxe' && (typeof a.ipxe !== 'string' || !/^(https?:\/\/\S+|[A-Za-z0-9+/=]+)$/.test(a.ipxe))) {
    return invalid('ipxe', 'must be the URL of an iPXE script or the script base64-encoded');
  }
  if (typeof a.hostname === 'string' && HOSTNAME.test(a.hostname)) s.hostname = a.hostname;
  s.os = os.slug;
  s.ipxe = os.slug === 'ipxe' ? (a.ipxe as string) : null;
  s.power = undefined;
  s.phases = st.reinstallPhases(st.now());
  return { status: 201 };
}

function scheduleDeletion(st: LatitudeState, s: ServerRec): EmuResponse {
  // The end of the billing cycle: a month (or a year) from the order, whichever comes next.
  const cycle = (s.billing === 'yearly' ? 365 : 30) * 86_400_000;
  const now = st.now();
  s.scheduledDeletionAt ??= s.createdAt + Math.max(1, Math.ceil((now - s.createdAt) / cycle)) * cycle;
  return {
    status: 201,
    body: { data: { id: st.newId('sd'), type: 'schedule_deletion', attributes: { server_id: s.id, scheduled_deletion_at: new Date(s.scheduledDeletionAt).toISOString() } } },
  };
}

export function registerServers(router: Router, st: LatitudeState): void {
  const withServer = (then: (req: EmuRequest, s: ServerRec) => EmuResponse) => (req: EmuRequest) => {
    st.purge();
    const s = st.servers.get(req.params.id ?? '');
    return s ? then(req, s) : notFound();
  };
  router.on('GET', '/servers', (req) => (st.purge(), listServers(st, req)));
  router.on('POST', '/servers', (req) => createServer(st, req));
  router.on('GET', '/servers/:id', withServer((_req, s) => ({ status: 200, body: { data: renderServer(st, s), meta: {} } })));
  router.on('PATCH', '/servers/:id', withServer((req, s) => updateServer(st, req, s)));
  router.on('DELETE', '/servers/:id', withServer((_req, s) => (st.release(s), { status: 204 })));
  router.on('POST', '/servers/:id/actions', withServer((req, s) => serverAction(st, req, s)));
  router.on('POST', '/servers/:id/reinstall', withServer((req, s) => reinstall(st, req, s)));
  router.on('POST', '/servers/:id/schedule_deletion', withServer((_req, s) => scheduleDeletion(st, s)));
  router.on('DELETE', '/servers/:id/schedule_deletion', withServer((_req, s) => ((s.scheduledDeletionAt = null), { status: 204 })));
}
