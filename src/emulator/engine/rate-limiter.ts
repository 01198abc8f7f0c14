import type { Clock, RateLimitPolicy } from './types.js';

/** Per-token buckets on the emulated clock, as the providers count requests per account. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly clock: Clock,
  ) {}

  /** Takes one token; returns the state for the headers and, when empty, the emulated ms to wait. */
  take(key: string): { allowed: boolean; remaining: number; resetAtMs: number; retryAfterMs: number } {
    const now = this.clock.now();
    const { capacity, refillPerSecond } = this.policy;
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * refillPerSecond);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    this.buckets.set(key, b);
    const perTokenMs = 1000 / refillPerSecond;
    return {
      allowed,
      remaining: Math.floor(b.tokens),
      resetAtMs: now + (capacity - b.tokens) * perTokenMs,
      retryAfterMs: allowed ? 0 : (1 - b.tokens) * perTokenMs,
    };
  }
}
