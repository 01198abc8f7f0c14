/** Hetzner pagination: ?page=&per_page= (default 25, at most 50) → meta.pagination. */
import type { EmuResponse } from '../engine/index.js';
import { invalidInput } from './errors.js';

export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 50;

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

/** The page's body `{ [key]: items, meta: { pagination } }`, or an invalid_input error. */
export function paginate<T>(key: string, all: T[], query: URLSearchParams, extra: Record<string, unknown> = {}): EmuResponse {
  const page = positiveInt(query.get('page'), 1);
  if (page === undefined) return invalidInput('page', 'must be a positive integer');
  const requested = positiveInt(query.get('per_page'), DEFAULT_PER_PAGE);
  if (requested === undefined) return invalidInput('per_page', 'must be a positive integer');
  const perPage = Math.min(requested, MAX_PER_PAGE);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    body: {
      [key]: items,
      ...extra,
      meta: {
        pagination: {
          page,
          per_page: perPage,
          previous_page: page > 1 ? Math.min(page - 1, lastPage) : null,
          next_page: page < lastPage ? page + 1 : null,
          last_page: lastPage,
          total_entries: all.length,
        },
      },
    },
  };
}
