/** /volumes: block volumes in a location, attached to one server of that location at a time. */
import { sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { hcError, invalidInput, notFound, uniqueness } from './errors.js';
import { invalidLabel } from './labels.js';
import { paginate } from './paginate.js';
import { bodyObject, byId, filterByNameAndLabels, idParam, isResponse, validName } from './request.js';
import { SEED_LOCATIONS } from './seed.js';
import type { HetznerState, Labels, VolumeRec } from './state.js';
import { renderAction, renderVolume, volumeStatus } from './wire.js';

const FORMATS = new Set(['ext4', 'xfs']);

function createVolume(st: HetznerState, req: EmuRequest): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  if (!validName(body.name)) return invalidInput('name', 'is invalid');
  if ([...st.volumes.values()].some((v) => v.name === body.name)) return uniqueness('name');
  if (typeof body.size !== 'number' || !Number.isInteger(body.size) || body.size < 10 || body.size > 10240) {
    return invalidInput('size', 'must be a whole number of GB between 10 and 10240');
  }
  if (body.format !== undefined && (typeof body.format !== 'string' || !FORMATS.has(body.format))) return invalidInput('format', 'must be ext4 or xfs');
  const badLabel = invalidLabel(body.labels);
  if (badLabel) return invalidInput('labels', badLabel);
  let location: string;
  let server: number | null = null;
  if (body.server !== undefined) {
    const s = st.servers.get(Number(body.server));
    if (!s) return invalidInput('server', 'server not found');
    if (body.location !== undefined && body.location !== s.location) return invalidInput('location', 'must be the server\'s location');
    location = s.location;
    server = s.id;
  } else {
    const l = SEED_LOCATIONS.find((x) => x.name === body.location || String(x.id) === String(body.location));
    if (!l) return invalidInput('location', 'location or server is required');
    location = l.name;
  }
  const now = st.now();
  const id = st.nextId('volume');
  const action = st.startAction('create_volume', [{ id, type: 'volume' }], st.ctx.config.actionMs, now);
  const rec: VolumeRec = {
    id,
    name: body.name,
    size: body.size,
    location,
    server,
    format: (body.format as string | undefined) ?? null,
    labels: { ...((body.labels as Labels | undefined) ?? {}) },
    createdAt: now,
    readyAt: now + action.durationMs,
  };
  st.volumes.set(id, rec);
  // The attach runs after the volume is initialised: started with the create, lasting until after it.
  const next = server === null ? [] : [st.startAction('attach_volume', [{ id, type: 'volume' }, { id: server, type: 'server' }], action.durationMs * 1.5, now)];
  return { status: 201, body: { volume: renderVolume(st, rec), action: renderAction(st, action), next_actions: next.map((a) => renderAction(st, a)) } };
}

function withVolume(st: HetznerState, req: EmuRequest, then: (v: VolumeRec) => EmuResponse): EmuResponse {
  const id = idParam(req);
  if (isResponse(id)) return id;
  const v = st.volumes.get(id);
  return v ? then(v) : notFound(`volume with ID ${id}`);
}

function attach(st: HetznerState, req: EmuRequest, v: VolumeRec): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  const s = st.servers.get(Number(body.server));
  if (!s) return invalidInput('server', 'server not found');
  if (st.now() < v.readyAt) return hcError(423, 'locked', 'volume is still being created');
  if (v.server !== null) return hcError(422, 'volume_already_attached', `volume ${v.id} is already attached to server ${v.server}`);
  if (s.location !== v.location) return hcError(422, 'invalid_input', 'volume and server must be in the same location');
  v.server = s.id;
  const action = st.startAction('attach_volume', [{ id: v.id, type: 'volume' }, { id: s.id, type: 'server' }]);
  return { status: 201, body: { action: renderAction(st, action) } };
}

function detach(st: HetznerState, v: VolumeRec): EmuResponse {
  if (v.server === null) return hcError(422, 'invalid_input', `volume ${v.id} is not attached`);
  const server = v.server;
  v.server = null;
  const action = st.startAction('detach_volume', [{ id: v.id, type: 'volume' }, { id: server, type: 'server' }]);
  return { status: 201, body: { action: renderAction(st, action) } };
}

/** "The Volume must not be attached to a Server." */
function remove(st: HetznerState, v: VolumeRec): EmuResponse {
  if (v.server !== null) return hcError(422, 'resource_in_use', `volume ${v.id} is attached to server ${v.server}; detach it first`);
  st.volumes.delete(v.id);
  return { status: 204 };
}

export function registerVolumes(router: Router, st: HetznerState): void {
  router.on('GET', '/v1/volumes', (req) => {
    const filtered = filterByNameAndLabels(sortedValues(st.volumes, byId), req.query);
    if (isResponse(filtered)) return filtered;
    const statuses = req.query.getAll('status');
    const matching = statuses.length === 0 ? filtered : filtered.filter((v) => statuses.includes(volumeStatus(st, v)));
    return paginate('volumes', matching, req.query, (v) => renderVolume(st, v));
  });
  router.on('POST', '/v1/volumes', (req) => createVolume(st, req));
  router.on('GET', '/v1/volumes/:id', (req) => withVolume(st, req, (v) => ({ status: 200, body: { volume: renderVolume(st, v) } })));
  router.on('DELETE', '/v1/volumes/:id', (req) => withVolume(st, req, (v) => remove(st, v)));
  router.on('POST', '/v1/volumes/:id/actions/attach', (req) => withVolume(st, req, (v) => attach(st, req, v)));
  router.on('POST', '/v1/volumes/:id/actions/detach', (req) => withVolume(st, req, (v) => detach(st, v)));
}
