import type { BucketLimit, Clock, EmuRequest, LimitRule, LimitState, RateLimitPolicy, WindowLimit } from './types.js';

/** One count of one rule: a bucket's tokens, or the times of the requests a window still counts. */
interface Count {
  tokens: number;
  at: number;
  /** Window: request times, oldest first, from `head` on. */
  times: number[];
  head: number;
  /** Fixed window: where the current cycle started. */
  start: number;
}

/**
 * An API's rate limits on the emulated clock, as the provider counts them per account: any number of
 * buckets and windows (an hourly and a per-minute limit, a tighter one per operation). A request is
 * let through only when every rule that applies has room, and is then charged to all of them.
 */
export class RateLimiter {
  private readonly counts = new Map<string, Count>();

  constructor(
    private readonly policy: Pick<RateLimitPolicy, 'limits'>,
    private readonly clock: Clock,
  ) {}

  take(account: string, req?: EmuRequest): { allowed: boolean; states: LimitState[]; retryAfterMs: number } {
    const now = this.clock.now();
    const applying: { rule: LimitRule; c: Count }[] = [];
    for (const [i, rule] of this.policy.limits.entries()) {
      const scope = rule.scope ? (req ? rule.scope(req) : undefined) : '';
      if (scope === undefined) continue;
      const key = `${i}|${account}|${scope}`;
      let c = this.counts.get(key);
      if (!c) this.counts.set(key, (c = { tokens: rule.kind === 'bucket' ? rule.capacity : 0, at: now, times: [], head: 0, start: now }));
      advance(rule, c, now);
      applying.push({ rule, c });
    }
    const before = applying.map(({ rule, c }) => stateOf(rule, c, now));
    const allowed = before.every((s) => s.allowed);
    if (allowed) for (const { rule, c } of applying) charge(rule, c, now);
    const states = allowed ? applying.map(({ rule, c }) => ({ ...stateOf(rule, c, now), allowed: true, retryAfterMs: 0 })) : before;
    return { allowed, states, retryAfterMs: Math.max(0, ...states.map((s) => s.retryAfterMs)) };
  }
}

function advance(rule: LimitRule, c: Count, now: number): void {
  if (rule.kind === 'bucket') {
    c.tokens = Math.min(rule.capacity, c.tokens + ((now - c.at) / 1000) * rule.refillPerSecond);
    c.at = now;
  } else if (rule.sliding) {
    while (c.head < c.times.length && c.times[c.head]! + rule.windowMs <= now) c.head++;
    if (c.head > 1024 && c.head * 2 > c.times.length) {
      c.times = c.times.slice(c.head);
      c.head = 0;
    }
  } else if (now >= c.start + rule.windowMs) {
    c.start = now;
    c.times = [];
    c.head = 0;
  }
}

function charge(rule: LimitRule, c: Count, now: number): void {
  if (rule.kind === 'bucket') c.tokens -= 1;
  else c.times.push(now);
}

function stateOf(rule: LimitRule, c: Count, now: number): LimitState {
  return rule.kind === 'bucket' ? bucketState(rule, c, now) : windowState(rule, c, now);
}

function bucketState(rule: BucketLimit, c: Count, now: number): LimitState {
  const perTokenMs = 1000 / rule.refillPerSecond;
  const allowed = c.tokens >= 1;
  return {
    limit: rule.capacity,
    remaining: Math.max(0, Math.floor(c.tokens)),
    resetAtMs: now + (rule.capacity - c.tokens) * perTokenMs,
    retryAfterMs: allowed ? 0 : (1 - c.tokens) * perTokenMs,
    allowed,
  };
}

function windowState(rule: WindowLimit, c: Count, now: number): LimitState {
  const used = c.times.length - c.head;
  const allowed = used < rule.limit;
  if (!rule.sliding) {
    const reset = c.start + rule.windowMs;
    return { limit: rule.limit, remaining: Math.max(0, rule.limit - used), resetAtMs: reset, retryAfterMs: allowed ? 0 : reset - now, allowed };
  }
  const oldest = used > 0 ? c.times[c.head]! : now;
  // Room again when the request that put the count over the limit expires.
  const freeing = used >= rule.limit ? c.times[c.head + used - rule.limit]! + rule.windowMs - now : 0;
  return { limit: rule.limit, remaining: Math.max(0, rule.limit - used), resetAtMs: oldest + rule.windowMs, retryAfterMs: allowed ? 0 : freeing, allowed };
}
