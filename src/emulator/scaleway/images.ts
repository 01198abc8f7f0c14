/**
 * Marketplace (v2) images and their per-zone local images, plus the Instance API's own images
 * (made by the backup action). Local image ids are stable: derived from label, zone, arch and type.
 */
import { createHash } from 'node:crypto';
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { INSTANCE_ZONES, MARKETPLACE_IMAGES, SERVER_TYPES } from './catalog.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound } from './errors.js';
import { hasTags, instancePage, modernPage } from './paginate.js';
import { renderImage } from './render.js';
import type { ScalewayState } from './state.js';

export interface LocalImage {
  id: string;
  label: string;
  name: string;
  zone: string;
  arch: 'x86_64' | 'arm64';
  type: 'instance_sbs' | 'instance_local';
  compatible: string[];
}

function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const LOCAL_IMAGES: LocalImage[] = MARKETPLACE_IMAGES.flatMap((img) =>
  INSTANCE_ZONES.flatMap((zone) =>
    (['x86_64', 'arm64'] as const).flatMap((arch) =>
      (['instance_sbs', 'instance_local'] as const).map((type) => ({
        id: stableUuid(`${img.label}/${zone}/${arch}/${type}`),
        label: img.label,
        name: img.name,
        zone,
        arch,
        type,
        compatible: SERVER_TYPES.filter((t) => t.arch === arch && t.zones.includes(zone)).map((t) => t.name),
      })),
    ),
  ),
);

export function localImage(id: string): LocalImage | undefined {
  return LOCAL_IMAGES.find((i) => i.id === id);
}

function renderLocal(i: LocalImage) {
  return { id: i.id, compatible_commercial_types: i.compatible, arch: i.arch, zone: i.zone, label: i.label, type: i.type };
}

function listLocal(req: EmuRequest): EmuResponse {
  const q = req.query;
  const hits = LOCAL_IMAGES.filter(
    (i) =>
      (!q.get('image_label') || i.label === q.get('image_label')) &&
      (!q.get('zone') || i.zone === q.get('zone')) &&
      (!q.get('type') || i.type === q.get('type')) &&
      (!q.get('arch') || i.arch === q.get('arch')),
  );
  return modernPage('local_images', hits.map(renderLocal), q);
}

function listMarketplace(st: ScalewayState, req: EmuRequest): EmuResponse {
  const created = st.iso(Date.UTC(2024, 3, 25));
  const images = MARKETPLACE_IMAGES.map((i) => ({ id: i.id, name: i.name, description: i.name, logo: '', categories: ['distribution'], created_at: created, updated_at: created, valid_until: null, label: i.label }));
  return modernPage('images', images, req.query);
}

function zoneGuard(req: EmuRequest): EmuResponse | undefined {
  return INSTANCE_ZONES.includes(req.params.zone ?? '') ? undefined : invalidArguments('zone', `unknown zone; valid: ${INSTANCE_ZONES.join(', ')}`);
}

export function registerImages(router: Router, st: ScalewayState): void {
  router.on('GET', '/marketplace/v2/local-images', listLocal);
  router.on('GET', '/marketplace/v2/local-images/:id', (req) => {
    const i = localImage(req.params.id!);
    return i ? { status: 200, body: renderLocal(i) } : notFound('local_image', req.params.id!);
  });
  router.on('GET', '/marketplace/v2/images', (req) => listMarketplace(st, req));
  const base = '/instance/v1/zones/:zone/images';
  router.on('GET', base, (req) => {
    const bad = zoneGuard(req);
    if (bad) return bad;
    const name = req.query.get('name');
    const own = [...st.images.values()]
      .filter((i) => i.zone === req.params.zone && (!name || i.name.includes(name)) && hasTags(i.tags, req.query))
      .sort((a, b) => a.createdAt - b.createdAt);
    if (req.query.get('public') === 'true') return instancePage('images', [], req.query);
    return instancePage('images', own, req.query, (i) => renderImage(st, i));
  });
  const withImage = (req: EmuRequest, then: (id: string) => EmuResponse): EmuResponse => {
    const bad = zoneGuard(req) ?? badId('image_id', req.params.id!);
    if (bad) return bad;
    const img = st.images.get(req.params.id!);
    if (!img || img.zone !== req.params.zone) return notFound('instance_image', req.params.id!);
    return then(img.id);
  };
  router.on('GET', `${base}/:id`, (req) => withImage(req, (id) => ({ status: 200, body: { image: renderImage(st, st.images.get(id)!) } })));
  router.on('PATCH', `${base}/:id`, (req) =>
    withImage(req, (id) => {
      const body = bodyOf(req.body);
      if (isResponse(body)) return body;
      const img = st.images.get(id)!;
      if (body.tags !== undefined && body.tags !== null) {
        if (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== 'string')) return invalidArguments('tags', 'must be a list of strings');
        img.tags = body.tags as string[];
      }
      if (typeof body.name === 'string') img.name = body.name;
      return { status: 200, body: { image: renderImage(st, img) } };
    }),
  );
  router.on('DELETE', `${base}/:id`, (req) =>
    withImage(req, (id) => {
      // The snapshots behind an image outlive it, as on Scaleway: the caller deletes them.
      st.images.delete(id);
      return { status: 204 };
    }),
  );
}
