/**
 * Answers that never change (seed catalogs: sizes, regions, server types, prices) are rendered
 * once per process and shared by every response that embeds them; their JSON is made once too.
 */
import { fixed } from './json.js';

/** A value computed on first use and kept. */
export function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fixed(make());
      done = true;
    }
    return value;
  };
}

/** `make` computed once per key and kept; for keys from a fixed set (seed records, slugs). */
export function memo<K, V>(make: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) cache.set(key, (value = fixed(make(key))));
    return value;
  };
}

const sortedCache = new WeakMap<Map<unknown, unknown>, { compare: unknown; insertion: unknown[]; sorted: readonly unknown[] }>();

function unchanged(map: Map<unknown, unknown>, insertion: unknown[]): boolean {
  if (insertion.length !== map.size) return false;
  let i = 0;
  for (const v of map.values()) if (v !== insertion[i++]) return false;
  return true;
}

/**
 * The map's values in `compare` order, sorted again only when its entries changed: a listing of
 * 1,000 servers checks them in one pass instead of sorting on every page. The order must depend
 * only on what never changes (ids, creation times), and `compare` must be one function, not a new
 * arrow per call. The result is shared: filter or slice it, never change it (it is typed readonly,
 * not frozen: V8 filters and slices a frozen array several times slower).
 */
export function sortedValues<V>(map: Map<unknown, V>, compare: (a: V, b: V) => number): readonly V[] {
  const cached = sortedCache.get(map);
  if (cached && cached.compare === compare && unchanged(map, cached.insertion)) return cached.sorted as readonly V[];
  const insertion = [...map.values()];
  const sorted = [...insertion].sort(compare);
  sortedCache.set(map, { compare, insertion, sorted });
  return sorted;
}
