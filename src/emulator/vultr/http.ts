/** Vultr's error body `{"error": "...", "status": N}`, its cursor pagination and request readers. */
import { cursorPageOf, isoOf, isRefusal, type CursorCodec, type EmuRequest, type EmuResponse } from '../engine/index.js';

/** Marks the error answers handlers return, so a request body is never taken for one. */
const ERROR = Symbol('vultr error answer');

export function vultrError(status: number, message: string): EmuResponse {
  return Object.assign({ status, body: { error: message, status } }, { [ERROR]: true });
}

export const notFound = (what: string) => vultrError(404, `Invalid ${what}.`);
export const badRequest = (message: string) => vultrError(400, message);
export const noContent: EmuResponse = { status: 204 };

/** Whether a helper's result is an error answer rather than the value asked for. */
export function isResponse(x: unknown): x is EmuResponse {
  return typeof x === 'object' && x !== null && (x as { [ERROR]?: boolean })[ERROR] === true;
}

/** The JSON body as an object; Vultr answers 400 to anything else. */
export function bodyOf(req: EmuRequest): Record<string, unknown> | EmuResponse {
  const b = req.body ?? {};
  if (typeof b !== 'object' || Array.isArray(b)) return badRequest('Unable to parse request body: expected a JSON object.');
  return b as Record<string, unknown>;
}

const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 500;

/** Vultr's cursors: base64 of "next__<offset>" or "prev__<offset>". */
const CURSOR: CursorCodec & { refuse: true } = {
  encode: (offset, direction) => Buffer.from(`${direction}__${offset}`).toString('base64'),
  decode: (cursor) => {
    const m = /^(?:next|prev)__(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    return m ? Number(m[1]) : undefined;
  },
  refuse: true,
};

/**
 * Cursor pagination as Vultr documents it ("Meta and Pagination"): ?per_page= (default 100, at
 * most 500) and an opaque ?cursor= taken from meta.links.next / prev; meta.total counts every item.
 * Only the page's items are rendered.
 */
export function paginate<T>(key: string, all: readonly T[], query: URLSearchParams, render: (item: T) => unknown = (x) => x): EmuResponse {
  const rawPer = query.get('per_page');
  let per = DEFAULT_PER_PAGE;
  if (rawPer !== null && rawPer !== '') {
    if (!/^\d+$/.test(rawPer) || Number(rawPer) < 1) return badRequest('Invalid per_page: must be a positive integer.');
    per = Math.min(Number(rawPer), MAX_PER_PAGE);
  }
  const page = cursorPageOf(all, query.get('cursor'), per, CURSOR);
  if (isRefusal(page)) return badRequest('Invalid cursor.');
  return { status: 200, body: { [key]: page.items.map(render), meta: { total: all.length, links: { next: page.next ?? '', prev: page.prev ?? '' } } } };
}

/** Vultr writes dates as "2020-10-10T01:56:20+00:00". */
export function vultrDate(ms: number): string {
  return isoOf(ms).replace(/\.\d{3}Z$/, '+00:00');
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export function stringArray(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

export function optString(v: unknown): string | undefined {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : undefined;
}
