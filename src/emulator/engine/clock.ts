import type { Clock } from './types.js';

// Listings write the same creation times again and again: their text is kept (a bounded memo).
const isoText = new Map<number, string>();

/** `new Date(ms).toISOString()`, remembered. */
export function isoOf(ms: number): string {
  let text = isoText.get(ms);
  if (text === undefined) {
    if (isoText.size >= 50_000) isoText.clear();
    isoText.set(ms, (text = new Date(ms).toISOString()));
  }
  return text;
}

/** Emulated time starts at the real time and runs `scale` times faster. */
export function scaledClock(scale: number, realNow: () => number = () => performance.now(), epoch = Date.now()): Clock {
  if (!(scale > 0)) throw new RangeError(`time scale must be positive, got ${scale}`);
  const start = realNow();
  const now = () => Math.floor(epoch + (realNow() - start) * scale);
  return { now, iso: (ms?: number) => isoOf(ms ?? now()), scale };
}

/** Deterministic PRNG (mulberry32) so a seeded fault run repeats. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
