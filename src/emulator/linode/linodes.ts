/** /v4/linode/instances: create (async provisioning → booting → running), read, list, delete, power, disks. */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { badField, lnError, notFound } from './errors.js';
import { IMAGES, REGIONS, TYPES } from './seed.js';
import type { Account, Linode, LinodeState } from './state.js';
import { linodeWire, pageOf } from './wire.js';

const LABEL_RE = /^[a-zA-Z](?!.*(--|__|\.\.))[a-zA-Z0-9-_.]{2,63}$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const KEY_RE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)\s+[A-Za-z0-9+/]+={0,3}(\s.*)?$/;

export function linodeById(a: Account, req: EmuRequest, param = 'id'): Linode | EmuResponse {
  const raw = req.params[param] ?? '';
  const l = /^\d{1,16}$/.test(raw) ? a.linodes.get(Number(raw)) : undefined;
  return l ?? notFound();
}

const isResponse = (x: unknown): x is EmuResponse => typeof x === 'object' && x !== null && 'status' in x && !('id' in x);

/** The request body's problems, field by field, as Linode names them. */
function validateCreate(st: LinodeState, a: Account, b: Record<string, unknown>): EmuResponse | undefined {
  if (typeof b.region !== 'string' || !b.region) return badField('region', 'region is required');
  if (!REGIONS.some((r) => r.id === b.region)) return badField('region', 'region is not valid');
  if (typeof b.type !== 'string' || !b.type) return badField('type', 'type is required');
  const type = TYPES.find((t) => t.id === b.type);
  if (!type) return badField('type', 'A valid plan type by that ID was not found');
  const region = REGIONS.find((r) => r.id === b.region)!;
  if (type.gpus > 0 && !region.capabilities.includes('GPU Linodes')) return badField('type', 'GPU Linodes are not available in this region');
  if (b.label !== undefined && (typeof b.label !== 'string' || !LABEL_RE.test(b.label))) {
    return badField('label', 'Label must begin and end with a letter or number, 3-64 characters, with no -- __ or ..');
  }
  if (b.image !== undefined && b.image !== null) {
    const known = IMAGES.some((i) => i.id === b.image) || (typeof b.image === 'string' && a.images.get(b.image)?.readyAt !== undefined && st.now() >= a.images.get(b.image)!.readyAt);
    if (!known) return badField('image', 'image is not valid');
    if (typeof b.root_pass !== 'string' || b.root_pass.length < 7 || b.root_pass.length > 128) return badField('root_pass', 'root_pass is required when deploying an image and must be 7-128 characters');
  }
  if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((t) => typeof t !== 'string' || t.length < 3 || t.length > 50))) {
    return badField('tags', 'Tags must be 3-50 characters');
  }
  if (b.authorized_keys !== undefined && b.authorized_keys !== null && (!Array.isArray(b.authorized_keys) || b.authorized_keys.some((k) => typeof k !== 'string' || !KEY_RE.test(k.trim())))) {
    return badField('authorized_keys', 'SSH key is not valid');
  }
  const md = b.metadata as { user_data?: unknown } | null | undefined;
  if (md && md.user_data !== undefined && md.user_data !== null && (typeof md.user_data !== 'string' || !BASE64_RE.test(md.user_data))) {
    return badField('metadata.user_data', 'user_data must be base64-encoded');
  }
  if (b.firewall_id !== undefined && b.firewall_id !== null && !a.firewalls.has(Number(b.firewall_id))) return badField('firewall_id', 'Firewall not found');
  return undefined;
}

