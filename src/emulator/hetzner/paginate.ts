/** Hetzner pagination: ?page=&per_page= (default 25, at most 50) → meta.pagination; only the page is rendered. */
import { isRefusal, pageOf, type EmuResponse } from '../engine/index.js';
import { invalidInput } from './errors.js';

const DEFAULT_PER_PAGE = 25;
const MAX_PER_PAGE = 50;

/** The page's body `{ [key]: rendered items, meta: { pagination } }`, or an invalid_input error. */
export function paginate<T>(key: string, all: readonly T[], query: URLSearchParams, render: (item: T) => unknown = (x) => x, extra: Record<string, unknown> = {}): EmuResponse {
  const p = pageOf(all, query, { defaultPerPage: DEFAULT_PER_PAGE, maxPerPage: MAX_PER_PAGE, refuse: 'malformed' });
  if (isRefusal(p)) return invalidInput(p.refused, p.reason);
  const { page, perPage, lastPage, total } = p;
  return {
    status: 200,
    body: {
      [key]: p.items.map(render),
      ...extra,
      meta: {
        pagination: {
          page,
          per_page: perPage,
          previous_page: page > 1 ? Math.min(page - 1, lastPage) : null,
          next_page: page < lastPage ? page + 1 : null,
          last_page: lastPage,
          total_entries: total,
        },
      },
    },
  };
}
