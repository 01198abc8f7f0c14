/**
 * /dedicated/server (the OpenAPI description): list, get, update (boot device and iPXE script),
 * service infos (renew, deleteAtExpiration), reboot, reinstall, tasks, netboots, and termination
 * with OVH's token flow (POST /terminate "emails" a token; /confirmTermination takes it).
 */
import { randomBytes } from 'node:crypto';
import type { EmuRequest, Router } from '../engine/index.js';
import { OS_TEMPLATES } from './catalog.js';
import { ovhError } from './errors.js';
import { BOOT_HARDDISK, BOOT_IPXE, BOOT_RESCUE, type OvhState, type ServerRec, type TaskRec } from './state.js';

const API = '/1.0/dedicated/server';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const BOOTS = [
  { bootId: BOOT_HARDDISK, bootType: 'harddisk', description: 'Boot from the hard disk', kernel: '' },
  { bootId: BOOT_RESCUE, bootType: 'rescue', description: 'Rescue (Linux)', kernel: 'rescue-customer' },
  { bootId: BOOT_IPXE, bootType: 'network', description: 'iPXE: serve the bootScript of the server (customer script)', kernel: 'ipxe-customer-script' },
];

export function serverWire(st: OvhState, s: ServerRec) {
  const installing = s.tasks.some((t) => t.function === 'reinstallServer' && st.taskStatus(t) !== 'done');
  return {
    name: s.serviceName,
    serverId: s.serverId,
    commercialRange: s.plan.planCode.replace(/^\d+/, '').replace(/\d+$/, ''),
    datacenter: s.datacenter,
    region: s.datacenter.replace(/\d+$/, ''),
    availabilityZone: `${s.datacenter.replace(/\d+$/, '')}-a`,
    ip: s.ip,
    os: installing ? 'none_64' : s.os,
    state: 'ok',
    powerState: s.powerState,
    bootId: s.bootId,
    bootScript: s.bootScript,
    efiBootloaderPath: null,
    linkSpeed: 1000,
    monitoring: true,
    newUpgradeSystem: true,
    noIntervention: false,
    professionalUse: false,
    rack: 'G123A01',
    reverse: s.serviceName,
    rescueMail: null,
    rescueSshKey: null,
    rootDevice: null,
    supportLevel: 'pro',
    iam: { id: `5e1f0000-0000-4000-8000-${String(s.serverId).padStart(12, '0')}`, urn: `urn:v1:eu:resource:dedicatedServer:${s.serviceName}`, displayName: s.serviceName, tags: null },
  };
}

function taskWire(st: OvhState, t: TaskRec) {
  const status = st.taskStatus(t);
  return { taskId: t.taskId, function: t.function, status, comment: t.comment, startDate: iso(t.startDate), doneDate: status === 'done' ? iso(t.doneDate) : null, lastUpdate: iso(Math.min(st.now(), t.doneDate)), needSchedule: false, note: null, plannedInterventionId: null, tags: null, ticketReference: null };
}

