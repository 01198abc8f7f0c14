/**
 * Scaleway's two pagination styles. Instance v1: ?page=&per_page= (at most 100) with the total in
 * the X-Total-Count header. The newer APIs (VPC, Block, IAM, Marketplace, Elastic Metal): ?page=&page_size=
 * with `total_count` in the body.
 */
import { isRefusal, pageOf, type EmuResponse, type PageSlice } from '../engine/index.js';
import { invalidArguments } from './errors.js';

/** The page (at most 100, default 50), or the API's answer to a bad page or size; only the page is rendered. */
function window<T>(all: readonly T[], query: URLSearchParams, sizeParam: string): PageSlice<T> | EmuResponse {
  const p = pageOf(all, query, { defaultPerPage: 50, maxPerPage: 100, perPageParam: sizeParam, refuse: 'out-of-range' });
  if (!isRefusal(p)) return p;
  return p.refused === sizeParam ? invalidArguments(sizeParam, 'must be between 1 and 100') : invalidArguments(p.refused, p.reason);
}

export function instancePage<T>(key: string, all: readonly T[], query: URLSearchParams, render: (r: T) => unknown = (x) => x): EmuResponse {
  const p = window(all, query, 'per_page');
  if (!('items' in p)) return p;
  return { status: 200, body: { [key]: p.items.map(render) }, headers: { 'X-Total-Count': String(p.total) } };
}

export function modernPage<T>(key: string, all: readonly T[], query: URLSearchParams, render: (r: T) => unknown = (x) => x): EmuResponse {
  const p = window(all, query, 'page_size');
  if (!('items' in p)) return p;
  return { status: 200, body: { total_count: p.total, [key]: p.items.map(render) } };
}

/** The tags a request asks for, parsed once per request however many resources are checked. */
const wantedTags = new WeakMap<URLSearchParams, string[]>();

/** ?tags=a,b (Instance) or repeated ?tags= (newer APIs): every tag must be on the resource. */
export function hasTags(resourceTags: string[], query: URLSearchParams): boolean {
  let wanted = wantedTags.get(query);
  if (!wanted) wantedTags.set(query, (wanted = query.getAll('tags').flatMap((t) => t.split(',')).filter(Boolean)));
  return wanted.every((t) => resourceTags.includes(t));
}
