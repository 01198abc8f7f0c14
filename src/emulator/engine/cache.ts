/**
 * Answers that never change (seed catalogs: sizes, regions, server types, prices) are rendered
 * once per process and shared by every response that embeds them.
 */

/** A value computed on first use and kept. */
export function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
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
    if (value === undefined) cache.set(key, (value = make(key)));
    return value;
  };
}
