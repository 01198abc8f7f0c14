import { pageOf } from '../engine/paginate.js';
import type { EmuRequest, EmuResponse } from '../engine/types.js';

/**
 * One page of a DigitalOcean list, cut by the engine's `pageOf` before rendering (so a page costs
 * the same at any list size): `links.pages` holds absolute first/prev/next/last URLs back at the
 * emulator (only those that apply) and `meta.total` the count, as in ./paginate.ts.
 */
export function listPage<T>(req: EmuRequest, key: string, all: readonly T[], render: (item: T) => unknown): EmuResponse {
  const p = pageOf(all, req.query, { defaultPerPage: 20, maxPerPage: 200 });
  const url = (n: number): string => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(n));
    q.set('per_page', String(p.perPage));
    return `http://${req.headers.host ?? '127.0.0.1'}${req.path}?${q.toString()}`;
  };
  const pages: Record<string, string> = {};
  if (p.page > 1) {
    pages.first = url(1);
    pages.prev = url(Math.min(p.page - 1, p.lastPage));
  }
  if (p.page < p.lastPage) {
    pages.next = url(p.page + 1);
    pages.last = url(p.lastPage);
  }
  return { status: 200, body: { [key]: p.items.map(render), links: { pages }, meta: { total: p.total } } };
}
