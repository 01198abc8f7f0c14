/**
 * Pagination lives here: a driver implements one page, core iterates.
 * A page returns its items and the cursor of the next page (undefined at the end).
 */
export interface Page<T, C> {
  items: T[];
  next: C | undefined;
}

export async function* iteratePages<T, C>(
  first: C,
  fetchPage: (cursor: C) => Promise<Page<T, C>>,
  maxPages = 10_000,
): AsyncGenerator<T> {
  let cursor: C | undefined = first;
  for (let n = 0; cursor !== undefined; n++) {
    if (n >= maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
    const page: Page<T, C> = await fetchPage(cursor);
    yield* page.items;
    cursor = page.next;
  }
}

export async function collectPages<T, C>(first: C, fetchPage: (cursor: C) => Promise<Page<T, C>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iteratePages(first, fetchPage)) out.push(item);
  return out;
}
