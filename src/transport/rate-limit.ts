import { sleep, type ResponseHeaders } from '../core/index.js';

/** What a provider's rate-limit headers say, in the server's own time. */
export interface RateLimitReading {
  limit: number;
  /** undefined: this answer does not say (a burst 429 whose 0 counts a shorter window, not the hour). */
  remaining: number | undefined;
  /** Requests refilled per second of the server's clock; undefined keeps the last estimate. */
  refillPerSecond: number | undefined;
  /**
   * Limits the provider documents but its headers do not count (DigitalOcean's 250 a minute beside
   * the hourly 5,000): at most `limit` requests per `windowMs` of server time, kept by the budget itself.
   */
  windows?: readonly WindowRule[];
}

export interface WindowRule {
  limit: number;
  windowMs: number;
}

export type RateLimitStyle = (headers: ResponseHeaders) => RateLimitReading | undefined;

function num(h: ResponseHeaders, name: string): number | undefined {
  const v = h.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A limit stated per hour, refilled continuously (DigitalOcean's 5,000 an hour), and any shorter
 * documented windows the headers do not report (its 250 a minute).
 */
export function hourlyLimit(limitHeader: string, remainingHeader: string, windows?: readonly WindowRule[]): RateLimitStyle {
  return (h) => {
    const limit = num(h, limitHeader);
    const remaining = num(h, remainingHeader);
    if (limit === undefined || remaining === undefined) return undefined;
    return { limit, remaining, refillPerSecond: limit / 3600, ...(windows ? { windows } : {}) };
  };
}

/**
 * A bucket that is full again at RateLimit-Reset (server time): the refill rate is what is spent
 * over the time to reset, read against the server's own Date header so a fast clock reads right.
 * Only trusted once enough is spent for whole-second rounding not to matter; a full bucket (reset not
 * after Date) says nothing of the rate, so the last estimate stands.
 */
export function bucketUntilReset(limitHeader: string, remainingHeader: string, resetHeader: string): RateLimitStyle {
  const fallback = hourlyLimit(limitHeader, remainingHeader);
  return (h) => {
    const base = fallback(h);
    if (!base) return undefined;
    const reset = num(h, resetHeader);
    const date = Date.parse(h.get('date') ?? '') / 1000;
    const spent = base.limit - (base.remaining ?? base.limit);
    if (reset === undefined || !Number.isFinite(date)) return base;
    return { ...base, refillPerSecond: spent >= 10 && reset > date ? spent / (reset - date) : undefined };
  };
}

/** For APIs without a rate limit (Proxmox): nothing to read. */
export const noRateLimit: RateLimitStyle = () => undefined;

/** The generic styles; each driver builds its provider's own from them, in its folder. */
export const rateLimitStyles = { none: noRateLimit } satisfies Record<string, RateLimitStyle>;

/** A documented window, counted here from our own sends (real ms), with the estimate a 429 lowers. */
interface WindowLane {
  documented: number;
  /** What we let through per window now: the documented limit, lowered by each 429, raised back as windows pass clean. */
  limit: number;
  windowMs: number;
  sends: number[];
  head: number;
  cutAt: number;
}

/** Keeps a window's count a little under the server's, whose clock and queue we do not share. */
const WINDOW_MARGIN = 1.02;

/**
 * One budget per account, shared by every caller (creates and polling alike): a local token
 * bucket kept in step with the provider's headers, the windows it documents beside them, and a block
 * after a 429 that every caller honours.
 * Callers take numbered tickets and go when the bucket has paid for theirs, so a crowd leaves
 * one by one at the refill rate (re-read as estimates improve), in order, without a thundering herd.
 * A 429 is a rate signal: the bucket is taken as empty, each window's estimate drops by a tenth, and
 * the callers held by the block wake spread over a jittered interval, never all at once.
 * Times are real milliseconds; timeScale converts the server's clock when it runs faster (emulator).
 */
export class RateBudget {
  /** Tokens granted since the start (refills included); unknown limit = infinite. */
  private credit = Number.POSITIVE_INFINITY;
  private taken = 0;
  private sent = 0;
  /** Tickets given up before they were sent: with `sent`, the tickets that have left the queue. */
  private abandoned = 0;
  /** Sent and not yet answered: the server may not have counted them when it wrote `remaining`. */
  private inFlight = 0;
  private capacity = Number.POSITIVE_INFINITY;
  private refillPerMs = 0;
  private updatedAt: number;
  private blockedUntil = 0;
  private blockSpreadMs = 0;
  private readonly windows = new Map<string, WindowLane>();
  /** 429s seen, for benchmarks and tests. */
  rateLimited = 0;

  constructor(
    private readonly timeScale = 1,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.updatedAt = now();
  }

  private refill(): void {
    const t = this.now();
    // The bucket holds at most `capacity` beyond the tickets that have left the queue (waiting ones hold none).
    if (this.refillPerMs > 0) this.credit = Math.min(this.sent + this.abandoned + this.capacity, this.credit + (t - this.updatedAt) * this.refillPerMs);
    this.updatedAt = t;
  }

  /** Real ms until every window has room (0: now); expired sends are dropped, clean windows win back their estimate. */
  private windowWait(t: number): number {
    let wait = 0;
    for (const w of this.windows.values()) {
      while (w.head < w.sends.length && w.sends[w.head]! + w.windowMs <= t) w.head++;
      if (w.head > 512 && w.head * 2 > w.sends.length) {
        w.sends = w.sends.slice(w.head);
        w.head = 0;
      }
      if (w.limit < w.documented && t - w.cutAt >= w.windowMs) {
        w.limit = Math.min(w.documented, w.limit + Math.max(1, Math.floor(w.documented / 10)));
        w.cutAt = t;
      }
      const used = w.sends.length - w.head;
      if (used >= w.limit) wait = Math.max(wait, w.sends[w.head + used - w.limit]! + w.windowMs - t);
    }
    return wait;
  }

  /** Waits until a request may be sent, then takes one token. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const ticket = ++this.taken;
    try {
      for (;;) {
        this.refill();
        const t = this.now();
        if (t < this.blockedUntil) {
          // Held by a 429: each caller wakes at its own point of the spread, not all at Retry-After.
          await sleep(this.blockedUntil - t + this.random() * this.blockSpreadMs, signal);
          continue;
        }
        if (this.credit >= ticket) {
          const wait = this.windowWait(t);
          if (wait <= 0) {
            for (const w of this.windows.values()) w.sends.push(t);
            this.sent++;
            this.inFlight++;
            return;
          }
          await sleep(Math.max(1, Math.min(50, Math.ceil(wait))), signal);
          continue;
        }
        // Re-check at least every 50 ms: the refill estimate may improve meanwhile.
        const wait = this.refillPerMs > 0 ? (ticket - this.credit) / this.refillPerMs : 50;
        await sleep(Math.max(1, Math.min(50, Math.ceil(wait))), signal);
      }
    } catch (err) {
      // A caller who gives up hands its unpaid slot to the ones behind it.
      this.abandoned++;
      if (this.credit < ticket) this.credit += 1;
      throw err;
    }
  }

  /** A request acquired earlier has its answer (or failed): it no longer counts as in flight. */
  settle(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  /**
   * Re-syncs with what the server said, called before `settle` of the same answer. `remaining` (whole
   * tokens, rounded down) bounds the bucket: at least that less the other requests still in flight (the
   * server may not have counted them), less than one more than it. Within those bounds our own count
   * stands, so rounding never costs a fraction of a token; outside, the server is right, which also
   * puts back to work a bucket that refilled faster than our estimate (a full one says nothing of its rate).
   */
  observe(reading: RateLimitReading): void {
    this.refill();
    this.capacity = reading.limit;
    if (reading.refillPerSecond !== undefined) this.refillPerMs = (reading.refillPerSecond * this.timeScale) / 1000;
    else if (this.refillPerMs === 0) this.refillPerMs = ((reading.limit / 3600) * this.timeScale) / 1000;
    if (reading.remaining !== undefined) {
      const gone = this.sent + this.abandoned;
      const others = Math.max(0, this.inFlight - 1);
      const least = gone + Math.max(0, reading.remaining - others);
      const most = gone + reading.remaining;
      if (this.credit < least) this.credit = least;
      else if (this.credit > most + 1) this.credit = most;
    }
    for (const r of reading.windows ?? []) {
      const key = `${r.limit}/${r.windowMs}`;
      if (!this.windows.has(key)) {
        this.windows.set(key, { documented: r.limit, limit: r.limit, windowMs: (r.windowMs * WINDOW_MARGIN) / this.timeScale, sends: [], head: 0, cutAt: this.now() });
      }
    }
  }

  /**
   * After a 429 (retryAfterMs already in real ms): everyone waits, the bucket counts as spent and each
   * window's estimate drops by a tenth; the block ends for each caller somewhere in a jittered spread.
   */
  block(retryAfterMs: number): void {
    this.refill();
    const t = this.now();
    this.rateLimited++;
    // With documented windows the 429 is theirs (the headers keep the bucket right); alone, the bucket is spent.
    if (this.windows.size === 0 && this.refillPerMs > 0) this.credit = Math.min(this.credit, this.sent + this.abandoned);
    for (const w of this.windows.values()) {
      if (t - w.cutAt > 0) w.limit = Math.max(1, Math.floor(w.limit * 0.9));
      w.cutAt = t;
    }
    this.blockedUntil = Math.max(this.blockedUntil, t + retryAfterMs);
    this.blockSpreadMs = Math.max(retryAfterMs / 2, 1);
  }

  snapshot(): { tokens: number; capacity: number; blockedUntil: number; windows: { limit: number; used: number }[] } {
    this.refill();
    const t = this.now();
    this.windowWait(t);
    const windows = [...this.windows.values()].map((w) => ({ limit: w.limit, used: w.sends.length - w.head }));
    return { tokens: this.credit - this.taken, capacity: this.capacity, blockedUntil: this.blockedUntil, windows };
  }
}

/**
 * Names an account in a budget key without its secret, nor a hash of it (hashing loaded node:crypto
 * on every command's path): the n-th distinct secret this process has seen is account n.
 */
export function accountKey(secret: string): string {
  let n = accountNumbers.get(secret);
  if (n === undefined) accountNumbers.set(secret, (n = accountNumbers.size + 1));
  return `account-${n}`;
}
const accountNumbers = new Map<string, number>();

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
