/** Instance v1 servers: list, create, get, update (volumes, tags), delete, actions, user data, private NICs. */
import { compareIds, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { INSTANCE_ZONES, regionOf, ROOT_VOLUME_BYTES, SERVER_TYPES } from './catalog.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound, scwError, transientState } from './errors.js';
import { LOCAL_IMAGES, localImage } from './images.js';
import { hasTags, instancePage } from './paginate.js';
import { renderNic, renderServer, task } from './render.js';
import { defaultSecurityGroup } from './security-groups.js';
import type { ScalewayState, ServerRec } from './state.js';

const invalidRequest = (message: string) => scwError(400, 'invalid_request_error', message);

function zoneGuard(req: EmuRequest): EmuResponse | undefined {
  return INSTANCE_ZONES.includes(req.params.zone ?? '') ? undefined : invalidArguments('zone', `unknown zone; valid: ${INSTANCE_ZONES.join(', ')}`);
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((t) => typeof t === 'string');
}

/** A local image id, an image label ("ubuntu_noble", converted to the zone's latest), or one of the project's images. */
function resolveImage(st: ScalewayState, zone: string, ref: unknown, arch: string): { id: string; name: string } | EmuResponse {
  if (typeof ref !== 'string' || !ref) return invalidArguments('image', 'required');
  const local = localImage(ref) ?? LOCAL_IMAGES.find((i) => i.label === ref && i.zone === zone && i.arch === arch && i.type === 'instance_sbs');
  if (local) {
    if (local.zone !== zone) return invalidArguments('image', `image ${ref} is not available in zone ${zone}`);
    if (local.arch !== arch) return invalidArguments('image', `image ${ref} is ${local.arch}, the commercial type is ${arch}`);
    return { id: local.id, name: local.name };
  }
  const own = st.images.get(ref);
  if (own) {
    if (own.zone !== zone) return invalidArguments('image', `image ${ref} is in ${own.zone}`);
    if (st.now() < own.readyAt) return transientState('instance_image', own.id, 'creating');
    return { id: own.id, name: own.name };
  }
  return notFound('instance_image', ref);
}

function createServer(st: ScalewayState, req: EmuRequest): EmuResponse {
  const zone = req.params.zone!;
  const body = bodyOf(req.body);
  if (isResponse(body)) return body;
  if (typeof body.name !== 'string' || !body.name) return invalidArguments('name', 'required');
  const type = SERVER_TYPES.find((t) => t.name === body.commercial_type);
  if (!type || !type.zones.includes(zone)) return invalidArguments('commercial_type', `commercial type ${String(body.commercial_type)} is not available in ${zone}`);
  const project = (body.project ?? body.organization) as unknown;
  if (typeof project !== 'string' || !project) return invalidArguments('project', 'required');
  if (body.tags !== undefined && body.tags !== null && !strings(body.tags)) return invalidArguments('tags', 'must be a list of strings');
  const image = resolveImage(st, zone, body.image, type.arch);
  if (isResponse(image)) return image;
  let sgId: string;
  if (body.security_group !== undefined && body.security_group !== null) {
    const sg = typeof body.security_group === 'string' ? st.securityGroups.get(body.security_group) : undefined;
    if (!sg || sg.zone !== zone) return notFound('instance_security_group', String(body.security_group));
    sgId = sg.id;
  } else {
    sgId = defaultSecurityGroup(st, zone, project).id;
  }
  if (st.ctx.faults.quota(zone, type.name)) {
    return scwError(403, 'quotas_exceeded', 'quota(s) exceeded for this resource', { details: [{ resource: `instances_${type.name.toLowerCase()}`, quota: 1, current: 1 }] });
  }
  if (st.ctx.faults.capacity(zone, type.name) || type.availability === 'shortage') {
    return scwError(409, 'out_of_stock', `${type.name} is out of stock in ${zone}`, { resource: type.name });
  }
  const now = st.now();
  const rootId = st.uuid();
  st.volumes.set(rootId, { id: rootId, zone, name: `${body.name}-root`, project, size: ROOT_VOLUME_BYTES, iops: 5000, tags: [], serverId: null, parentSnapshotId: null, createdAt: now, updatedAt: now });
  const s: ServerRec = {
    id: st.uuid(),
    zone,
    name: body.name,
    project,
    commercialType: type.name,
    arch: type.arch,
    imageId: image.id,
    imageName: image.name,
    tags: strings(body.tags) ? [...body.tags] : [],
    createdAt: now,
    modifiedAt: now,
    securityGroupId: sgId,
    volumes: { '0': rootId },
    userData: {},
    power: null,
    firstStartedAt: null,
    ipId: st.uuid(),
    ipAddress: st.nextIpv4(),
    dynamicIp: body.dynamic_ip_required !== false,
  };
  st.volumes.get(rootId)!.serverId = s.id;
  st.servers.set(s.id, s);
  return { status: 201, body: { server: renderServer(st, s) } };
}

function listServers(st: ScalewayState, req: EmuRequest): EmuResponse {
  const q = req.query;
  const name = q.get('name');
  const state = q.get('state');
  const hits = [...st.servers.values()]
    .filter((s) => s.zone === req.params.zone)
    .filter((s) => (!name || s.name.includes(name)) && hasTags(s.tags, q) && (!q.get('project') || s.project === q.get('project')))
    .filter((s) => !q.get('commercial_type') || s.commercialType === q.get('commercial_type'))
    .filter((s) => !state || st.serverState(s) === state)
    .sort((a, b) => b.createdAt - a.createdAt || compareIds(a.id, b.id));
  return instancePage('servers', hits, q, (s) => renderServer(st, s));
}

function withServer(st: ScalewayState, req: EmuRequest, then: (s: ServerRec) => EmuResponse | Promise<EmuResponse>): EmuResponse | Promise<EmuResponse> {
  const bad = zoneGuard(req) ?? badId('server_id', req.params.server_id!);
  if (bad) return bad;
  st.settleTerminated();
  const s = st.servers.get(req.params.server_id!);
  if (!s || s.zone !== req.params.zone) return notFound('instance_server', req.params.server_id!);
  return then(s);
}

/** PATCH: tags, name, security group, and the whole volume map (attach and detach by omission). */
function updateServer(st: ScalewayState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = bodyOf(req.body);
  if (isResponse(body)) return body;
  if (body.tags !== undefined && body.tags !== null) {
    if (!strings(body.tags)) return invalidArguments('tags', 'must be a list of strings');
    s.tags = [...body.tags];
  }
  if (typeof body.name === 'string' && body.name) s.name = body.name;
  if (body.volumes !== undefined && body.volumes !== null) {
    if (typeof body.volumes !== 'object' || Array.isArray(body.volumes)) return invalidArguments('volumes', 'must be a map of index to volume');
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.volumes as Record<string, { id?: unknown }>)) {
      if (!/^\d+$/.test(k) || !v || typeof v.id !== 'string') return invalidArguments(`volumes.${k}.id`, 'required');
      const vol = st.volumes.get(v.id);
      if (!vol || vol.zone !== s.zone) return notFound('volume', v.id);
      if (vol.serverId && vol.serverId !== s.id) return invalidRequest(`volume ${v.id} is already attached to another server`);
      next[k] = v.id;
    }
    if (next['0'] !== s.volumes['0']) return invalidRequest('the root volume (index 0) cannot be removed or replaced');
    for (const id of Object.values(s.volumes)) if (!Object.values(next).includes(id)) {
      const vol = st.volumes.get(id);
      if (vol) [vol.serverId, vol.updatedAt] = [null, st.now()];
    }
    for (const id of Object.values(next)) st.volumes.get(id)!.serverId = s.id;
    s.volumes = next;
  }
  s.modifiedAt = st.now();
  return { status: 200, body: { server: renderServer(st, s) } };
}

