/**
 * Elastic Metal v1: offers with stock per zone, operating systems, and servers that go through
 * delivering → ready (install to_install → installing → completed) in time-scaled minutes.
 */
import { compareIds, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { BAREMETAL_OFFERS, BAREMETAL_OS, BAREMETAL_ZONES, type SeedOffer } from './catalog.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound, scwError, transientState } from './errors.js';
import { hasTags, modernPage } from './paginate.js';
import type { BaremetalRec, ScalewayState } from './state.js';

const GIB = 1024 ** 3;
const money = (eur: number | null) => (eur === null ? null : { currency_code: 'EUR', units: Math.floor(eur), nanos: Math.round((eur - Math.floor(eur)) * 1e9) });

function renderOffer(o: SeedOffer, zone: string) {
  return {
    id: o.id, name: o.name, stock: o.stock[zone] ?? 'empty', bandwidth: 1_000_000_000, max_bandwidth: 1_000_000_000, commercial_range: o.name.split('-')[1]?.[0]?.toLowerCase() ?? '',
    price_per_hour: money(o.hourly), price_per_month: money(o.monthly), disks: o.disks, enable: true,
    cpus: [{ name: o.cpu, core_count: o.cores, thread_count: o.threads, frequency: 3100, benchmark: '' }],
    memories: [{ capacity: o.ramGib * GIB, type: 'DDR4', frequency: 2400, is_ecc: true }],
    quota_name: `baremetal_${o.name.toLowerCase()}`, persistent_memories: [], raid_controllers: [], incompatible_os_ids: [], subscription_period: o.period,
    operation_path: '', fee: money(o.fee), options: [], private_bandwidth: 1_000_000_000, shared_bandwidth: false, tags: [], gpus: o.gpus, monthly_offer_id: null,
  };
}

function renderOs(o: (typeof BAREMETAL_OS)[number]) {
  const field = (required: boolean) => ({ editable: true, required, default_value: null });
  return { id: o.id, name: o.name, version: o.version, logo_url: '', ssh: field(true), user: field(false), password: field(false), service_user: field(false), service_password: field(false), enabled: true, license_required: false, allowed: true, custom_partitioning_supported: true };
}

function status(st: ScalewayState, b: BaremetalRec): string {
  const now = st.now();
  if (b.deletingUntil !== null) return 'deleting';
  if (now < b.deliveredAt) return 'delivering';
  if (b.power) return now < b.power.until ? (b.power.to === 'ready' ? 'starting' : 'stopping') : b.power.to;
  return 'ready';
}

function installStatus(st: ScalewayState, b: BaremetalRec): string {
  const i = b.install!;
  if (st.now() < i.startedAt) return 'to_install';
  return st.now() < i.endsAt ? 'installing' : 'completed';
}

function render(st: ScalewayState, b: BaremetalRec) {
  const delivered = st.now() >= b.deliveredAt;
  return {
    id: b.id, organization_id: b.project, project_id: b.project, name: b.name, description: b.description, updated_at: st.iso(st.now()), created_at: st.iso(b.createdAt),
    status: status(st, b), offer_id: b.offerId, offer_name: b.offerName, tags: [...b.tags],
    ips: delivered
      ? [
          { id: `${b.id.slice(0, 30)}000001`, address: b.ipv4, reverse: `${b.ipv4.replace(/\./g, '-')}.rev.poneytelecom.eu`, version: 'IPv4', reverse_status: 'active', reverse_status_message: '' },
          { id: `${b.id.slice(0, 30)}000002`, address: b.ipv6, reverse: '', version: 'IPv6', reverse_status: 'active', reverse_status_message: '' },
        ]
      : [],
    domain: `${b.id}.fr-par-2.baremetal.scw.cloud`, boot_type: 'normal', zone: b.zone,
    install: b.install ? { os_id: b.install.osId, hostname: b.install.hostname, ssh_key_ids: b.install.sshKeyIds, status: installStatus(st, b), user: 'ubuntu', service_user: '', service_url: '', partitioning_schema: null } : null,
    ping_status: delivered ? 'ping_status_up' : 'ping_status_unknown', options: [], rescue_server: null,
  };
}

function validInstall(st: ScalewayState, raw: unknown, offerId: string): { osId: string; hostname: string; sshKeyIds: string[] } | EmuResponse {
  const i = bodyOf(raw);
  if (isResponse(i)) return i;
  if (!BAREMETAL_OS.some((o) => o.id === i.os_id)) return invalidArguments('install.os_id', `unknown OS for offer ${offerId}`);
  if (typeof i.hostname !== 'string' || !i.hostname) return invalidArguments('install.hostname', 'required');
  const keys = i.ssh_key_ids;
  if (!Array.isArray(keys) || keys.length === 0) return invalidArguments('install.ssh_key_ids', 'at least one SSH key is required to install');
  for (const k of keys) if (typeof k !== 'string' || !st.sshKeys.has(k)) return notFound('iam_ssh_key', String(k));
  return { osId: i.os_id as string, hostname: i.hostname, sshKeyIds: keys as string[] };
}

export function registerBaremetal(router: Router, st: ScalewayState): void {
  const base = '/baremetal/v1/zones/:zone';
  const guard = (req: EmuRequest) => (BAREMETAL_ZONES.includes(req.params.zone ?? '') ? undefined : invalidArguments('zone', `unknown zone; valid: ${BAREMETAL_ZONES.join(', ')}`));
  const { bootMs, actionMs } = st.ctx.config;
  // Delivery and installation take minutes on Scaleway: scaled from the emulated boot time.
  const deliveryMs = bootMs * 15;
  const installMs = bootMs * 20;
  router.on('GET', `${base}/offers`, (req) => {
    const q = req.query;
    const offers = BAREMETAL_OFFERS.filter((o) => (!q.get('name') || o.name === q.get('name')) && (!q.get('subscription_period') || o.period === q.get('subscription_period')));
    return guard(req) ?? modernPage('offers', offers.map((o) => renderOffer(o, req.params.zone!)), q);
  });
  router.on('GET', `${base}/offers/:id`, (req) => {
    const o = BAREMETAL_OFFERS.find((x) => x.id === req.params.id);
    return guard(req) ?? (o ? { status: 200, body: renderOffer(o, req.params.zone!) } : notFound('baremetal_offer', req.params.id!));
  });
  router.on('GET', `${base}/os`, (req) => guard(req) ?? modernPage('os', BAREMETAL_OS.map(renderOs), req.query));
  router.on('GET', `${base}/servers`, (req) => {
    const bad = guard(req);
    if (bad) return bad;
    st.settleTerminated();
    const q = req.query;
    const name = q.get('name');
    const hits = [...st.baremetal.values()]
      .filter((b) => b.zone === req.params.zone && (!name || b.name.includes(name)) && hasTags(b.tags, q) && (!q.get('project_id') || b.project === q.get('project_id')))
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
    return modernPage('servers', hits, q, (b) => render(st, b));
  });
  router.on('POST', `${base}/servers`, (req) => {
    const bad = guard(req);
    if (bad) return bad;
    const zone = req.params.zone!;
    const body = bodyOf(req.body);
    if (isResponse(body)) return body;
    const offer = BAREMETAL_OFFERS.find((o) => o.id === body.offer_id);
    if (!offer) return invalidArguments('offer_id', 'unknown offer');
    if (typeof body.name !== 'string' || !body.name) return invalidArguments('name', 'required');
    if (typeof body.description !== 'string') return invalidArguments('description', 'required (may be empty)');
    const project = (body.project_id ?? body.organization_id) as unknown;
    if (typeof project !== 'string' || !project) return invalidArguments('project_id', 'required');
    const install = body.install === undefined || body.install === null ? null : validInstall(st, body.install, offer.id);
    if (isResponse(install)) return install;
    if (st.ctx.faults.quota(zone, offer.name)) return scwError(403, 'quotas_exceeded', 'quota(s) exceeded for this resource', { details: [{ resource: offer.name, quota: 0, current: 0 }] });
    if ((offer.stock[zone] ?? 'empty') === 'empty' || st.ctx.faults.capacity(zone, offer.name)) {
      return scwError(409, 'out_of_stock', `offer ${offer.name} is out of stock in ${zone}`, { resource: 'baremetal_offer' });
    }
    const now = st.now();
    const b: BaremetalRec = {
      id: st.uuid(), zone, name: body.name, description: body.description, project, offerId: offer.id, offerName: offer.name,
      tags: Array.isArray(body.tags) ? (body.tags as string[]) : [], createdAt: now, deliveredAt: now + deliveryMs,
      install: install ? { ...install, startedAt: now + deliveryMs, endsAt: now + deliveryMs + installMs } : null,
      power: null, deletingUntil: null, ipv4: st.nextIpv4(), ipv6: `2001:bc8:1200::${st.baremetal.size + 1}`,
    };
    st.baremetal.set(b.id, b);
    return { status: 200, body: render(st, b) };
  });
  const withServer = (req: EmuRequest, then: (b: BaremetalRec) => EmuResponse): EmuResponse => {
    const bad = guard(req) ?? badId('server_id', req.params.id!);
    if (bad) return bad;
    st.settleTerminated();
    const b = st.baremetal.get(req.params.id!);
    return b && b.zone === req.params.zone ? then(b) : notFound('baremetal_server', req.params.id!);
  };
  router.on('GET', `${base}/servers/:id`, (req) => withServer(req, (b) => ({ status: 200, body: render(st, b) })));
  router.on('DELETE', `${base}/servers/:id`, (req) =>
    withServer(req, (b) => {
      if (b.deletingUntil === null) b.deletingUntil = st.now() + actionMs;
      return { status: 200, body: render(st, b) };
    }),
  );
  router.on('POST', `${base}/servers/:id/install`, (req) =>
    withServer(req, (b) => {
      const s = status(st, b);
      if (s !== 'ready' && s !== 'stopped') return transientState('baremetal_server', b.id, s);
      const install = validInstall(st, req.body, b.offerId);
      if (isResponse(install)) return install;
      b.install = { ...install, startedAt: st.now(), endsAt: st.now() + installMs };
      return { status: 200, body: render(st, b) };
    }),
  );
  const power = (to: 'ready' | 'stopped', from: string) => (req: EmuRequest) =>
    withServer(req, (b) => {
      const s = status(st, b);
      if (s !== from) return s === 'ready' || s === 'stopped' ? scwError(400, 'invalid_request_error', `server should be ${from}`) : transientState('baremetal_server', b.id, s);
      b.power = { to, until: st.now() + actionMs };
      return { status: 200, body: render(st, b) };
    });
  router.on('POST', `${base}/servers/:id/start`, power('ready', 'stopped'));
  router.on('POST', `${base}/servers/:id/stop`, power('stopped', 'ready'));
  router.on('POST', `${base}/servers/:id/reboot`, power('ready', 'ready'));
}
