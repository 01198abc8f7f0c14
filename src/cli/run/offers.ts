/** `ferry offers`: matching offers cheapest first, and where their prices came from. */
import { formatOfferRow, selectOffers } from '../../catalog/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { describeOrigins, describeUnpriced, gatherOffers } from '../offers-source.js';
import { printJson, printTable } from '../output.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const constraints = constraintsFrom(args);
  const gathered = await gatherOffers(ctx, {
    ...(constraints.providers ? { providers: constraints.providers } : {}),
    offline: Boolean(args.offline),
    refresh: Boolean(args.refresh),
  });
  const registry = await ctx.registry();
  const matching = selectOffers(gathered.offers, constraints, { knownProviders: registry.registeredProviders() });
  const limit = typeof args.limit === 'number' && args.limit > 0 ? args.limit : matching.length;
  if (args.json) {
    printJson(ctx, { offers: matching.slice(0, limit), total: matching.length, sources: gathered.origins, warnings: gathered.warnings, unpriced: gathered.unpriced });
    return 0;
  }
  const rows = matching.slice(0, limit).map((o) => {
    const r = formatOfferRow(o);
    return [r.provider, r.plan, r.region, r.vcpus, r.memory, r.disk, r.gpu, r.hourly, r.monthly, r.source];
  });
  printTable(ctx, ['provider', 'plan', 'region', 'vcpus', 'memory', 'disk', 'gpu', 'hourly', 'monthly', 'source'], rows);
  const more = matching.length > limit ? ` (${matching.length - limit} more: --limit ${matching.length})` : '';
  ctx.stdout.write(`\n${matching.length} offers${more}. Prices: ${describeOrigins(gathered.origins)}\n`);
  for (const w of gathered.warnings) ctx.stderr.write(`note: ${w}\n`);
  const unpriced = describeUnpriced(gathered.unpriced);
  if (unpriced) ctx.stderr.write(`note: ${unpriced}\n`);
  return 0;
}