export function registerServers(router: Router, st: OvhState): void {
  const find = (req: EmuRequest) => st.server(req.params.serviceName ?? '') ?? ovhError(404, `The requested object (serviceName = ${req.params.serviceName}) does not exist`);
  const busyWith = (s: ServerRec) => s.tasks.find((t) => st.taskStatus(t) !== 'done');

  router.on('GET', API, () => ({ status: 200, body: st.liveServers().map((s) => s.serviceName) }));
  router.on('GET', `${API}/:serviceName`, (req) => {
    const s = find(req);
    return 'status' in s ? s : { status: 200, body: serverWire(st, s) };
  });
  router.on('PUT', `${API}/:serviceName`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.bootId !== undefined && b.bootId !== null) {
      if (!BOOTS.some((x) => x.bootId === b.bootId)) return ovhError(400, `Invalid bootId ${String(b.bootId)}`);
      s.bootId = b.bootId as number;
    }
    if (b.bootScript !== undefined) s.bootScript = typeof b.bootScript === 'string' && b.bootScript ? b.bootScript : null;
    return { status: 200, body: null };
  });
  router.on('GET', `${API}/:serviceName/serviceInfos`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    return {
      status: 200,
      body: {
        serviceId: s.serviceId,
        domain: s.serviceName,
        creation: day(s.deliveredAt),
        expiration: day(s.expiration),
        engagedUpTo: null,
        status: 'ok',
        renewalType: s.deleteAtExpiration ? 'manual' : 'automaticV2016',
        renew: { automatic: !s.deleteAtExpiration, deleteAtExpiration: s.deleteAtExpiration, forced: false, manualPayment: false, period: 1 },
        canDeleteAtExpiration: true,
        possibleRenewPeriod: [1, 12, 24],
        contactAdmin: 'xx1234-ovh',
        contactBilling: 'xx1234-ovh',
        contactTech: 'xx1234-ovh',
      },
    };
  });
  router.on('PUT', `${API}/:serviceName/serviceInfos`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const renew = (req.body as { renew?: { deleteAtExpiration?: unknown } } | undefined)?.renew;
    if (renew?.deleteAtExpiration === true) st.endAtExpiration(s);
    else if (renew?.deleteAtExpiration === false) s.deleteAtExpiration = false;
    return { status: 200, body: null };
  });
  router.on('POST', `${API}/:serviceName/reboot`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const busy = busyWith(s);
    if (busy) return ovhError(409, `A task is already running on this server (${busy.function} ${busy.taskId})`);
    s.powerState = 'poweron';
    return { status: 200, body: taskWire(st, st.addTask(s, 'hardReboot', st.ctx.config.actionMs, 'hard reboot')) };
  });
  router.on('POST', `${API}/:serviceName/reinstall`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const b = (req.body ?? {}) as { operatingSystem?: unknown; customizations?: Record<string, unknown> };
    if (typeof b.operatingSystem !== 'string' || !OS_TEMPLATES.map((t) => t.replace(/\.en$/, '')).includes(b.operatingSystem)) {
      return ovhError(400, `Invalid operatingSystem ${String(b.operatingSystem)}`);
    }
    const busy = busyWith(s);
    if (busy) return ovhError(409, `A task is already running on this server (${busy.function} ${busy.taskId})`);
    s.os = b.operatingSystem;
    s.bootId = BOOT_HARDDISK;
    const t = st.addTask(s, 'reinstallServer', st.ctx.config.installMs, `reinstall ${b.operatingSystem}`);
    return { status: 200, body: { taskId: t.taskId, function: 'reinstallServer', status: 'todo', comment: t.comment, startDate: iso(t.startDate), doneDate: null } };
  });
  router.on('GET', `${API}/:serviceName/task`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const fn = req.query.get('function');
    const status = req.query.get('status');
    return { status: 200, body: s.tasks.filter((t) => (fn === null || t.function === fn) && (status === null || st.taskStatus(t) === status)).map((t) => t.taskId) };
  });
  router.on('GET', `${API}/:serviceName/task/:taskId`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const t = s.tasks.find((x) => String(x.taskId) === req.params.taskId);
    return t ? { status: 200, body: taskWire(st, t) } : ovhError(404, `Task ${req.params.taskId} not found`);
  });
  router.on('GET', `${API}/:serviceName/boot`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const type = req.query.get('bootType');
    return { status: 200, body: BOOTS.filter((b) => type === null || b.bootType === type).map((b) => b.bootId) };
  });
  router.on('GET', `${API}/:serviceName/boot/:bootId`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const b = BOOTS.find((x) => String(x.bootId) === req.params.bootId);
    return b ? { status: 200, body: b } : ovhError(404, `Boot ${req.params.bootId} not found`);
  });
  router.on('POST', `${API}/:serviceName/terminate`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    s.terminationToken = randomBytes(12).toString('hex');
    return { status: 200, body: `The termination request of ${s.serviceName} is registered; a confirmation token was sent by email to the admin contact` };
  });
  router.on('POST', `${API}/:serviceName/confirmTermination`, (req) => {
    const s = find(req);
    if ('status' in s) return s;
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (!s.terminationToken || token !== s.terminationToken) return ovhError(400, 'Invalid termination token');
    s.terminationToken = null;
    st.endAtExpiration(s);
    return { status: 200, body: `The service ${s.serviceName} will be terminated on ${day(s.expiration)}` };
  });
}