export function registerLinodes(router: Router, st: LinodeState): void {
  const acc = (req: EmuRequest) => st.account(req.token);

  router.on('GET', '/v4/linode/instances', (req) => pageOf(req, [...acc(req).linodes.values()], (l) => linodeWire(st, l)));

  router.on('GET', '/v4/linode/instances/:id', (req) => {
    const l = linodeById(acc(req), req);
    return isResponse(l) ? l : { status: 200, body: linodeWire(st, l) };
  });

  router.on('POST', '/v4/linode/instances', (req) => {
    const a = acc(req);
    const b = req.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) return lnError(400, 'Request body must be a JSON object');
    const bad = validateCreate(st, a, b);
    if (bad) return bad;
    if (st.ctx.faults.quota(b.region, b.type)) return lnError(400, 'Account limit reached: the maximum number of Linodes for this account has been reached');
    if (st.ctx.faults.capacity(b.region, b.type)) return badField('type', `Linode type ${b.type} is currently not available in ${b.region} (out of stock)`);
    const now = st.now();
    const id = st.id();
    const booted = b.booted !== false;
    const { bootMs } = st.ctx.config;
    const type = TYPES.find((t) => t.id === b.type)!;
    const disks = b.image
      ? [
          { id: st.id(), label: `${IMAGES.find((i) => i.id === b.image)?.label ?? 'Image'} Disk`, filesystem: 'ext4', size: type.disk - 512, created: now },
          { id: st.id(), label: '512 MB Swap Image', filesystem: 'swap', size: 512, created: now },
        ]
      : [];
    const l: Linode = {
      id,
      label: typeof b.label === 'string' ? b.label : `linode${id}`,
      region: b.region,
      type: b.type,
      image: b.image ?? null,
      tags: [...new Set<string>(b.tags ?? [])],
      created: now,
      updated: now,
      ipv4: [st.ipv4For(id)],
      ipv6: `2600:3c00::f03c:91ff:fe${(id % 256).toString(16).padStart(2, '0')}:${(id & 0xffff).toString(16)}/128`,
      timeline: booted ? [{ status: 'provisioning', until: now + bootMs / 2 }, { status: 'booting', until: now + bootMs }] : [{ status: 'provisioning', until: now + bootMs / 2 }],
      settled: booted ? 'running' : 'offline',
      hasUserData: Boolean(b.metadata?.user_data),
      disks,
    };
    a.linodes.set(id, l);
    const entity = { id, type: 'linode', label: l.label, url: `/v4/linode/instances/${id}` };
    st.event(a, 'linode_create', entity, bootMs / 2);
    if (booted) st.event(a, 'linode_boot', entity, bootMs);
    if (b.firewall_id) a.firewalls.get(Number(b.firewall_id))?.devices.push(id);
    return { status: 200, body: linodeWire(st, l) };
  });

  router.on('DELETE', '/v4/linode/instances/:id', (req) => {
    const a = acc(req);
    const l = linodeById(a, req);
    if (isResponse(l)) return l;
    a.linodes.delete(l.id);
    for (const v of a.volumes.values()) if (v.linodeId === l.id) v.linodeId = null;
    for (const f of a.firewalls.values()) f.devices = f.devices.filter((d) => d !== l.id);
    st.event(a, 'linode_delete', { id: l.id, type: 'linode', label: l.label, url: `/v4/linode/instances/${l.id}` }, 0);
    return { status: 200, body: {} };
  });

  const power = (action: 'boot' | 'shutdown' | 'reboot', during: string, after: string) =>
    router.on('POST', `/v4/linode/instances/:id/${action}`, (req) => {
      const a = acc(req);
      const l = linodeById(a, req);
      if (isResponse(l)) return l;
      const status = st.statusOf(l);
      if (status !== 'running' && status !== 'offline') return lnError(400, `Linode busy (${status}).`);
      const now = st.now();
      const ms = st.ctx.config.actionMs;
      l.timeline = [{ status: during, until: now + ms }];
      l.settled = after;
      l.updated = now;
      st.event(a, `linode_${action}`, { id: l.id, type: 'linode', label: l.label, url: `/v4/linode/instances/${l.id}` }, ms);
      return { status: 200, body: {} };
    });
  power('boot', 'booting', 'running');
  power('shutdown', 'shutting_down', 'offline');
  power('reboot', 'rebooting', 'running');

  router.on('GET', '/v4/linode/instances/:id/disks', (req) => {
    const l = linodeById(acc(req), req);
    if (isResponse(l)) return l;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const disks = l.disks.map((d) => ({ id: d.id, label: d.label, filesystem: d.filesystem, size: d.size, status: 'ready', created: iso(d.created), updated: iso(d.created) }));
    return pageOf(req, disks);
  });
}
