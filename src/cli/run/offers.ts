/** `ferry offers`: every provider's matching offers in one ranking, and where their prices came from. */
import { UserError } from '../../core/index.js';
import type { Offer } from '../../core/index.js';
import { HOURS_PER_MONTH, selectOffers } from '../../catalog/index.js';
import type { Suppression } from '../../store/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { describeOrigins, describeUnpriced, gatherOffers } from '../offers-source.js';
import { cheapestPerProvider, choice, GROUPS, groupOffers, OFFER_HEADERS, offerCells, rankAmount, SORTS, sortValue, suppressionKey } from '../offers-view.js';
import { printJson, printTable } from '../output.js';
import { activateRates } from '../rates.js';

/** Suppressions from the store; an unreachable store costs the column, not the listing. */
async function activeSuppressions(ctx: Context): Promise<{ list: Suppression[]; warning?: string }> {
  try {
    return { list: await (await ctx.store()).suppressions.active() };
  } catch (err) {
    return { list: [], warning: `suppressed offers unknown: the store could not be read (${(err as Error).message.split('\n')[0]})` };
  }
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const constraints = constraintsFrom(args);
  if (args.limit !== undefined && !(Number.isInteger(args.limit) && (args.limit as number) >= 1)) throw new UserError(`--limit must be a whole number ≥ 1, got ${String(args.limit)}`);
  const sort = choice('--sort', args.sort, SORTS) ?? 'price';
  const groupBy = choice('--group-by', args.groupBy, GROUPS);
  if (groupBy && args.compare) throw new UserError('--compare and --group-by cannot be combined', '--compare already shows one row per provider');
  const rates = await activateRates(ctx, args.rates);
  // The store (for suppressed offers) opens while the prices are read.
  const suppressionsRead = activeSuppressions(ctx);
  const gathered = await gatherOffers(ctx, {
    ...(constraints.providers ? { providers: constraints.providers } : {}),
    offline: Boolean(args.offline),
    refresh: Boolean(args.refresh),
  });
  const registry = await ctx.registry();
  if (!gathered.offers.length) throw new UserError('no provider has prices to show', describeUnpriced(gathered.unpriced) ?? undefined);
  const hours = constraints.hours ?? HOURS_PER_MONTH;
  const display = constraints.currency ?? 'USD';
  const matching = selectOffers(gathered.offers, constraints, { knownProviders: registry.registeredProviders() });
  if (sort !== 'price') matching.sort((a, b) => sortValue(a, sort, hours) - sortValue(b, sort, hours));
  const limit = typeof args.limit === 'number' ? args.limit : matching.length;
  const suppressions = await suppressionsRead;
  const byKey = new Map(suppressions.list.map((s) => [suppressionKey(s), s]));
  const notes = [...gathered.warnings, ...(suppressions.warning ? [suppressions.warning] : [])];
  const unpriced = describeUnpriced(gathered.unpriced);
  const ranking = { hours, currency: display, rates: { asOf: rates.asOf, source: rates.source } };
  const annotate = (o: Offer) => ({ ...o, rank: { amount: rankAmount(o, hours, display), currency: display, hours }, ...(byKey.get(suppressionKey(o)) ? { suppressed: byKey.get(suppressionKey(o)) } : {}) });

  if (args.compare) {
    const best = cheapestPerProvider(matching);
    const base = best[0] ? rankAmount(best[0], hours, display) : 0;
    if (args.json) {
      printJson(ctx, { compare: best.map((o) => ({ ...annotate(o), ratio: base > 0 ? rankAmount(o, hours, display) / base : 1 })), ranking, sources: gathered.origins, warnings: notes, unpriced: gathered.unpriced });
      return 0;
    }
    const rows = best.map((o) => [...offerCells(o, hours, display, byKey.get(suppressionKey(o))).slice(0, 11), base > 0 ? `×${(rankAmount(o, hours, display) / base).toFixed(2)}` : '×1.00']);
    printTable(ctx, [...OFFER_HEADERS(hours, display).slice(0, 11), 'vs best'], rows);
  } else if (groupBy) {
    const groups = groupOffers(matching, groupBy);
    if (args.json) {
      printJson(ctx, { groups: groups.map((g) => ({ key: g.key, total: g.offers.length, offers: g.offers.slice(0, limit).map(annotate) })), ranking, sources: gathered.origins, warnings: notes, unpriced: gathered.unpriced });
      return 0;
    }
    for (const [i, g] of groups.entries()) {
      ctx.stdout.write(`${i ? '\n' : ''}${groupBy} ${g.key}: ${g.offers.length} offers\n`);
      printTable(ctx, OFFER_HEADERS(hours, display), g.offers.slice(0, limit).map((o) => offerCells(o, hours, display, byKey.get(suppressionKey(o)))));
    }
  } else {
    if (args.json) {
      printJson(ctx, { offers: matching.slice(0, limit).map(annotate), total: matching.length, ranking, sources: gathered.origins, warnings: notes, unpriced: gathered.unpriced });
      return 0;
    }
    printTable(ctx, OFFER_HEADERS(hours, display), matching.slice(0, limit).map((o) => offerCells(o, hours, display, byKey.get(suppressionKey(o)))));
  }
  const more = !args.compare && !groupBy && matching.length > limit ? ` (${matching.length - limit} more: --limit ${matching.length})` : '';
  ctx.stdout.write(`\n${matching.length} offers${more}, ranked on ${hours} h in ${display} at the rates of ${rates.asOf}. Prices: ${describeOrigins(gathered.origins)}\n`);
  for (const w of notes) ctx.stderr.write(`note: ${w}\n`);
  if (unpriced) ctx.stderr.write(`note: ${unpriced}\n`);
  return 0;
}
