/** Events, images (captured from disks), profile SSH keys, the profile and the catalog. */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { badField, lnError, notFound } from './errors.js';
import { IMAGES, REGIONS, TYPES } from './seed.js';
import type { LinodeState } from './state.js';
import { allImages, eventWire, pageOf, privateImageWire, publicImageWire, regionWire, sshKeyWire, typeWire } from './wire.js';

const KEY_RE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)\s+[A-Za-z0-9+/]+={0,3}(\s.*)?$/;


/** The seeded catalog never changes: rendered once. */
const TYPES_WIRE = TYPES.map(typeWire);
const REGIONS_WIRE = REGIONS.map(regionWire);

export function registerResources(router: Router, st: LinodeState): void {
  const acc = (req: EmuRequest) => st.account(req.token);

  // events, newest first as Linode lists them
  router.on('GET', '/v4/account/events', (req) => pageOf(req, [...acc(req).events].reverse(), (e) => eventWire(st, e)));
  router.on('GET', '/v4/account/events/:id', (req) => {
    const e = acc(req).events.find((x) => String(x.id) === req.params.id);
    return e ? { status: 200, body: eventWire(st, e) } : notFound();
  });

  // images
  router.on('GET', '/v4/images', (req) => pageOf(req, allImages(st, acc(req).images.values())));
  const getImage = (id: string, req: EmuRequest): EmuResponse => {
    const pub = IMAGES.find((i) => i.id === id);
    if (pub) return { status: 200, body: publicImageWire(pub) };
    const own = acc(req).images.get(id);
    return own ? { status: 200, body: privateImageWire(st, own) } : notFound();
  };
  const deleteImage = (id: string, req: EmuRequest): EmuResponse => {
    const a = acc(req);
    if (!a.images.has(id)) return notFound();
    a.images.delete(id);
    return { status: 200, body: {} };
  };
  // Clients send "private/12" encoded ("private%2F12") or not; both reach the image.
  router.on('GET', '/v4/images/:id', (req) => getImage(req.params.id!, req));
  router.on('GET', '/v4/images/:ns/:n', (req) => getImage(`${req.params.ns}/${req.params.n}`, req));
  router.on('DELETE', '/v4/images/:id', (req) => deleteImage(req.params.id!, req));
  router.on('DELETE', '/v4/images/:ns/:n', (req) => deleteImage(`${req.params.ns}/${req.params.n}`, req));
  router.on('POST', '/v4/images', (req) => {
    const a = acc(req);
    const b = req.body ?? {};
    if (typeof b.disk_id !== 'number') return badField('disk_id', 'disk_id is required');
    const linode = [...a.linodes.values()].find((l) => l.disks.some((d) => d.id === b.disk_id));
    if (!linode) return lnError(404, 'Not found', 'disk_id');
    if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((t: unknown) => typeof t !== 'string' || t.length < 3 || t.length > 50))) return badField('tags', 'Tags must be 3-50 characters');
    const disk = linode.disks.find((d) => d.id === b.disk_id)!;
    const now = st.now();
    const id = `private/${st.id()}`;
    const img = {
      id,
      label: typeof b.label === 'string' && b.label ? b.label : disk.label,
      description: typeof b.description === 'string' ? b.description : '',
      created: now,
      readyAt: now + st.ctx.config.actionMs * 3,
      size: Math.ceil(disk.size / 4),
      tags: [...new Set<string>(b.tags ?? [])],
    };
    a.images.set(id, img);
    st.event(a, 'disk_imagize', { id: linode.id, type: 'linode', label: linode.label, url: `/v4/linode/instances/${linode.id}` }, st.ctx.config.actionMs * 3);
    return { status: 200, body: privateImageWire(st, img) };
  });

  // profile and its SSH keys
  router.on('GET', '/v4/profile', () => ({
    status: 200,
    body: {
      uid: 1234,
      username: 'ferry-emulated',
      email: 'ferry@example.com',
      timezone: 'UTC',
      email_notifications: false,
      ip_whitelist_enabled: false,
      lish_auth_method: 'keys_only',
      authorized_keys: null,
      two_factor_auth: false,
      restricted: false,
      authentication_type: 'password',
    },
  }));
  router.on('GET', '/v4/profile/sshkeys', (req) => pageOf(req, [...acc(req).sshKeys.values()], sshKeyWire));
  router.on('POST', '/v4/profile/sshkeys', (req) => {
    const b = req.body ?? {};
    if (typeof b.ssh_key !== 'string' || !KEY_RE.test(b.ssh_key.trim())) return badField('ssh_key', 'SSH key is not valid');
    const k = { id: st.id(), label: typeof b.label === 'string' ? b.label : '', ssh_key: b.ssh_key.trim(), created: st.now() };
    acc(req).sshKeys.set(k.id, k);
    return { status: 200, body: sshKeyWire(k) };
  });
  router.on('DELETE', '/v4/profile/sshkeys/:id', (req) => (acc(req).sshKeys.delete(Number(req.params.id)) ? { status: 200, body: {} } : notFound()));

  // catalog (public in the real API; the emulator asks for a token like everything else)
  router.on('GET', '/v4/linode/types', (req) => pageOf(req, TYPES_WIRE));
  router.on('GET', '/v4/linode/types/:id', (req) => {
    const t = TYPES.find((x) => x.id === req.params.id);
    return t ? { status: 200, body: typeWire(t) } : notFound();
  });
  router.on('GET', '/v4/regions', (req) => pageOf(req, REGIONS_WIRE));
  router.on('GET', '/v4/regions/:id', (req) => {
    const r = REGIONS.find((x) => x.id === req.params.id);
    return r ? { status: 200, body: regionWire(r) } : notFound();
  });
}
