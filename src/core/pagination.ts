/**
 * Pagination lives here: a driver implements one page, core iterates.
 * A page returns its items and the cursor of the next page (undefined at the end).
 */
import { mapLimit } from './kit/concurrency.js';

export interface Page<T, C> {
  items: T[];
  next: C | undefined;
}

/** A numbered page that may also name the last page (DigitalOcean's links.pages.last, Hetzner's last_page). */
export interface NumberedPage<T> extends Page<T, number> {
  lastPage?: number;
}

/** Pages in flight at once when their numbers are known in advance. */
export const PAGES_IN_FLIGHT = 4;

/** Every item of every page. Page by page, not item by item: a generator's yield costs a promise per item. */
export async function collectPages<T, C>(first: C, fetchPage: (cursor: C) => Promise<Page<T, C>>, maxPages = 10_000): Promise<T[]> {
  const out: T[] = [];
  let cursor: C | undefined = first;
  for (let n = 0; cursor !== undefined; n++) {
    if (n >= maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
    const page: Page<T, C> = await fetchPage(cursor);
    pushAll(out, page.items);
    cursor = page.next;
  }
  return out;
}

/**
 * Every item of numbered pages. Once the first page names the last one, the pages between are asked
 * for a few at a time instead of one round trip after another (a 1,000-droplet listing: 2 round
 * trips' wait instead of 5). A list that grew meanwhile goes on from the last page's next one.
 */
export async function collectNumberedPages<T>(fetchPage: (page: number) => Promise<NumberedPage<T>>, maxPages = 10_000): Promise<T[]> {
  const first = await fetchPage(1);
  const out = first.items.slice();
  const { next, lastPage } = first;
  if (next === undefined) return out;
  if (lastPage === undefined || lastPage <= next) return pushAll(out, await collectPages(next, fetchPage, maxPages - 1));
  if (lastPage > maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
  const numbers = Array.from({ length: lastPage - next + 1 }, (_, i) => next + i);
  const pages = await mapLimit(numbers, PAGES_IN_FLIGHT, (n) => fetchPage(n));
  for (const page of pages) pushAll(out, page.items);
  const more = pages[pages.length - 1]!.next;
  return more !== undefined && more > lastPage ? pushAll(out, await collectPages(more, fetchPage, maxPages - lastPage)) : out;
}

function pushAll<T>(out: T[], items: readonly T[]): T[] {
  for (const item of items) out.push(item);
  return out;
}
