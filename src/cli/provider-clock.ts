/**
 * One clock for ages: a server's creation time is on its provider's clock, so its age is measured
 * on that clock too. A real provider's clock is ours (within seconds); a time-scaled emulator's
 * runs ahead, and its Date header says where it is. The last Date seen per provider, with our time
 * then, extrapolates the provider's now at the emulator's scale.
 */
import type { Context } from './context.js';

interface Reading {
  serverMs: number;
  localMs: number;
  scale: number;
}

const readings = new WeakMap<Context, Map<string, Reading>>();

/** A fetch that notes the provider's Date header (only used against a time-scaled emulator). */
export function clockedFetch(ctx: Context, provider: string, scale: number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const date = Date.parse(res.headers.get('date') ?? '');
    if (Number.isFinite(date)) {
      let map = readings.get(ctx);
      if (!map) readings.set(ctx, (map = new Map()));
      map.set(provider, { serverMs: date, localMs: Date.now(), scale });
    }
    return res;
  };
}

/** The provider's now: extrapolated from its last Date header when one was seen, else ours. */
export function providerNow(ctx: Context, provider: string): Date {
  const r = readings.get(ctx)?.get(provider);
  if (!r) return ctx.now();
  return new Date(r.serverMs + (Date.now() - r.localMs) * r.scale);
}
