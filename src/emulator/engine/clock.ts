import type { Clock } from './types.js';

/** Emulated time starts at the real time and runs `scale` times faster. */
export function scaledClock(scale: number, realNow: () => number = () => performance.now(), epoch = Date.now()): Clock {
  if (!(scale > 0)) throw new RangeError(`time scale must be positive, got ${scale}`);
  const start = realNow();
  const now = () => Math.floor(epoch + (realNow() - start) * scale);
  return { now, iso: (ms?: number) => new Date(ms ?? now()).toISOString(), scale };
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