/** DELETE only stops existing: the server must be stopped; its volumes stay (detached), as on Scaleway. */
function deleteServer(st: ScalewayState, s: ServerRec): EmuResponse {
  const state = st.serverState(s);
  if (state !== 'stopped') return invalidRequest('instance should be powered off');
  st.servers.delete(s.id);
  for (const id of Object.values(s.volumes)) {
    const v = st.volumes.get(id);
    if (v) v.serverId = null;
  }
  for (const n of [...st.nics.values()]) if (n.serverId === s.id) st.nics.delete(n.id);
  return { status: 204 };
}

function serverAction(st: ScalewayState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = bodyOf(req.body);
  if (isResponse(body)) return body;
  const action = (body.action ?? 'poweron') as string;
  const state = st.serverState(s);
  const now = st.now();
  const { bootMs, actionMs } = st.ctx.config;
  const href = `/servers/${s.id}/action`;
  const need = (want: string) => (state === want ? undefined : state === 'starting' || state === 'stopping' ? transientState('instance_server', s.id, state) : invalidRequest(`instance should be ${want} to ${action}`));
  let until = now + actionMs;
  switch (action) {
    case 'poweron': {
      const bad = need('stopped');
      if (bad) return bad;
      until = now + bootMs;
      s.power = { to: 'running', since: now, until };
      s.firstStartedAt ??= now;
      break;
    }
    case 'poweroff':
    case 'stop_in_place': {
      const bad = need('running');
      if (bad) return bad;
      s.power = { to: 'stopped', since: now, until };
      break;
    }
    case 'reboot': {
      const bad = need('running');
      if (bad) return bad;
      s.power = { to: 'running', since: now, until };
      break;
    }
    case 'terminate': {
      const bad = need('running');
      if (bad) return bad;
      s.power = { to: 'terminated', since: now, until };
      break;
    }
    case 'backup': {
      if (state !== 'running' && state !== 'stopped') return transientState('instance_server', s.id, state);
      const name = typeof body.name === 'string' && body.name ? body.name : `${s.name}-${st.iso(now)}`;
      const snapId = st.uuid();
      st.snapshots.set(snapId, { id: snapId, zone: s.zone, name: `${name}-root`, project: s.project, size: ROOT_VOLUME_BYTES, volumeId: s.volumes['0']!, createdAt: now, readyAt: until });
      const imageId = st.uuid();
      st.images.set(imageId, { id: imageId, zone: s.zone, name, arch: s.arch, project: s.project, tags: [], fromServer: s.id, rootSnapshotId: snapId, createdAt: now, readyAt: until });
      return { status: 200, body: { task: task(st, 'server_backup', s.zone, href, `/images/${imageId}`, until) } };
    }
    default:
      return invalidArguments('action', 'one of poweron, poweroff, stop_in_place, reboot, terminate, backup');
  }
  s.modifiedAt = now;
  return { status: 200, body: { task: task(st, `server_${action}`, s.zone, href, `/servers/${s.id}`, until) } };
}

