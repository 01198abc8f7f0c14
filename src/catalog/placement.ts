/**
 * Cheapest-first placement: try the cheapest matching offer, move on only when the failure
 * belongs to that offer (no capacity, quota, plan not sold there), stop on anything else.
 * An authentication failure is never read as "no capacity".
 */
import { ProviderError, UserError, type Offer } from '../core/index.js';
import { describeOffer } from './format.js';
import { selectOffers, type OfferConstraints, type SelectOptions } from './select.js';

export type AttemptOutcome = 'placed' | 'capacity' | 'quota' | 'unavailable' | 'failed';

export interface AttemptReport {
  /** 1-based. */
  attempt: number;
  offer: Offer;
  outcome: AttemptOutcome;
  /** The error's message, when the attempt failed. */
  error?: string;
}

export interface PlaceOptions extends SelectOptions {
  /** Offers to try at most (default: every matching offer). */
  maxAttempts?: number;
  onAttempt?: (report: AttemptReport) => void;
  /**
   * Whether an error means "this plan is not sold in this region" (so the next offer may work).
   * The default accepts a UserError or an invalid_config ProviderError that says so in words.
   */
  isOfferUnavailable?: (err: unknown, offer: Offer) => boolean;
  signal?: AbortSignal;
}

export interface Placement<T> {
  offer: Offer;
  result: T;
  attempts: AttemptReport[];
}

/** Every tried offer failed for a reason of its own; `kind` is quota when all were quota, else capacity. */
export class PlacementExhaustedError extends ProviderError {
  readonly attempts: readonly AttemptReport[];
  constructor(attempts: AttemptReport[], untried: number) {
    const allQuota = attempts.every((a) => a.outcome === 'quota');
    const lines = attempts.map((a) => `  ${a.attempt}. ${describeOffer(a.offer)}: ${a.outcome}${a.error ? ` (${a.error})` : ''}`);
    const stop = untried > 0 ? `stopped after ${attempts.length} attempts (maxAttempts); ${untried} more offers matched` : `tried all ${attempts.length} matching offers`;
    super({ kind: allQuota ? 'quota' : 'capacity', message: [`no offer could be placed: ${stop}:`, ...lines].join('\n') });
    this.attempts = attempts;
  }
}

// The drivers' preflight refusals count too ("is not sold in region", "has no available size",
// "unknown hetzner size"): a stale catalog's plan fails them, and the next offer may not.
const UNAVAILABLE_WORDS =
  /\b(not available|unavailable|not offered|not sold|sold out|no longer (?:available|offered)|no (?:available )?(?:size|plan|region|location)|unknown(?: \w+)? (?:size|plan|region|location))\b/i;
const OFFER_WORDS = /\b(size|plan|server[ _]type|instance[ _]type|region|location|zone|datacenter)\b/i;

/**
 * Default for isOfferUnavailable. The catalog may be stale (cache, bundled snapshot), so a plan it
 * lists for a region may no longer be sold there: that rejection concerns the offer, not the request,
 * and the next offer may succeed. Other invalid-config errors (bad image, key, user data) would fail
 * every offer alike, so they stop placement instead of being retried and hidden.
 */
export function saysOfferUnavailable(err: unknown, offer: Offer): boolean {
  const eligible = err instanceof UserError || ProviderError.is(err, 'invalid_config');
  if (!eligible) return false;
  const text = (err as Error).message;
  const mentionsOffer = text.toLowerCase().includes(offer.plan.toLowerCase()) || text.toLowerCase().includes(offer.region.toLowerCase()) || OFFER_WORDS.test(text);
  return mentionsOffer && UNAVAILABLE_WORDS.test(text);
}

function classify(err: unknown, offer: Offer, isUnavailable: (err: unknown, offer: Offer) => boolean): AttemptOutcome {
  if (ProviderError.is(err, 'capacity')) return 'capacity';
  if (ProviderError.is(err, 'quota')) return 'quota';
  return isUnavailable(err, offer) ? 'unavailable' : 'failed';
}

/**
 * Tries `attempt` on the matching offers, cheapest first, until one succeeds. Moves on after
 * capacity, quota or offer-unavailable failures; rethrows any other error at once.
 * Selection errors (bad constraints, nothing matches) are thrown before any attempt.
 */
export async function place<T>(
  offers: readonly Offer[],
  constraints: OfferConstraints,
  attempt: (offer: Offer) => Promise<T>,
  options: PlaceOptions | ((report: AttemptReport) => void) = {},
): Promise<Placement<T>> {
  const o: PlaceOptions = typeof options === 'function' ? { onAttempt: options } : options;
  if (o.maxAttempts !== undefined && !(Number.isInteger(o.maxAttempts) && o.maxAttempts >= 1)) {
    throw new UserError(`maxAttempts must be a whole number of at least 1, got ${o.maxAttempts}`);
  }
  const candidates = selectOffers(offers, constraints, o);
  const toTry = candidates.slice(0, o.maxAttempts ?? candidates.length);
  const isUnavailable = o.isOfferUnavailable ?? saysOfferUnavailable;
  const attempts: AttemptReport[] = [];

  for (const [i, offer] of toTry.entries()) {
    if (o.signal?.aborted) {
      throw new ProviderError({ kind: 'cancelled', provider: offer.provider, message: 'placement cancelled', cause: o.signal.reason });
    }
    try {
      const result = await attempt(offer);
      const report: AttemptReport = { attempt: i + 1, offer, outcome: 'placed' };
      attempts.push(report);
      o.onAttempt?.(report);
      return { offer, result, attempts };
    } catch (err) {
      const outcome = classify(err, offer, isUnavailable);
      const report: AttemptReport = { attempt: i + 1, offer, outcome, error: err instanceof Error ? err.message : String(err) };
      attempts.push(report);
      o.onAttempt?.(report);
      if (outcome === 'failed') throw err;
    }
  }
  throw new PlacementExhaustedError(attempts, candidates.length - toTry.length);
}
