/** The engine's one paginator: page/per_page and opaque cursors, lenient or refusing as each API does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorPageOf, isRefusal, OFFSET_CURSOR, pageOf, type CursorPage } from '../../src/emulator/engine/index.js';

const ITEMS = Array.from({ length: 1000 }, (_, i) => i);
const q = (s: string) => new URLSearchParams(s);

test('pageOf slices first, middle and last pages of a big list and counts every item', () => {
  const o = { defaultPerPage: 25, maxPerPage: 50 };
  assert.deepEqual(pageOf(ITEMS, q('per_page=50'), o), { items: ITEMS.slice(0, 50), page: 1, perPage: 50, total: 1000, lastPage: 20 });
  assert.deepEqual(pageOf(ITEMS, q('per_page=50&page=10'), o).items, ITEMS.slice(450, 500));
  assert.deepEqual(pageOf(ITEMS, q('per_page=50&page=20'), o).items, ITEMS.slice(950));
  assert.deepEqual(pageOf(ITEMS, q('per_page=50&page=21'), o).items, []);
  assert.equal(pageOf(ITEMS, q(''), o).perPage, 25, 'the default size');
  assert.equal(pageOf(ITEMS, q('per_page=500'), o).perPage, 50, 'cut to the maximum');
  assert.equal(pageOf([], q(''), o).lastPage, 1, 'an empty list has one (empty) page');
});

test('lenient pageOf takes malformed values for the defaults; refusing pageOf names the parameter', () => {
  const o = { defaultPerPage: 20, maxPerPage: 200 };
  assert.deepEqual(pageOf(ITEMS, q('page=x&per_page=-3'), o).items, ITEMS.slice(0, 20));
  const malformed = pageOf(ITEMS, q('page=0'), { ...o, refuse: 'malformed' });
  assert.ok(isRefusal(malformed) && malformed.refused === 'page');
  const cut = pageOf(ITEMS, q('per_page=900'), { ...o, refuse: 'malformed' });
  assert.ok(!isRefusal(cut) && cut.perPage === 200, "'malformed' still cuts an oversized page");
  const range = { defaultPerPage: 100, minPerPage: 25, maxPerPage: 500, perPageParam: 'page_size', refuse: 'out-of-range' as const };
  const small = pageOf(ITEMS, q('page_size=10'), range);
  assert.ok(isRefusal(small) && small.refused === 'page_size' && /25 and 500/.test(small.reason));
  assert.ok(isRefusal(pageOf(ITEMS, q('page_size=501'), range)));
  const ok = pageOf(ITEMS, q('page_size=25&page=40'), range);
  assert.ok(!isRefusal(ok) && ok.items.length === 25 && ok.items[0] === 975);
});

test('cursorPageOf walks a big list forwards and back with opaque cursors', () => {
  const seen: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const p: CursorPage<number> = cursorPageOf(ITEMS, cursor, 300);
    seen.push(...p.items);
    assert.equal(p.prev === null, pages === 0);
    cursor = p.next;
    pages++;
  } while (cursor);
  assert.equal(pages, 4);
  assert.deepEqual(seen, ITEMS);
  const third = cursorPageOf(ITEMS, OFFSET_CURSOR.encode(600, 'next'), 300);
  assert.deepEqual(cursorPageOf(ITEMS, third.prev, 300).items, ITEMS.slice(300, 600));
  assert.deepEqual(cursorPageOf(ITEMS, 'not-a-cursor', 10).items, ITEMS.slice(0, 10), 'lenient: an unreadable cursor starts over');
  assert.ok(isRefusal(cursorPageOf(ITEMS, 'not-a-cursor', 10, { ...OFFSET_CURSOR, refuse: true })));
});
