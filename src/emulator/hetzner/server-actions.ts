/**
 * Server updates and the actions beyond power: PUT /servers/{id}, the server's action list,
 * rebuild, change_type, enable_rescue / disable_rescue; and the primary IPs every server gets
 * with its create (read-only here).
 */
import { sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { hcError, invalidInput, notFound, uniqueness } from './errors.js';
import { invalidLabel } from './labels.js';
import { paginate } from './paginate.js';
import { bodyObject, byId, idParam, isResponse } from './request.js';
import { findImage, findType, withServer } from './servers.js';
import { SEED_SERVER_TYPES } from './seed.js';
import type { HetznerState, Labels, ServerRec } from './state.js';
import { addresses, locationByName, primaryIpId, renderAction, renderLocation, renderServer } from './wire.js';

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

const password = (st: HetznerState) => `emu-${Math.floor(st.ctx.random() * 1e12).toString(36)}`;
const onServer = (s: ServerRec) => [{ id: s.id, type: 'server' }];

function update(st: HetznerState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  if (body.name !== undefined && body.name !== null) {
    if (typeof body.name !== 'string' || !HOSTNAME.test(body.name)) return invalidInput('name', 'must be a valid hostname (RFC 1123)');
    const other = st.findServerByName(body.name);
    if (other && other.id !== s.id) return uniqueness('name');
    s.name = body.name;
  }
  if (body.labels !== undefined && body.labels !== null) {
    const bad = invalidLabel(body.labels);
    if (bad) return invalidInput('labels', bad);
    s.labels = { ...(body.labels as Labels) };
  }
  return { status: 200, body: { server: renderServer(st, s) } };
}

function rebuild(st: HetznerState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  const type = SEED_SERVER_TYPES.find((t) => t.name === s.typeName)!;
  const image = findImage(st, body.image, type);
  if (isResponse(image)) return image;
  const action = st.startAction('rebuild_server', onServer(s));
  s.imageId = image.id;
  s.power = { to: 'on', until: action.startedAt + action.durationMs };
  return { status: 201, body: { action: renderAction(st, action), root_password: s.sshKeys.length ? null : password(st) } };
}

function changeType(st: HetznerState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  const from = SEED_SERVER_TYPES.find((t) => t.name === s.typeName)!;
  const to = findType(body.server_type);
  if (!to) return invalidInput('server_type', 'server type not found');
  if (typeof body.upgrade_disk !== 'boolean') return invalidInput('upgrade_disk', 'is required');
  if (to.architecture !== from.architecture || !to.locations.includes(s.location) || to.disk < from.disk) {
    return hcError(422, 'invalid_server_type', `server type ${to.name} does not fit server ${s.id}`);
  }
  if (st.serverStatus(s) !== 'off') return hcError(422, 'server_not_stopped', 'The action requires a stopped server');
  const action = st.startAction('change_server_type', onServer(s));
  s.typeName = to.name;
  return { status: 201, body: { action: renderAction(st, action) } };
}

function rescue(st: HetznerState, s: ServerRec, on: boolean): EmuResponse {
  const action = st.startAction(on ? 'enable_rescue' : 'disable_rescue', onServer(s), st.ctx.config.actionMs / 10);
  s.rescue = on;
  return { status: 201, body: on ? { action: renderAction(st, action), root_password: password(st) } : { action: renderAction(st, action) } };
}

function serverActions(st: HetznerState, req: EmuRequest, s: ServerRec): EmuResponse {
  return paginate('actions', [...st.actionsOf(s.id)].sort(byId), req.query, (a) => renderAction(st, a));
}

function serverAction(st: HetznerState, req: EmuRequest, s: ServerRec): EmuResponse {
  const id = idParam(req, 'action_id');
  if (isResponse(id)) return id;
  const a = st.actions.get(id);
  const mine = a?.resources.some((r) => r.type === 'server' && r.id === s.id);
  return a && mine ? { status: 200, body: { action: renderAction(st, a) } } : notFound(`action with ID ${id}`);
}

function renderPrimaryIp(st: HetznerState, s: ServerRec, type: 'ipv4' | 'ipv6') {
  const loc = locationByName(s.location)!;
  const ip = addresses(s.id)[type];
  return {
    id: primaryIpId(s, type),
    name: primaryIpName({ server: s, type }),
    labels: {},
    created: st.ctx.clock.iso(s.createdAt),
    blocked: false,
    datacenter: { id: loc.datacenter.id, name: loc.datacenter.name, description: loc.datacenter.description, location: renderLocation(loc), server_types: { supported: [], available: [], available_for_migration: [] } },
    location: renderLocation(loc),
    ip,
    dns_ptr: type === 'ipv4' ? [{ ip, dns_ptr: `static.${ip.split('.').reverse().join('.')}.clients.your-server.de` }] : [],
    assignee_id: s.id,
    assignee_type: 'server',
    auto_delete: true,
    protection: { delete: false },
    type,
  };
}

type PrimaryIp = { server: ServerRec; type: 'ipv4' | 'ipv6' };

function primaryIps(st: HetznerState): PrimaryIp[] {
  return sortedValues(st.servers, byId).flatMap((s): PrimaryIp[] => [{ server: s, type: 'ipv4' }, { server: s, type: 'ipv6' }]);
}

const primaryIpName = (p: PrimaryIp) => `primary_ip-${primaryIpId(p.server, p.type)}`;

export function registerServerActions(router: Router, st: HetznerState): void {
  router.on('PUT', '/v1/servers/:id', (req) => withServer(st, req, (s) => update(st, req, s)));
  router.on('GET', '/v1/servers/:id/actions', (req) => withServer(st, req, (s) => serverActions(st, req, s)));
  router.on('GET', '/v1/servers/:id/actions/:action_id', (req) => withServer(st, req, (s) => serverAction(st, req, s)));
  router.on('POST', '/v1/servers/:id/actions/rebuild', (req) => withServer(st, req, (s) => rebuild(st, req, s)));
  router.on('POST', '/v1/servers/:id/actions/change_type', (req) => withServer(st, req, (s) => changeType(st, req, s)));
  router.on('POST', '/v1/servers/:id/actions/enable_rescue', (req) => withServer(st, req, (s) => rescue(st, s, true)));
  router.on('POST', '/v1/servers/:id/actions/disable_rescue', (req) => withServer(st, req, (s) => rescue(st, s, false)));
  router.on('GET', '/v1/primary_ips', (req) => {
    const name = req.query.get('name');
    const ip = req.query.get('ip');
    const list = primaryIps(st).filter((p) => (name === null || primaryIpName(p) === name) && (ip === null || addresses(p.server.id)[p.type] === ip));
    return paginate('primary_ips', list, req.query, (p) => renderPrimaryIp(st, p.server, p.type));
  });
  router.on('GET', '/v1/primary_ips/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    const found = primaryIps(st).find((p) => primaryIpId(p.server, p.type) === id);
    return found ? { status: 200, body: { primary_ip: renderPrimaryIp(st, found.server, found.type) } } : notFound(`primary_ip with ID ${id}`);
  });
}
