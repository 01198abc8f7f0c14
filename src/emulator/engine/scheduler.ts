import type { Clock } from './types.js';

/**
 * Delayed effects in emulated time: an order delivered, an install finished. Nothing runs on timers;
 * the engine applies every effect that is due, in time order, before it handles a request, so state
 * is always what the clock says and no API keeps its own "settle" calls.
 */
export class Scheduler {
  private readonly queue: { at: number; effect: () => void }[] = [];

  constructor(private readonly clock: Clock) {}

  at(atMs: number, effect: () => void): void {
    // Inserted after every entry due at or before it: time order, ties in scheduling order, no re-sort.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.queue[mid]!.at <= atMs) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, { at: atMs, effect });
  }

  /** Applies what is due; an effect may schedule more, which run too if already due. */
  runDue(): void {
    const now = this.clock.now();
    while (this.queue.length && this.queue[0]!.at <= now) this.queue.shift()!.effect();
  }
}
