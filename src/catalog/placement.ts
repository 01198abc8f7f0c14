/**
 * Cheapest-first placement: try the cheapest matching offer, move on only when the failure
 * belongs to that offer (no capacity, quota, plan not sold there), stop on anything else.
 * An authentication failure is never read as "no capacity".
 */
import { ProviderError, UserError, type Offer } from '../core/index.js';
import { describeOffer } from './format.js';
import { selectOffers, type OfferConstraints, type SelectOptions } from './select.js';

export type AttemptOutcome = 'placed' | 'capacity' | 'quota' | 'unavailable' | 'timeout' | 'failed';

/** An offer that failed recently for capacity or quota: placement skips it until `until`. */
export interface SuppressedOffer {
  provider: string;
  plan: string;
  region: string;
  reason: string;
  /** ISO 8601. */
  until: string;
}

/** Attempts placement makes at most unless told otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface AttemptReport {
  /** 1-based. */
  attempt: number;
  offer: Offer;
  outcome: AttemptOutcome;
  /** The error's message, when the attempt failed. */
  error?: string;
}

export interface PlaceOptions extends SelectOptions {
  /** Offers to try at most (default DEFAULT_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Awaited: a caller may record a capacity failure before the next attempt. */
  onAttempt?: (report: AttemptReport) => unknown;
  /** Offers not to try (recent capacity or quota failures); they are named in the final error. */
  suppressed?: readonly SuppressedOffer[];
  /** Milliseconds one attempt may take; the attempt's signal is aborted and placement moves on. */
  attemptTimeoutMs?: number;
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
  readonly skipped: readonly SuppressedOffer[];
  constructor(attempts: AttemptReport[], untried: number, skipped: SuppressedOffer[] = []) {
    const allQuota = attempts.length > 0 && attempts.every((a) => a.outcome === 'quota');
    const lines = attempts.map((a) => `  ${a.attempt}. ${describeOffer(a.offer)}: ${a.outcome}${a.error ? ` (${a.error})` : ''}`);
    const skippedLines = skipped.map((x) => `  skipped ${x.provider} ${x.plan} in ${x.region}: ${x.reason}, suppressed until ${x.until}`);
    const stop =
      untried > 0 ? `stopped after ${attempts.length} attempts (the cap; --max-attempts raises it); ${untried} more offers matched` : `tried all ${attempts.length} matching offers`;
    super({ kind: allQuota ? 'quota' : 'capacity', message: [`no offer could be placed: ${stop}:`, ...lines, ...skippedLines].join('\n') });
    this.attempts = attempts;
    this.skipped = skipped;
  }
}

const offerKey = (x: { provider: string; plan: string; region: string }) => `${x.provider}\u0000${x.plan}\u0000${x.region}`;

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

class AttemptTimeout extends Error {}

function classify(err: unknown, offer: Offer, isUnavailable: (err: unknown, offer: Offer) => boolean): AttemptOutcome {
  if (err instanceof AttemptTimeout) return 'timeout';
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
  attempt: (offer: Offer, signal?: AbortSignal) => Promise<T>,
  options: PlaceOptions | ((report: AttemptReport) => void) = {},
): Promise<Placement<T>> {
  const o: PlaceOptions = typeof options === 'function' ? { onAttempt: options } : options;
  if (o.maxAttempts !== undefined && !(Number.isInteger(o.maxAttempts) && o.maxAttempts >= 1)) {
    throw new UserError(`--max-attempts must be a whole number ≥ 1, got ${o.maxAttempts}`);
  }
  if (o.attemptTimeoutMs !== undefined && !(Number.isFinite(o.attemptTimeoutMs) && o.attemptTimeoutMs > 0)) {
    throw new UserError(`--attempt-timeout must be > 0, got ${o.attemptTimeoutMs}`);
  }
  // Arm servers run other binaries: placement picks one only when asked.
  const candidates = selectOffers(offers, { arch: 'x86', ...constraints }, o);
  const suppressed = new Map((o.suppressed ?? []).map((x) => [offerKey(x), x]));
  const skipped = candidates.flatMap((c) => suppressed.get(offerKey(c)) ?? []);
  const open = candidates.filter((c) => !suppressed.has(offerKey(c)));
  const toTry = open.slice(0, o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const isUnavailable = o.isOfferUnavailable ?? saysOfferUnavailable;
  const attempts: AttemptReport[] = [];

  for (const [i, offer] of toTry.entries()) {
    if (o.signal?.aborted) {
      throw new ProviderError({ kind: 'cancelled', provider: offer.provider, message: 'placement cancelled', cause: o.signal.reason });
    }
    try {
      const result = await withTimeout(o.attemptTimeoutMs, o.signal, (signal) => attempt(offer, signal));
      const report: AttemptReport = { attempt: i + 1, offer, outcome: 'placed' };
      attempts.push(report);
      await o.onAttempt?.(report);
      return { offer, result, attempts };
    } catch (err) {
      const outcome = classify(err, offer, isUnavailable);
      const report: AttemptReport = { attempt: i + 1, offer, outcome, error: err instanceof Error ? err.message : String(err) };
      attempts.push(report);
      await o.onAttempt?.(report);
      if (outcome === 'failed') throw err;
    }
  }
  throw new PlacementExhaustedError(attempts, open.length - toTry.length, skipped);
}

/**
 * Runs one attempt under its own deadline. The attempt's signal is aborted at the deadline; a
 * create cut short stays in the create journal as pending, so `ferry gc` settles it.
 */
async function withTimeout<T>(ms: number | undefined, outer: AbortSignal | undefined, run: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  if (ms === undefined) return run(outer);
  const ctl = new AbortController();
  const onOuter = () => ctl.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let timedOut: AttemptTimeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = new AttemptTimeout(`no answer within ${ms} ms`);
      reject(timedOut);
      ctl.abort(timedOut);
    }, ms);
  });
  const attempt = run(ctl.signal);
  // The loser of the race must not surface as an unhandled rejection.
  attempt.catch(() => undefined);
  try {
    return await Promise.race([attempt, deadline]);
  } catch (err) {
    // However the attempt reacted to the abort, the reason it ended is the deadline.
    throw timedOut ?? err;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}
