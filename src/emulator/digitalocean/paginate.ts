import type { EmuRequest, EmuResponse } from '../engine/types.js';

/**
 * DigitalOcean's page/per_page pagination: `links.pages` holds absolute first/prev/next/last
 * URLs (only those that apply) and `meta.total` the count. Links point back at the emulator.
 */
export function paginate(req: EmuRequest, key: string, items: unknown[], extra: Record<string, unknown> = {}): EmuResponse {
  const perPage = Math.min(200, Math.max(1, intParam(req, 'per_page', 20)));
  const page = Math.max(1, intParam(req, 'page', 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const url = (n: number): string => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(n));
    q.set('per_page', String(perPage));
    return `http://${req.headers.host ?? '127.0.0.1'}${req.path}?${q.toString()}`;
  };
  const pages: Record<string, string> = {};
  if (page > 1) {
    pages.first = url(1);
    pages.prev = url(Math.min(page - 1, last));
  }
  if (page < last) {
    pages.next = url(page + 1);
    pages.last = url(last);
  }
  return {
    status: 200,
    body: { [key]: items.slice((page - 1) * perPage, page * perPage), ...extra, links: { pages }, meta: { total: items.length } },
  };
}

function intParam(req: EmuRequest, name: string, fallback: number): number {
  const v = Number(req.query.get(name));
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
