import type { ProviderError } from '../core/index.js';
import { neverSent } from './error-mapping.js';

export interface RetryPolicy {
  maxRetries: number;
  backoffMs: (attempt: number) => number;
  /**
   * Retries of a request answered 429, counted apart: a 429 says "not yet", never "no", so a create
   * that cannot be sent yet waits (the request did not happen) rather than being lost. Default 30.
   */
  maxRateLimitedRetries?: number;
  /** Jitter source (tests inject one). */
  random?: () => number;
}

/** Full-jitter exponential backoff: 250 ms, 500 ms, 1 s … capped at 10 s. */
export function jitteredBackoff(attempt: number, random: () => number = Math.random): number {
  return Math.min(10_000, 250 * 2 ** attempt) * (0.5 + random() / 2);
}

/**
 * The wait after the attempt-th 429 in a row: never less than Retry-After (the backoff without one), growing with each one,
 * and spread by jitter over up to half as long again, so a crowd refused together comes back apart.
 */
export function rateLimitedDelay(retryAfterMs: number | undefined, attempt: number, backoffMs: (attempt: number) => number, random: () => number = Math.random): number {
  const base = retryAfterMs !== undefined ? retryAfterMs * (1 + Math.min(attempt, 4) / 2) : backoffMs(attempt);
  return base * (1 + Math.min(attempt + 1, 4) * 0.125 * random());
}

/**
 * Pure decision: wait this many ms and try again, or null to give up.
 * A request that is not idempotent is re-sent only when the server provably did not act on
 * it (429, or never sent); ambiguous failures of creates are resolved by the create-id lookup.
 * `attempt` counts every try so far, `rateLimited` the 429s among them.
 */
export function retryDelay(err: ProviderError, attempt: number, idempotent: boolean, policy: RetryPolicy, rateLimited = 0): number | null {
  if (err.kind === 'rate_limited') {
    if (rateLimited >= (policy.maxRateLimitedRetries ?? 30)) return null;
    return rateLimitedDelay(err.retryAfterMs, rateLimited, policy.backoffMs, policy.random);
  }
  const others = attempt - rateLimited;
  if (others >= policy.maxRetries) return null;
  if (neverSent(err)) return policy.backoffMs(others);
  if (!idempotent || !err.retryable) return null;
  return Math.max(err.retryAfterMs ?? 0, policy.backoffMs(others));
}
