import { sleep } from '../core/index.js';

/** What a provider's rate-limit headers say, in the server's own time. */
export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** Requests refilled per second of the server's clock; undefined keeps the last estimate. */
  refillPerSecond: number | undefined;
}

export type RateLimitStyle = (headers: Headers) => RateLimitReading | undefined;

function num(h: Headers, name: string): number | undefined {
  const v = h.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A limit stated per hour, refilled continuously (DigitalOcean's 5,000 an hour). */
export function hourlyLimit(limitHeader: string, remainingHeader: string): RateLimitStyle {
  return (h) => {
    const limit = num(h, limitHeader);
    const remaining = num(h, remainingHeader);
    if (limit === undefined || remaining === undefined) return undefined;
    return { limit, remaining, refillPerSecond: limit / 3600 };
  };
}

/**
 * A bucket that is full again at RateLimit-Reset (server time): the refill rate is what is spent
 * over the time to reset, read against the server's own Date header so a fast clock reads right.
 * Only trusted once enough is spent for whole-second rounding not to matter.
 */
export function bucketUntilReset(limitHeader: string, remainingHeader: string, resetHeader: string): RateLimitStyle {
  const fallback = hourlyLimit(limitHeader, remainingHeader);
  return (h) => {
    const base = fallback(h);
    if (!base) return undefined;
    const reset = num(h, resetHeader);
    const date = Date.parse(h.get('date') ?? '') / 1000;
    const spent = base.limit - base.remaining;
    if (reset === undefined || !Number.isFinite(date) || reset <= date) return base;
    return { ...base, refillPerSecond: spent >= 10 ? spent / (reset - date) : undefined };
  };
}

/** For APIs without a rate limit (Proxmox): nothing to read. */
export const noRateLimit: RateLimitStyle = () => undefined;

/** The generic styles; each driver builds its provider's own from them, in its folder. */
export const rateLimitStyles = { none: noRateLimit } satisfies Record<string, RateLimitStyle>;

/**
 * One budget per account, shared by every caller (creates and polling alike): a local token
 * bucket kept in step with the provider's headers, and a block after a 429 that every caller honours.
 * Callers take numbered tickets and go when the bucket has paid for theirs, so a crowd leaves
 * one by one at the refill rate (re-read as estimates improve), in order, without a thundering herd.
 * Times are real milliseconds; timeScale converts the server's clock when it runs faster (emulator).
 */
export class RateBudget {
  /** Tokens granted since the start (refills included); unknown limit = infinite. */
  private credit = Number.POSITIVE_INFINITY;
  private taken = 0;
  private capacity = Number.POSITIVE_INFINITY;
  private refillPerMs = 0;
  private updatedAt: number;
  private blockedUntil = 0;

  constructor(
    private readonly timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.updatedAt = now();
  }

  private refill(): void {
    const t = this.now();
    if (this.refillPerMs > 0) this.credit = Math.min(this.taken + this.capacity, this.credit + (t - this.updatedAt) * this.refillPerMs);
    this.updatedAt = t;
  }

  /** Waits until a request may be sent, then takes one token. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const ticket = ++this.taken;
    try {
      for (;;) {
        this.refill();
        const t = this.now();
        if (t < this.blockedUntil) {
          await sleep(this.blockedUntil - t, signal);
          continue;
        }
        if (this.credit >= ticket) return;
        // Re-check at least every 50 ms: the refill estimate may improve meanwhile.
        const wait = this.refillPerMs > 0 ? (ticket - this.credit) / this.refillPerMs : 50;
        await sleep(Math.max(1, Math.min(50, Math.ceil(wait))), signal);
      }
    } catch (err) {
      // A caller who gives up hands its unpaid slot to the ones behind it.
      if (this.credit < ticket) this.credit += 1;
      throw err;
    }
  }

  /** Re-syncs with what the server said; never raises our count above what we have seen spent. */
  observe(reading: RateLimitReading): void {
    this.refill();
    this.capacity = reading.limit;
    if (reading.refillPerSecond !== undefined) this.refillPerMs = (reading.refillPerSecond * this.timeScale) / 1000;
    else if (this.refillPerMs === 0) this.refillPerMs = ((reading.limit / 3600) * this.timeScale) / 1000;
    this.credit = Math.min(this.credit, this.taken + reading.remaining);
  }

  /** After a 429: everyone waits (retryAfterMs already in real ms). */
  block(retryAfterMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + retryAfterMs);
  }

  snapshot(): { tokens: number; capacity: number; blockedUntil: number } {
    this.refill();
    return { tokens: this.credit - this.taken, capacity: this.capacity, blockedUntil: this.blockedUntil };
  }
}

/** Process-wide pool, so two Provider objects on the same account share one budget. */
const defaultPool = new Map<string, unknown>();

export function budgetFor(pool: Map<string, unknown> | undefined, key: string, timeScale: number): RateBudget {
  const p = pool ?? defaultPool;
  let b = p.get(key) as RateBudget | undefined;
  if (!b) {
    b = new RateBudget(timeScale);
    p.set(key, b);
  }
  return b;
}
