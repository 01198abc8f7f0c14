/** /projects/{id}/servers (list, order), /servers/{id} (get, ?fields=power, update, terminate), /servers/{id}/actions. */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { bodyObject, csError, isResponse, notFound } from './errors.js';
import { SEED_IMAGES, SEED_PLANS } from './seed.js';
import type { CherryState, ServerRec } from './state.js';
import { paginate, renderServer } from './wire.js';

const HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9-.]{0,61}[a-zA-Z0-9])?$/;
const CYCLES = ['hourly', 'monthly', 'quarterly', 'semiannually', 'annually'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function tagsOf(v: unknown): Record<string, string> | string {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return 'tags must be an object of strings';
  for (const x of Object.values(v)) if (typeof x !== 'string') return 'tags must be an object of strings';
  return { ...(v as Record<string, string>) };
}

function createServer(st: CherryState, req: EmuRequest, projectId: number): EmuResponse {
  const b = bodyObject(req.body);
  if (isResponse(b)) return b;
  const plan = SEED_PLANS.find((p) => p.slug === b.plan || String(p.id) === String(b.plan));
  if (!plan) return csError(400, `Plan ${String(b.plan)} not found`);
  const region = typeof b.region === 'string' ? b.region : '';
  if (!(region in plan.stock)) return csError(400, `Plan ${plan.slug} is not available in region ${region}`);
  const image = SEED_IMAGES.find((i) => i.slug === b.image);
  if (!image) return csError(400, `Image ${String(b.image)} not found`);
  const hostname = b.hostname ?? `server-${Date.now()}`;
  if (typeof hostname !== 'string' || !HOSTNAME.test(hostname)) return csError(422, 'hostname is not valid');
  const cycle = b.cycle ?? 'hourly';
  if (typeof cycle !== 'string' || !CYCLES.includes(cycle)) return csError(422, `cycle must be one of ${CYCLES.join(', ')}`);
  const tags = tagsOf(b.tags);
  if (typeof tags === 'string') return csError(422, tags);
  const keys = b.ssh_keys ?? [];
  if (!Array.isArray(keys) || keys.some((k) => !st.sshKeys.has(Number(k)))) return csError(422, 'ssh_keys contains an unknown key');
  if (b.user_data !== undefined && (typeof b.user_data !== 'string' || !BASE64.test(b.user_data))) return csError(422, 'user_data must be base64');
  const stockKey = `${plan.slug}@${region}`;
  const left = st.stock.get(stockKey) ?? 0;
  if (left <= 0 || st.ctx.faults.capacity(region, plan.slug)) return csError(400, `Plan ${plan.slug} is out of stock in ${region}`);
  if (st.ctx.faults.quota(region, plan.slug)) return csError(403, 'Team has reached its server limit');
  st.stock.set(stockKey, left - 1);
  const now = st.now();
  const s: ServerRec = {
    id: st.next('server'),
    hostname,
    plan,
    region,
    image: image.slug,
    projectId,
    cycle,
    tags,
    sshKeys: keys.map(Number),
    userData: (b.user_data as string | undefined) ?? null,
    ipxeChain: null,
    ipv4: st.nextIp(),
    createdAt: now,
    phases: st.deployPhases(now, plan.type === 'vps'),
    terminatingUntil: null,
  };
  st.servers.set(s.id, s);
  return { status: 201, body: renderServer(st, s) };
}

function updateServer(st: CherryState, req: EmuRequest, s: ServerRec): EmuResponse {
  const b = bodyObject(req.body);
  if (isResponse(b)) return b;
  if (b.hostname !== undefined) {
    if (typeof b.hostname !== 'string' || !HOSTNAME.test(b.hostname)) return csError(422, 'hostname is not valid');
    s.hostname = b.hostname;
  }
  if (b.tags !== undefined) {
    const tags = tagsOf(b.tags);
    if (typeof tags === 'string') return csError(422, tags);
    s.tags = tags;
  }
  return { status: 201, body: renderServer(st, s) };
}

/** The chain target of an iPXE script in user data, if it is one. */
function ipxeChainOf(userData: string): string | null {
  const text = Buffer.from(userData, 'base64').toString('utf8');
  if (!text.startsWith('#!ipxe')) return null;
  return /^chain\s+(\S+)/m.exec(text)?.[1] ?? null;
}

const POWER: Record<string, 'on' | 'off'> = { power_on: 'on', 'power-on': 'on', power_off: 'off', 'power-off': 'off', reboot: 'on' };

function action(st: CherryState, req: EmuRequest, s: ServerRec): EmuResponse {
  const b = bodyObject(req.body);
  if (isResponse(b)) return b;
  const { state, status } = st.statusOf(s);
  const type = String(b.type ?? '');
  if (type in POWER) {
    if (state !== 'active' || status !== 'deployed') return csError(409, `Server is ${state}/${status}; power actions need a deployed server`);
    s.power = { to: POWER[type]!, until: st.now() + st.ctx.config.actionMs };
    return { status: 201, body: renderServer(st, s) };
  }
  if (type === 'rebuild' || type === 'reinstall') {
    if (state !== 'active' || status !== 'deployed') return csError(409, `Server is ${state}/${status}; wait for the deployment to finish`);
    const image = SEED_IMAGES.find((i) => i.slug === b.image);
    if (!image) return csError(400, `Image ${String(b.image)} not found`);
    if (typeof b.hostname !== 'string' || !HOSTNAME.test(b.hostname)) return csError(422, 'hostname is required');
    if (typeof b.password !== 'string' || b.password.length < 8) return csError(422, 'password is required (8 characters at least)');
    if (b.user_data !== undefined && (typeof b.user_data !== 'string' || !BASE64.test(b.user_data))) return csError(422, 'user_data must be base64');
    s.image = image.slug;
    s.hostname = b.hostname;
    s.userData = (b.user_data as string | undefined) ?? null;
    s.ipxeChain = s.userData ? ipxeChainOf(s.userData) : null;
    s.power = undefined;
    s.phases = st.rebuildPhases(st.now());
    return { status: 201, body: renderServer(st, s) };
  }
  return csError(400, `Unknown action type ${type}`);
}

export function registerServers(router: Router, st: CherryState): void {
  const withServer = (then: (req: EmuRequest, s: ServerRec) => EmuResponse) => (req: EmuRequest) => {
    st.purge();
    const s = /^\d+$/.test(req.params.id ?? '') ? st.servers.get(Number(req.params.id)) : undefined;
    return s ? then(req, s) : notFound('Server');
  };
  const withProject = (then: (req: EmuRequest, projectId: number) => EmuResponse) => (req: EmuRequest) => {
    st.purge();
    const p = st.projects.get(Number(req.params.project));
    return p ? then(req, p.id) : notFound('Project');
  };
  router.on('GET', '/v1/projects/:project/servers', withProject((req, projectId) => paginate([...st.servers.values()].filter((s) => s.projectId === projectId), req, (s) => renderServer(st, s))));
  router.on('POST', '/v1/projects/:project/servers', withProject((req, projectId) => createServer(st, req, projectId)));
  router.on('GET', '/v1/servers/:id', withServer((req, s) => {
    const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
    if (fields.includes('power')) return { status: 200, body: { power: st.statusOf(s).status === 'deployed' ? st.power(s) : 'off' } };
    return { status: 200, body: renderServer(st, s) };
  }));
  router.on('PUT', '/v1/servers/:id', withServer((req, s) => updateServer(st, req, s)));
  router.on('DELETE', '/v1/servers/:id', withServer((_req, s) => {
    if (s.terminatingUntil !== null) return notFound('Server');
    s.terminatingUntil = st.now() + st.ctx.config.actionMs;
    return { status: 204 };
  }));
  router.on('POST', '/v1/servers/:id/actions', withServer((req, s) => action(st, req, s)));
}
