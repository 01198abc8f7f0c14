/** `ferry costs`: hours alive × price at launch, per instance, with totals by provider and currency. */
import { formatPrice } from '../../catalog/index.js';
import { UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson, printTable } from '../output.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const store = await ctx.store();
  const since = typeof args.since === 'string' ? args.since : undefined;
  if (since !== undefined && Number.isNaN(Date.parse(since))) throw new UserError(`--since ${since} is not a date`, 'use ISO 8601, e.g. 2026-01-01');
  const summary = await store.history.costs({
    ...(typeof args.provider === 'string' ? { provider: args.provider } : {}),
    ...(since ? { since } : {}),
  });
  const byProvider = new Map<string, { provider: string; currency: string; cost: number; hours: number; instances: number }>();
  for (const l of summary.lines) {
    if (l.cost === null) continue;
    const currency = l.currency ?? 'unknown';
    const key = `${l.provider}|${currency}`;
    const t = byProvider.get(key) ?? { provider: l.provider, currency, cost: 0, hours: 0, instances: 0 };
    t.cost += l.cost;
    t.hours += l.hours;
    t.instances++;
    byProvider.set(key, t);
  }
  const providerTotals = [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider));
  if (args.json) {
    printJson(ctx, { ...summary, byProvider: providerTotals });
    return 0;
  }
  const money = (n: number | null, cur: string | null) => (n === null ? 'unknown' : `${formatPrice(n, cur ?? 'USD', 'h').replace(/\/h$/, '')}`);
  printTable(
    ctx,
    ['instance', 'provider', 'state', 'hours', 'price', 'cost'],
    summary.lines.map((l) => [l.name, l.provider, l.active ? 'running' : 'destroyed', l.hours.toFixed(2), l.priceHourly === null ? '-' : formatPrice(l.priceHourly, l.currency ?? 'USD'), money(l.cost, l.currency)]),
    '(no instances in the inventory)',
  );
  if (providerTotals.length) {
    ctx.stdout.write('\n');
    printTable(ctx, ['provider', 'instances', 'hours', 'total'], providerTotals.map((t) => [t.provider, String(t.instances), t.hours.toFixed(2), money(t.cost, t.currency)]));
  }
  if (summary.unpriced) ctx.stdout.write(`\n${summary.unpriced} instance(s) without a known launch price are not in the totals\n`);
  ctx.stderr.write('(an estimate: providers round hours and cap at the monthly price)\n');
  return 0;
}