function createNic(st: ScalewayState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = bodyOf(req.body);
  if (isResponse(body)) return body;
  const pnId = body.private_network_id;
  if (typeof pnId !== 'string') return invalidArguments('private_network_id', 'required');
  const pn = st.privateNetworks.get(pnId);
  if (!pn || pn.region !== regionOf(s.zone)) return notFound('private_network', pnId);
  if ([...st.nics.values()].some((n) => n.serverId === s.id && n.privateNetworkId === pnId)) return scwError(409, 'already_exists', 'the server already has a NIC in this private network', { resource: 'instance_private_nic' });
  const n = { id: st.uuid(), serverId: s.id, privateNetworkId: pnId, zone: s.zone, createdAt: st.now(), mac: '02:00:00:00:00:02' };
  st.nics.set(n.id, n);
  return { status: 201, body: { private_nic: renderNic(st, n) } };
}

export function registerServers(router: Router, st: ScalewayState): void {
  const base = '/instance/v1/zones/:zone/servers';
  router.on('GET', base, (req) => zoneGuard(req) ?? (st.settleTerminated(), listServers(st, req)));
  router.on('POST', base, (req) => zoneGuard(req) ?? createServer(st, req));
  const one = `${base}/:server_id`;
  router.on('GET', one, (req) => withServer(st, req, (s) => ({ status: 200, body: { server: renderServer(st, s) } })));
  router.on('PATCH', one, (req) => withServer(st, req, (s) => updateServer(st, req, s)));
  router.on('DELETE', one, (req) => withServer(st, req, (s) => deleteServer(st, s)));
  router.on('POST', `${one}/action`, (req) => withServer(st, req, (s) => serverAction(st, req, s)));
  router.on('GET', `${one}/user_data`, (req) => withServer(st, req, (s) => ({ status: 200, body: { user_data: Object.keys(s.userData) } })));
  router.on('PATCH', `${one}/user_data/:key`, (req) =>
    withServer(st, req, (s) => {
      if (req.rawBody.length > 1024 * 1024) return invalidArguments('content', 'user data is limited to 1 MB');
      s.userData[req.params.key!] = req.rawBody;
      return { status: 204 };
    }),
  );
  router.on('GET', `${one}/user_data/:key`, (req) =>
    withServer(st, req, (s) => {
      const v = s.userData[req.params.key!];
      if (v === undefined) return notFound('instance_user_data', req.params.key!);
      return { status: 200, body: { name: req.params.key, content_type: 'text/plain', content: Buffer.from(v).toString('base64') } };
    }),
  );
  router.on('GET', `${one}/private_nics`, (req) =>
    withServer(st, req, (s) => instancePage('private_nics', [...st.nics.values()].filter((n) => n.serverId === s.id), req.query, (n) => renderNic(st, n))),
  );
  router.on('POST', `${one}/private_nics`, (req) => withServer(st, req, (s) => createNic(st, req, s)));
  router.on('DELETE', `${one}/private_nics/:nic_id`, (req) =>
    withServer(st, req, (s) => {
      const n = st.nics.get(req.params.nic_id!);
      if (!n || n.serverId !== s.id) return notFound('instance_private_nic', req.params.nic_id!);
      st.nics.delete(n.id);
      return { status: 204 };
    }),
  );
}
