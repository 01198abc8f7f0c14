/** /servers: list with label selectors, create (with its actions), get, delete, create_image. */
import { sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { hcError, invalidInput, notFound, uniqueness } from './errors.js';
import { invalidLabel } from './labels.js';
import { paginate } from './paginate.js';
import { bodyObject, byId, filterByNameAndLabels, idParam, isResponse } from './request.js';
import { SEED_IMAGES, SEED_LOCATIONS, SEED_SERVER_TYPES, type SeedServerType } from './seed.js';
import type { HetznerState, Labels, ServerRec } from './state.js';
import { addresses, renderAction, renderServer, renderSnapshot } from './wire.js';

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const USER_DATA_MAX = 32 * 1024;

export function findType(ref: unknown): SeedServerType | undefined {
  return SEED_SERVER_TYPES.find((t) => t.name === ref || String(t.id) === String(ref));
}

function findLocation(body: Record<string, unknown>, type: SeedServerType): string | EmuResponse {
  if (body.location !== undefined) {
    const l = SEED_LOCATIONS.find((x) => x.name === body.location || String(x.id) === String(body.location));
    return l ? l.name : invalidInput('location', 'location not found');
  }
  if (body.datacenter !== undefined) {
    const l = SEED_LOCATIONS.find((x) => x.datacenter.name === body.datacenter || String(x.datacenter.id) === String(body.datacenter));
    return l ? l.name : invalidInput('datacenter', 'datacenter not found');
  }
  return type.locations[0]!;
}

/** A system image by name or id for the type's architecture, or a snapshot by id. */
export function findImage(st: HetznerState, ref: unknown, type: SeedServerType): { id: number } | EmuResponse {
  if (typeof ref !== 'string' || !ref) return invalidInput('image', 'is required');
  const system = SEED_IMAGES.filter((i) => i.name === ref || String(i.id) === ref);
  if (system.length) {
    const fit = system.find((i) => i.architecture === type.architecture);
    return fit ? { id: fit.id } : hcError(422, 'invalid_input', `image ${ref} is not available for architecture ${type.architecture}`);
  }
  const snap = /^\d+$/.test(ref) ? st.snapshots.get(Number(ref)) : undefined;
  if (!snap) return invalidInput('image', 'image not found');
  if (snap.architecture !== type.architecture) return hcError(422, 'invalid_input', `image ${ref} is not available for architecture ${type.architecture}`);
  if (st.now() < snap.readyAt) return hcError(423, 'locked', `image ${ref} is still being created`);
  return { id: snap.id };
}

function findSshKeys(st: HetznerState, refs: unknown): number[] | EmuResponse {
  if (refs === undefined) return [];
  if (!Array.isArray(refs)) return invalidInput('ssh_keys', 'must be an array');
  const ids: number[] = [];
  for (const ref of refs) {
    const key = [...st.sshKeys.values()].find((k) => String(k.id) === String(ref) || k.name === ref);
    if (!key) return invalidInput('ssh_keys', `ssh key ${String(ref)} not found`);
    ids.push(key.id);
  }
  return ids;
}

function createServer(st: HetznerState, req: EmuRequest): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  if (typeof body.name !== 'string' || !HOSTNAME.test(body.name)) return invalidInput('name', 'must be a valid hostname (RFC 1123)');
  if (st.findServerByName(body.name)) return uniqueness('name');
  const type = findType(body.server_type);
  if (!type) return invalidInput('server_type', 'server type not found');
  const location = findLocation(body, type);
  if (typeof location !== 'string') return location;
  if (!type.locations.includes(location)) return hcError(400, 'invalid_input', 'unsupported location for server type');
  const image = findImage(st, body.image, type);
  if (isResponse(image)) return image;
  const keys = findSshKeys(st, body.ssh_keys);
  if (isResponse(keys)) return keys;
  const badLabel = invalidLabel(body.labels);
  if (badLabel) return invalidInput('labels', badLabel);
  if (body.user_data !== undefined && (typeof body.user_data !== 'string' || Buffer.byteLength(body.user_data) > USER_DATA_MAX)) {
    return invalidInput('user_data', 'must be a string of at most 32 KiB');
  }
  if (st.ctx.faults.quota(location, type.name)) {
    return hcError(403, 'resource_limit_exceeded', 'server limit exceeded', { limits: [{ name: 'server_limit' }] });
  }
  if (st.ctx.faults.capacity(location, type.name)) {
    return hcError(412, 'resource_unavailable', `server type ${type.name} is unavailable in location ${location}`);
  }

  const now = st.now();
  const rec: ServerRec = {
    id: st.nextId('server'),
    name: body.name,
    typeName: type.name,
    location,
    imageId: image.id,
    labels: { ...((body.labels as Labels | undefined) ?? {}) },
    createdAt: now,
    startAfterCreate: body.start_after_create !== false,
    sshKeys: keys,
    userData: (body.user_data as string | undefined) ?? null,
  };
  st.servers.set(rec.id, rec);
  const resources = [{ id: rec.id, type: 'server' }];
  const createMs = st.ctx.config.bootMs / 2;
  const action = st.startAction('create_server', resources, createMs, now);
  const next = rec.startAfterCreate ? [st.startAction('start_server', resources, st.ctx.config.bootMs, now)] : [];
  const rootPassword = keys.length ? null : `emu-${Math.floor(st.ctx.random() * 1e12).toString(36)}`;
  const authorizedKeys = keys.map((k) => st.sshKeys.get(k)?.publicKey ?? '').filter(Boolean);
  st.ctx.ssh?.register({ ip: addresses(rec.id).ipv4, authorizedKeys, ...(rootPassword ? { password: rootPassword } : {}), userData: rec.userData, bootedAtMs: now + st.ctx.config.bootMs, hostname: rec.name });
  return {
    status: 201,
    body: {
      server: renderServer(st, rec),
      action: renderAction(st, action),
      next_actions: next.map((a) => renderAction(st, a)),
      root_password: rootPassword,
    },
  };
}

