/**
 * Linode's rate limits: fixed windows per user and operation. Creating a Linode has 20 requests
 * per 15 s, every other operation 800 per minute. Every answer carries X-RateLimit-Limit,
 * -Remaining and -Reset (epoch seconds); a 429 adds Retry-After, the seconds to the window's end.
 */
import type { Clock, EmuRequest } from '../engine/index.js';

export interface WindowRule {
  limit: number;
  windowMs: number;
}

export const CREATE_RULE: WindowRule = { limit: 20, windowMs: 15_000 };
export const DEFAULT_RULE: WindowRule = { limit: 800, windowMs: 60_000 };

export function ruleFor(req: EmuRequest): { scope: string; rule: WindowRule } {
  const create = req.method === 'POST' && /^\/v4(beta)?\/linode\/instances\/?$/.test(req.path);
  return create ? { scope: 'create', rule: CREATE_RULE } : { scope: `${req.method} ${routeKey(req.path)}`, rule: DEFAULT_RULE };
}

/** Per operation: ids in the path do not make a new operation. */
function routeKey(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/private(\/|%2F)\d+/gi, '/{id}');
}

export class FixedWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** 429s answered, for tests and benchmarks. */
  refused = 0;

  constructor(private readonly clock: Clock) {}

  take(account: string, req: EmuRequest): { allowed: boolean; headers: Record<string, string> } {
    const { scope, rule } = ruleFor(req);
    const key = `${account}|${scope}`;
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + rule.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const resetMs = w.start + rule.windowMs;
    const allowed = w.count < rule.limit;
    if (allowed) w.count++;
    else this.refused++;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(rule.limit),
      'X-RateLimit-Remaining': String(rule.limit - w.count),
      'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
    };
    if (!allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil((resetMs - now) / 1000)));
    return { allowed, headers };
  }
}
