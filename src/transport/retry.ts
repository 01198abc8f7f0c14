import type { ProviderError } from '../core/index.js';
import { neverSent } from './error-mapping.js';

export interface RetryPolicy {
  maxRetries: number;
  backoffMs: (attempt: number) => number;
}

/** Full-jitter exponential backoff: 250 ms, 500 ms, 1 s … capped at 10 s. */
export function jitteredBackoff(attempt: number, random: () => number = Math.random): number {
  return Math.min(10_000, 250 * 2 ** attempt) * (0.5 + random() / 2);
}

/**
 * Pure decision: wait this many ms and try again, or null to give up.
 * A request that is not idempotent is re-sent only when the server provably did not act on
 * it (429, or never sent); ambiguous failures of creates are resolved by the create-id lookup.
 */
export function retryDelay(err: ProviderError, attempt: number, idempotent: boolean, policy: RetryPolicy): number | null {
  if (attempt >= policy.maxRetries) return null;
  if (err.kind === 'rate_limited' || neverSent(err)) {
    return Math.max(err.retryAfterMs ?? 0, err.retryAfterMs === undefined ? policy.backoffMs(attempt) : 0);
  }
  if (!idempotent || !err.retryable) return null;
  return Math.max(err.retryAfterMs ?? 0, policy.backoffMs(attempt));
}