function listServers(st: HetznerState, req: EmuRequest): EmuResponse {
  const filtered = filterByNameAndLabels(sortedValues(st.servers, byId), req.query);
  if (isResponse(filtered)) return filtered;
  const statuses = req.query.getAll('status');
  const matching = statuses.length === 0 ? filtered : filtered.filter((s) => statuses.includes(st.serverStatus(s)));
  return paginate('servers', matching, req.query, (s) => renderServer(st, s));
}

export function withServer(st: HetznerState, req: EmuRequest, then: (s: ServerRec) => EmuResponse): EmuResponse {
  const id = idParam(req);
  if (isResponse(id)) return id;
  const s = st.servers.get(id);
  return s ? then(s) : notFound(`server with ID ${id}`);
}

/** Deleting removes the server at once ("This immediately removes the Server"); its volumes are detached. */
function deleteServer(st: HetznerState, s: ServerRec): EmuResponse {
  st.servers.delete(s.id);
  st.ctx.ssh?.unregister(addresses(s.id).ipv4);
  for (const v of st.volumes.values()) if (v.server === s.id) v.server = null;
  const action = st.startAction('delete_server', [{ id: s.id, type: 'server' }]);
  return { status: 200, body: { action: renderAction(st, action) } };
}

function createImage(st: HetznerState, req: EmuRequest, s: ServerRec): EmuResponse {
  const body = req.body === undefined ? {} : bodyObject(req);
  if (isResponse(body)) return body;
  const type = body.type ?? 'snapshot';
  if (type === 'backup') return hcError(422, 'unsupported_error', 'backups are not enabled for this server');
  if (type !== 'snapshot') return invalidInput('type', 'must be snapshot or backup');
  if (body.description !== undefined && typeof body.description !== 'string') return invalidInput('description', 'must be a string');
  const badLabel = invalidLabel(body.labels);
  if (badLabel) return invalidInput('labels', badLabel);
  const serverType = SEED_SERVER_TYPES.find((t) => t.name === s.typeName)!;
  const source = SEED_IMAGES.find((i) => i.id === s.imageId) ?? st.snapshots.get(s.imageId);
  const now = st.now();
  const id = st.nextId('image');
  const action = st.startAction('create_image', [{ id: s.id, type: 'server' }, { id, type: 'image' }], st.ctx.config.actionMs, now);
  const snap = {
    id,
    description: (body.description as string | undefined) ?? `${s.name}-${st.ctx.clock.iso(now)}`,
    labels: { ...((body.labels as Labels | undefined) ?? {}) },
    createdAt: now,
    readyAt: now + action.durationMs,
    architecture: serverType.architecture,
    diskSize: serverType.disk,
    imageSize: Math.round((1.2 + st.ctx.random() * 2) * 100) / 100,
    createdFrom: { id: s.id, name: s.name },
    osFlavor: source && 'os_flavor' in source ? source.os_flavor : (source?.osFlavor ?? 'unknown'),
    osVersion: source && 'os_version' in source ? source.os_version : (source?.osVersion ?? null),
  };
  st.snapshots.set(id, snap);
  return { status: 201, body: { image: renderSnapshot(st, snap), action: renderAction(st, action) } };
}

/** Power actions (poweron, poweroff, shutdown, reboot, reset): the server changes state when the action finishes. */
const POWER_ACTIONS: Record<string, { command: string; to: 'on' | 'off' }> = {
  poweron: { command: 'start_server', to: 'on' },
  poweroff: { command: 'stop_server', to: 'off' },
  shutdown: { command: 'shutdown_server', to: 'off' },
  reboot: { command: 'reboot_server', to: 'on' },
  reset: { command: 'reset_server', to: 'on' },
};

function powerAction(st: HetznerState, s: ServerRec, kind: string): EmuResponse {
  const p = POWER_ACTIONS[kind]!;
  const action = st.startAction(p.command, [{ id: s.id, type: 'server' }]);
  s.power = { to: p.to, until: action.startedAt + action.durationMs };
  return { status: 201, body: { action: renderAction(st, action) } };
}

export function registerServers(router: Router, st: HetznerState): void {
  router.on('GET', '/v1/servers', (req) => listServers(st, req));
  router.on('POST', '/v1/servers', (req) => createServer(st, req));
  router.on('GET', '/v1/servers/:id', (req) => withServer(st, req, (s) => ({ status: 200, body: { server: renderServer(st, s) } })));
  router.on('DELETE', '/v1/servers/:id', (req) => withServer(st, req, (s) => deleteServer(st, s)));
  router.on('POST', '/v1/servers/:id/actions/create_image', (req) => withServer(st, req, (s) => createImage(st, req, s)));
  for (const kind of Object.keys(POWER_ACTIONS)) {
    router.on('POST', `/v1/servers/:id/actions/${kind}`, (req) => withServer(st, req, (s) => powerAction(st, s, kind)));
  }
}
