/**
 * Shared pagination: filter the records, slice the page, then render only the page's items, so a
 * page costs the same at any list size. Each API keeps only its wire format (links, meta, cursors).
 */

export interface PageSlice<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
  lastPage: number;
}

/** A page request the API refuses: the parameter and the reason, for the API's own error shape. */
export interface PageRefusal {
  refused: string;
  reason: string;
}

export interface PageOptions {
  defaultPerPage: number;
  maxPerPage: number;
  /** The smallest page size the API accepts (default 1). */
  minPerPage?: number;
  pageParam?: string;
  perPageParam?: string;
  /**
   * Without it, a missing or malformed value is the default and a size over the maximum is cut to it.
   * 'malformed': a value that is not a positive integer is refused, a size over the maximum cut;
   * 'out-of-range': a size outside min..max is refused too.
   */
  refuse?: 'malformed' | 'out-of-range';
}

export function isRefusal(x: unknown): x is PageRefusal {
  return typeof x === 'object' && x !== null && 'refused' in x;
}

/** page/per_page pagination (1-based). */
export function pageOf<T>(all: readonly T[], query: URLSearchParams, o: PageOptions & { refuse?: undefined }): PageSlice<T>;
export function pageOf<T>(all: readonly T[], query: URLSearchParams, o: PageOptions): PageSlice<T> | PageRefusal;
export function pageOf<T>(all: readonly T[], query: URLSearchParams, o: PageOptions): PageSlice<T> | PageRefusal {
  const pageParam = o.pageParam ?? 'page';
  const perPageParam = o.perPageParam ?? 'per_page';
  const page = positiveInt(query.get(pageParam), 1);
  const requested = positiveInt(query.get(perPageParam), o.defaultPerPage);
  const min = o.minPerPage ?? 1;
  if (o.refuse) {
    if (page === undefined) return { refused: pageParam, reason: 'must be a positive integer' };
    if (requested === undefined) return { refused: perPageParam, reason: 'must be a positive integer' };
    if (o.refuse === 'out-of-range' && (requested < min || requested > o.maxPerPage)) {
      return { refused: perPageParam, reason: `must be between ${min} and ${o.maxPerPage}` };
    }
  }
  const perPage = Math.max(min, Math.min(o.maxPerPage, requested ?? o.defaultPerPage));
  return slicePage(all, page ?? 1, perPage);
}

/** The page-th slice of perPage items (1-based). */
export function slicePage<T>(all: readonly T[], page: number, perPage: number): PageSlice<T> {
  const start = (page - 1) * perPage;
  return { items: all.slice(start, start + perPage), page, perPage, total: all.length, lastPage: Math.max(1, Math.ceil(all.length / perPage)) };
}

/** Absent or empty: the fallback; a positive integer: its value; anything else: undefined. */
function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

export interface CursorPage<T> {
  items: T[];
  next: string | null;
  prev: string | null;
}

export interface CursorCodec {
  encode(offset: number, direction: 'next' | 'prev'): string;
  /** The offset, or undefined for a cursor this API never handed out. */
  decode(cursor: string): number | undefined;
}

/** The default cursor: the offset, base64url-encoded, opaque as the real APIs' cursors look. */
export const OFFSET_CURSOR: CursorCodec = {
  encode: (n) => Buffer.from(`offset:${n}`).toString('base64url'),
  decode: (c) => {
    const m = /^offset:(\d+)$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
    return m ? Number(m[1]) : undefined;
  },
};

/** Opaque-cursor pagination. A cursor the codec cannot read starts at the beginning unless `refuse` is set. */
export function cursorPageOf<T>(all: readonly T[], cursor: string | null, perPage: number, codec?: CursorCodec & { refuse?: false }): CursorPage<T>;
export function cursorPageOf<T>(all: readonly T[], cursor: string | null, perPage: number, codec: CursorCodec & { refuse: true }): CursorPage<T> | PageRefusal;
export function cursorPageOf<T>(all: readonly T[], cursor: string | null, perPage: number, codec: CursorCodec & { refuse?: boolean } = OFFSET_CURSOR): CursorPage<T> | PageRefusal {
  let offset = 0;
  if (cursor) {
    const decoded = codec.decode(cursor);
    if (decoded === undefined && codec.refuse) return { refused: 'cursor', reason: 'invalid cursor' };
    offset = decoded ?? 0;
  }
  const items = all.slice(offset, offset + perPage);
  return {
    items,
    next: offset + perPage < all.length ? codec.encode(offset + perPage, 'next') : null,
    prev: offset > 0 ? codec.encode(Math.max(0, offset - perPage), 'prev') : null,
  };
}

/** Sequential ids per kind, as most APIs hand them out. */
export class IdAllocator {
  private readonly next = new Map<string, number>();
  constructor(private readonly start = 1) {}
  allocate(kind: string): number {
    const id = this.next.get(kind) ?? this.start;
    this.next.set(kind, id + 1);
    return id;
  }
}

/** Orders ids by code units: for lowercase hex ids (UUIDs) the same order as localeCompare, without its cost on big lists. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
