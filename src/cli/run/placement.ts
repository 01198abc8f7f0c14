/** Where a deploy goes: the catalog's price of an explicit target, or placement by the offer filters. */
import type { Offer } from '../../core/index.js';
import { UserError } from '../../core/index.js';
import { describeConstraints, place, type Placement } from '../../catalog/index.js';
import type { LaunchPrice } from '../../store/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { describeOrigins, describeUnpriced, gatherOffers } from '../offers-source.js';
import { note } from '../output.js';
import { targetProviders } from '../providers.js';
import { activateRates } from '../rates.js';

export function priceOf(offer: Offer | undefined): LaunchPrice | null {
  return offer ? { priceHourly: offer.priceHourly, priceMonthly: offer.priceMonthly, currency: offer.currency } : null;
}

/** The catalog's price for an explicit deploy; unknown prices only cost the costs report a line. */
export async function launchOffer(ctx: Context, provider: string, size: string, region: string): Promise<Offer | undefined> {
  try {
    const { offers } = await gatherOffers(ctx, { providers: [provider] });
    return offers.find((o) => o.plan === size && o.region === region);
  } catch {
    return undefined;
  }
}

/**
 * Placement by the offer filters: `attempt` on the cheapest offer that fits, then on the
 * next-cheapest after a capacity, quota or unavailable failure (remembered for every ferry process).
 */
export async function placeOn<T>(ctx: Context, args: Args, attempt: (offer: Offer, signal?: AbortSignal) => Promise<T>): Promise<Placement<T>> {
  const constraints = constraintsFrom(args);
  // Placement needs a provider to place on: none configured says how to get one (or the demo).
  const providers = await targetProviders(ctx, constraints.providers, '`ferry deploy`');
  await activateRates(ctx, undefined);
  const gathered = await gatherOffers(ctx, { providers, onlyConfigured: true });
  for (const w of gathered.warnings) note(ctx, `note: ${w}`);
  const unpriced = describeUnpriced(gathered.unpriced);
  if (unpriced) note(ctx, `note: ${unpriced}`);
  if (!gathered.offers.length) throw new UserError('no offers to place on', 'configure a provider with prices (see `ferry providers`)');
  note(ctx, `placing by ${describeConstraints(constraints)}; prices: ${describeOrigins(gathered.origins)}`);
  const registry = await ctx.registry();
  const store = await ctx.store();
  // Offers that failed for capacity or quota lately (in this process or another) are not tried again yet.
  const suppressed = await store.suppressions.active();
  for (const x of suppressed) note(ctx, `skipping ${x.provider} ${x.plan} in ${x.region}: ${x.kind} at ${x.recordedAt}, suppressed until ${x.until}`);
  return place(gathered.offers, constraints, attempt, {
    knownProviders: registry.registeredProviders(),
    suppressed,
    ...(typeof args.maxAttempts === 'number' ? { maxAttempts: args.maxAttempts } : {}),
    ...(typeof args.attemptTimeout === 'number' ? { attemptTimeoutMs: args.attemptTimeout * 1000 } : {}),
    onAttempt: async (a) => {
      if (a.outcome === 'capacity' || a.outcome === 'quota' || a.outcome === 'timeout') await store.suppressions.suppress(a.offer, a.outcome, a.error ?? a.outcome);
      if (a.outcome !== 'placed') note(ctx, `  ${a.outcome === 'failed' ? 'failed' : `no ${a.outcome === 'unavailable' ? 'such offer' : a.outcome}`}: ${a.error ?? ''}${a.outcome === 'failed' ? '' : ' → next-cheapest offer'}`);
    },
  });
}
