import { sleep } from '../core/index.js';

/** What a provider's rate-limit headers say, in the server's own time. */
export interface RateLimitReading {
  limit: number;
  remaining: number;
  /** Requests refilled per second of the server's clock. */
  refillPerSecond: number;
}

export type RateLimitStyle = (headers: Headers) => RateLimitReading | undefined;

function num(h: Headers, name: string): number | undefined {
  const v = h.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Both providers state their limit per hour and refill continuously. */
function hourly(limitHeader: string, remainingHeader: string): RateLimitStyle {
  return (h) => {
    const limit = num(h, limitHeader);
    const remaining = num(h, remainingHeader);
    if (limit === undefined || remaining === undefined) return undefined;
    return { limit, remaining, refillPerSecond: limit / 3600 };
  };
}

export const rateLimitStyles = {
  /** ratelimit-limit / ratelimit-remaining / ratelimit-reset: 5,000 requests an hour. */
  digitalocean: hourly('ratelimit-limit', 'ratelimit-remaining'),
  /** RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset: 3,600 an hour, one back each second. */
  hetzner: hourly('ratelimit-limit', 'ratelimit-remaining'),
  none: (() => undefined) as RateLimitStyle,
} satisfies Record<string, RateLimitStyle>;

/**
 * One budget per account, shared by every caller (creates and polling alike): a local token
 * bucket kept in step with the provider's headers, and a block after a 429 that every caller honours.
 * Times are real milliseconds; timeScale converts the server's clock when it runs faster (emulator).
 */
export class RateBudget {
  private tokens = Number.POSITIVE_INFINITY;
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
    if (this.refillPerMs > 0) this.tokens = Math.min(this.capacity, this.tokens + (t - this.updatedAt) * this.refillPerMs);
    this.updatedAt = t;
  }

  /** Waits until a request may be sent, then takes one token. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill();
      const t = this.now();
      if (t < this.blockedUntil) {
        await sleep(this.blockedUntil - t, signal);
        continue;
      }
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      if (this.refillPerMs <= 0) {
        this.tokens = Number.POSITIVE_INFINITY; // no rate known: nothing to pace by
        continue;
      }
      await sleep(Math.max(1, Math.ceil((1 - this.tokens) / this.refillPerMs)), signal);
    }
  }

  /** Re-syncs with what the server said; never raises our count above what we have seen spent. */
  observe(reading: RateLimitReading): void {
    this.refill();
    this.capacity = reading.limit;
    this.refillPerMs = (reading.refillPerSecond * this.timeScale) / 1000;
    this.tokens = Math.min(Number.isFinite(this.tokens) ? this.tokens : reading.remaining, reading.remaining);
  }

  /** After a 429: everyone waits (retryAfterMs already in real ms). */
  block(retryAfterMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + retryAfterMs);
    // Without a known refill rate the block alone paces us; an empty bucket would never refill.
    if (this.refillPerMs > 0) this.tokens = Math.min(this.tokens, 0);
  }

  snapshot(): { tokens: number; capacity: number; blockedUntil: number } {
    this.refill();
    return { tokens: this.tokens, capacity: this.capacity, blockedUntil: this.blockedUntil };
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
