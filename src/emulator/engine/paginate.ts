/** Shared pagination: slice first, render only the page, so a page costs the same at any list size. */

export interface PageSlice<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
  lastPage: number;
}

/** page/per_page pagination (1-based), clamped to the API's maximum page size. */
export function pageOf<T>(all: readonly T[], query: URLSearchParams, o: { defaultPerPage: number; maxPerPage: number; pageParam?: string; perPageParam?: string }): PageSlice<T> {
  const num = (name: string, fallback: number) => {
    const n = Number(query.get(name) ?? '');
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const perPage = Math.min(o.maxPerPage, num(o.perPageParam ?? 'per_page', o.defaultPerPage));
  const page = num(o.pageParam ?? 'page', 1);
  const start = (page - 1) * perPage;
  return { items: all.slice(start, start + perPage), page, perPage, total: all.length, lastPage: Math.max(1, Math.ceil(all.length / perPage)) };
}

/** Opaque-cursor pagination: the cursor is the offset, base64url-encoded as the real APIs' cursors look. */
export function cursorPageOf<T>(all: readonly T[], cursor: string | null, perPage: number): { items: T[]; next: string | null; prev: string | null } {
  const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^offset:/, '')) || 0 : 0;
  const encode = (n: number) => Buffer.from(`offset:${n}`).toString('base64url');
  const items = all.slice(offset, offset + perPage);
  return { items, next: offset + perPage < all.length ? encode(offset + perPage) : null, prev: offset > 0 ? encode(Math.max(0, offset - perPage)) : null };
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
