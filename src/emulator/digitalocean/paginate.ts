import { pageOf } from '../engine/paginate.js';
import type { EmuRequest, EmuResponse } from '../engine/types.js';

/**
 * DigitalOcean's page/per_page pagination (default 20, at most 200): only the page's records are
 * rendered; `links.pages` holds absolute first/prev/next/last URLs (only those that apply) and
 * `meta.total` the count. Links point back at the emulator.
 */
export function paginate<T>(req: EmuRequest, key: string, records: readonly T[], render: (r: T) => unknown, extra: Record<string, unknown> = {}): EmuResponse {
  const { items, page, perPage, total, lastPage: last } = pageOf(records, req.query, { defaultPerPage: 20, maxPerPage: 200 });
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
  return { status: 200, body: { [key]: items.map(render), ...extra, links: { pages }, meta: { total } } };
}
