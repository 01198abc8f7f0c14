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

/** Pages in flight at once when their numbers are known in advance (a 1,000-droplet listing is 5 pages). */
export const PAGES_IN_FLIGHT = 8;

export interface NumberedListing {
  /** Refuse to go past this many pages (a server that never ends its list). */
  maxPages?: number;
  /** Pages the caller expects (pagesFor): asked for at once, before the first says how many there are. */
  expectedPages?: number;
}

/** The pages `expected` items fill at `perPage` a page (ListOptions.expected): 1 when unknown. */
export function pagesFor(expected: number | undefined, perPage: number): number {
  return expected !== undefined && expected > 0 ? Math.ceil(expected / perPage) : 1;
}

/**
 * Every item of numbered pages. The pages expected are asked for together; after that, once a page
 * names the last one, the pages up to it are asked for together too instead of one round trip after
 * another (a 1,000-droplet listing: 2 round trips' wait instead of 5, or 1 when it was expected). A
 * list that grew meanwhile goes on from the last page's next one; a page past the end is empty.
 */
export async function collectNumberedPages<T>(fetchPage: (page: number) => Promise<NumberedPage<T>>, o: NumberedListing = {}): Promise<T[]> {
  const maxPages = o.maxPages ?? 10_000;
  const out: T[] = [];
  let wave = numbers(1, Math.min(Math.max(1, o.expectedPages ?? 1), maxPages));
  for (;;) {
    const pages = await mapLimit(wave, PAGES_IN_FLIGHT, (n) => fetchPage(n));
    for (const page of pages) pushAll(out, page.items);
    if (pages.some((page) => page.next === undefined)) return out;
    const { next, lastPage } = pages[pages.length - 1]!;
    // Always onwards, whatever a page says its next one is: a list that repeats itself still ends at maxPages.
    const from = Math.max(next!, wave[wave.length - 1]! + 1);
    const to = Math.max(from, lastPage ?? from);
    if (to > maxPages) throw new Error(`pagination did not end after ${maxPages} pages`);
    wave = numbers(from, to);
  }
}

function numbers(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function pushAll<T>(out: T[], items: readonly T[]): T[] {
  for (const item of items) out.push(item);
  return out;
}
