/** /images (system images and snapshots), /actions/{id} and /actions?id=… (several by id). */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { hcError, invalidInput, notFound } from './errors.js';
import { parseSelector } from './labels.js';
import { paginate } from './paginate.js';
import { idParam, isResponse } from './request.js';
import { SEED_IMAGES } from './seed.js';
import type { HetznerState, Labels } from './state.js';
import { renderAction, renderSnapshot, renderSystemImage, snapshotStatus } from './wire.js';

/** What the list filters read, without rendering: only the page's images are rendered. */
interface ImageEntry {
  id: number;
  type: string;
  status: string;
  name: string | null;
  architecture: string;
  labels: Labels;
  render(): unknown;
}

const SYSTEM: ImageEntry[] = SEED_IMAGES.map((i) => ({ id: i.id, type: 'system', status: 'available', name: i.name, architecture: i.architecture, labels: {}, render: () => renderSystemImage(i) }));

function allImages(st: HetznerState): ImageEntry[] {
  const snaps = [...st.snapshots.values()].map(
    (s): ImageEntry => ({ id: s.id, type: 'snapshot', status: snapshotStatus(st, s), name: null, architecture: s.architecture, labels: s.labels, render: () => renderSnapshot(st, s) }),
  );
  return [...SYSTEM, ...snaps].sort((a, b) => a.id - b.id);
}

function listImages(st: HetznerState, req: EmuRequest): EmuResponse {
  const q = req.query;
  const pred = parseSelector(q.get('label_selector'));
  if (typeof pred === 'string') return invalidInput('label_selector', pred);
  const types = q.getAll('type');
  const statuses = q.getAll('status');
  const name = q.get('name');
  const arch = q.get('architecture');
  const images = allImages(st).filter(
    (i) =>
      (types.length === 0 || types.includes(i.type)) &&
      (statuses.length === 0 || statuses.includes(i.status)) &&
      (name === null || i.name === name) &&
      (arch === null || i.architecture === arch) &&
      pred(i.labels),
  );
  return paginate('images', images, q, (i) => i.render());
}

function getImage(st: HetznerState, req: EmuRequest): EmuResponse {
  const id = idParam(req);
  if (isResponse(id)) return id;
  const img = allImages(st).find((i) => i.id === id);
  return img ? { status: 200, body: { image: img.render() } } : notFound(`image with ID ${id}`);
}

/** "Only Images of type snapshot and backup can be deleted." */
function deleteImage(st: HetznerState, req: EmuRequest): EmuResponse {
  const id = idParam(req);
  if (isResponse(id)) return id;
  if (SEED_IMAGES.some((i) => i.id === id)) return hcError(403, 'forbidden', 'system images cannot be deleted');
  if (!st.snapshots.delete(id)) return notFound(`image with ID ${id}`);
  return { status: 204 };
}

function getAction(st: HetznerState, req: EmuRequest): EmuResponse {
  const id = idParam(req);
  if (isResponse(id)) return id;
  const a = st.actions.get(id);
  return a ? { status: 200, body: { action: renderAction(st, a) } } : notFound(`action with ID ${id}`);
}

/**
 * GET /actions?id=1&id=2: the actions named, in id order, paginated; ids that name none are left out.
 * Listing every action of the project without ids was removed on 2025-01-30.
 */
function getActions(st: HetznerState, req: EmuRequest): EmuResponse {
  const raw = req.query.getAll('id');
  if (raw.length === 0) return invalidInput('id', 'Missing data for required field.');
  const ids = new Set<number>();
  for (const r of raw) {
    if (!/^\d+$/.test(r)) return invalidInput('id', 'Not a valid integer.');
    ids.add(Number(r));
  }
  const found = [...ids].sort((a, b) => a - b).flatMap((id) => st.actions.get(id) ?? []);
  return paginate('actions', found, req.query, (a) => renderAction(st, a));
}

export function registerImages(router: Router, st: HetznerState): void {
  router.on('GET', '/v1/images', (req) => listImages(st, req));
  router.on('GET', '/v1/images/:id', (req) => getImage(st, req));
  router.on('DELETE', '/v1/images/:id', (req) => deleteImage(st, req));
  router.on('GET', '/v1/actions/:id', (req) => getAction(st, req));
  router.on('GET', '/v1/actions', (req) => getActions(st, req));
}
