import type { Clock } from './types.js';

/**
 * Delayed effects in emulated time: an order delivered, an install finished. Nothing runs on timers;
 * the engine applies every effect that is due, in time order, before it handles a request, so state
 * is always what the clock says and no API keeps its own "settle" calls.
 */
export class Scheduler {
  private readonly queue: { at: number; seq: number; effect: () => void }[] = [];
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  at(atMs: number, effect: () => void): void {
    this.queue.push({ at: atMs, seq: this.seq++, effect });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Applies what is due; an effect may schedule more, which run too if already due. */
  runDue(): void {
    const now = this.clock.now();
    while (this.queue.length && this.queue[0]!.at <= now) this.queue.shift()!.effect();
  }
}
