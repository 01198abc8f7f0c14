/**
 * Scaleway's two pagination styles. Instance v1: ?page=&per_page= (at most 100) with the total in
 * the X-Total-Count header. The newer APIs (VPC, Block, IAM, Marketplace, Elastic Metal): ?page=&page_size=
 * with `total_count` in the body.
 */
import type { EmuResponse } from '../engine/index.js';
import { invalidArguments } from './errors.js';

function positive(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

function window<T>(all: T[], query: URLSearchParams, sizeParam: string, max: number, fallback: number): T[] | EmuResponse {
  const page = positive(query.get('page'), 1);
  if (page === undefined) return invalidArguments('page', 'must be a positive integer');
  const size = positive(query.get(sizeParam), fallback);
  if (size === undefined || size > max) return invalidArguments(sizeParam, `must be between 1 and ${max}`);
  return all.slice((page - 1) * size, page * size);
}

export function instancePage<T>(key: string, all: T[], query: URLSearchParams): EmuResponse {
  const items = window(all, query, 'per_page', 100, 50);
  if (!Array.isArray(items)) return items;
  return { status: 200, body: { [key]: items }, headers: { 'X-Total-Count': String(all.length) } };
}

export function modernPage<T>(key: string, all: T[], query: URLSearchParams): EmuResponse {
  const items = window(all, query, 'page_size', 100, 50);
  if (!Array.isArray(items)) return items;
  return { status: 200, body: { total_count: all.length, [key]: items } };
}

/** ?tags=a,b (Instance) or repeated ?tags= (newer APIs): every tag must be on the resource. */
export function hasTags(resourceTags: string[], query: URLSearchParams): boolean {
  const wanted = query.getAll('tags').flatMap((t) => t.split(',')).filter(Boolean);
  return wanted.every((t) => resourceTags.includes(t));
}
