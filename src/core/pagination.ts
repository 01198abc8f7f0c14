/**
 * Pagination lives here: a driver implements one page, core iterates.
 * A page returns its items and the cursor of the next page (undefined at the end).
 */
export interface Page<T, C> {
  items: T[];
  next: C | undefined;
}

/** Every item of every page. Page by page, not item by item: a generator's yield costs a promise per item. */
export async function collectPages<T, C>(first: C, fetchPage: (cursor: C) => Promise<Page<T, C>>, maxPages = 10_000): Promise<T[]> {
  const out: T[] = [];
  let cursor: C | undefined = first;
  for (let n = 0; cursor !== undefined; n++) {
    if (n >= maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
    const page: Page<T, C> = await fetchPage(cursor);
    for (const item of page.items) out.push(item);
    cursor = page.next;
  }
  return out;
}
