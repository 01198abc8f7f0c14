/**
 * Linode meters each operation in fixed windows per user: creating a Linode 20 requests per 15 s,
 * every other operation 800 per minute (techdocs.akamai.com/linode-api/reference/rate-limits),
 * announced by X-RateLimit-Limit / -Remaining / -Reset (epoch seconds) and Retry-After on a 429.
 *
 * A shared token bucket cannot hold that: a burst of creates would pass before the first answer
 * tells the limit, and a continuous refill overshoots a fixed window. So each scope is paced here,
 * before the request leaves: a request goes only when fewer than `limit` others were answered
 * within the last window or are still in flight, which no fixed window of arrivals can exceed,
 * whatever the latency. The documented limits are known up front; X-RateLimit-Limit, when it
 * says less, lowers them.
 */
import { sleep, type ResponseHeaders } from '../../core/index.js';
import type { RateLimitStyle } from '../../transport/index.js';

export type Scope = 'create' | 'default';

export interface ScopeLimit {
  limit: number;
  windowMs: number;
}

/** As documented; the emulator enforces the same. */
export const DOCUMENTED_LIMITS: Readonly<Record<Scope, ScopeLimit>> = Object.freeze({
  create: { limit: 20, windowMs: 15_000 },
  default: { limit: 800, windowMs: 60_000 },
});

/** Only POST /linode/instances has its own budget among the calls ferry makes. */
export function scopeOf(method: string, path: string): Scope {
  return method === 'POST' && /\/linode\/instances\/?$/.test(path) ? 'create' : 'default';
}

/** Spare room for the server's whole-second clock against ours. */
const MARGIN = 0.05;

/** A request counted against a window: in flight (null) until its answer, then the answer's time. */
interface Entry {
  at: number | null;
}

/**
 * At most `limit` requests whose answers came within the last window, or that are still in flight.
 * A request arrives before its answer, so whatever the latency, no window-long span of arrivals
 * holds more than `limit` of them: a late answer only holds the next request back.
 */
class SlidingLog {
  private entries: Entry[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    public limit: number,
    private readonly spanMs: number,
    private readonly now: () => number,
  ) {}

  /** Callers leave one by one, in order; each calls the returned function when answered. */
  take(signal?: AbortSignal): Promise<() => void> {
    const turn = this.queue.then(() => this.wait(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      const t = this.now();
      this.entries = this.entries.filter((e) => e.at === null || t - e.at < this.spanMs);
      if (this.entries.length < this.limit) {
        const entry: Entry = { at: null };
        this.entries.push(entry);
        return () => {
          entry.at ??= this.now();
        };
      }
      const answered = this.entries.filter((e) => e.at !== null).map((e) => e.at! + this.spanMs - t);
      await sleep(Math.max(1, Math.min(25, Math.ceil(answered.length ? Math.min(...answered) : 5))), signal);
    }
  }
}

/** One pacer per account, shared by every Provider object on it (like the transport's budgets). */
export class LinodePacer {
  private readonly logs: Record<Scope, SlidingLog>;

  constructor(timeScale = 1, now: () => number = Date.now) {
    const log = (s: ScopeLimit) => new SlidingLog(s.limit, (s.windowMs * (1 + MARGIN)) / timeScale, now);
    this.logs = { create: log(DOCUMENTED_LIMITS.create), default: log(DOCUMENTED_LIMITS.default) };
  }

  /** Waits for the scope's turn; call the result once the answer (or failure) came back. */
  take(scope: Scope, signal?: AbortSignal): Promise<() => void> {
    return this.logs[scope].take(signal);
  }

  /** The server said a smaller limit: believe it (never raise above the documented one). */
  observe(scope: Scope, headers: ResponseHeaders): void {
    const limit = Number(headers.get('x-ratelimit-limit'));
    if (Number.isInteger(limit) && limit > 0 && limit < this.logs[scope].limit) this.logs[scope].limit = limit;
  }
}

const pacers = new Map<string, LinodePacer>();
const pacersByPool = new WeakMap<Map<string, unknown>, Map<string, LinodePacer>>();

/** The account's pacer; a caller-given budget pool (tests) gets pacers of its own. */
export function pacerFor(pool: Map<string, unknown> | undefined, account: string, timeScale: number): LinodePacer {
  let map = pacers;
  if (pool) {
    map = pacersByPool.get(pool) ?? new Map();
    pacersByPool.set(pool, map);
  }
  let p = map.get(account);
  if (!p) map.set(account, (p = new LinodePacer(timeScale)));
  return p;
}

/**
 * The transport's reading of X-RateLimit-*: the window ends at X-RateLimit-Reset, and the budget
 * refills to the limit then; spread over the window that is limit per window. Read against the
 * server's Date so a time-scaled emulator reads right. The pacer above does the pacing; this keeps
 * the transport's shared budget in step after a 429 and for callers outside the pacer.
 */
export const linodeRateLimit: RateLimitStyle = (h) => {
  const limit = Number(h.get('x-ratelimit-limit'));
  const remaining = Number(h.get('x-ratelimit-remaining'));
  if (h.get('x-ratelimit-limit') === null || !Number.isFinite(limit) || !Number.isFinite(remaining)) return undefined;
  // The create scope's readings would shrink the general budget: only the general one feeds it.
  if (limit < DOCUMENTED_LIMITS.default.limit / 4) return undefined;
  return { limit, remaining, refillPerSecond: limit / (DOCUMENTED_LIMITS.default.windowMs / 1000) };
};
