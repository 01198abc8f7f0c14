/** `ferry costs`: spend at launch prices grouped by provider, month, region or a label, with --since/--until. */
import { formatMoney, formatPrice } from '../../catalog/index.js';
import { UserError } from '../../core/index.js';
import { costsBy, summariseCosts, toCsv, type CostDimension } from '../../store/index.js';
import type { Context } from '../context.js';
import { dateFlag } from '../dates.js';
import type { Args } from '../define.js';
import { printJson, printTable } from '../output.js';
import { recordsNow } from '../provider-clock.js';

function dimension(value: unknown): CostDimension {
  if (value === undefined) return 'provider';
  const v = String(value);
  if (v === 'provider' || v === 'month' || v === 'region') return v;
  const label = /^label[:=](.+)$/.exec(v)?.[1]?.trim();
  if (label) return { label };
  throw new UserError(`--by must be provider, month, region or label:<key>, got ${v}`);
}

const money = (n: number, cur: string) => formatMoney(n, cur);

export async function run(ctx: Context, args: Args): Promise<number> {
  const now = recordsNow(ctx);
  const by = dimension(args.by);
  const since = dateFlag('--since', args.since, now);
  const until = dateFlag('--until', args.until, now);
  if (since && until && since >= until) throw new UserError('--since must be before --until');
  const store = await ctx.store();
  const rows = await store.inventory.list({ includeDestroyed: true, ...(typeof args.provider === 'string' ? { provider: args.provider } : {}) });
  const window = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
  const breakdown = costsBy(rows, now, by, window);
  const totals = new Map<string, number>();
  for (const g of breakdown.groups) totals.set(g.currency, (totals.get(g.currency) ?? 0) + g.cost);
  const instances = args.instances || args.json ? summariseCosts(rows, now, window).lines : [];
  if (args.json) {
    printJson(ctx, { ...breakdown, totals: [...totals].map(([currency, cost]) => ({ currency, cost })), instances });
    return 0;
  }
  if (args.csv) {
    ctx.stdout.write(toCsv([breakdown.by, 'currency', 'cost', 'hours', 'instances'], breakdown.groups.map((g) => [g.key, g.currency, Number(g.cost.toFixed(6)), Number(g.hours.toFixed(3)), g.instances])));
    return 0;
  }
  printTable(ctx, [breakdown.by, 'instances', 'hours', 'cost'], breakdown.groups.map((g) => [g.key, String(g.instances), g.hours.toFixed(2), money(g.cost, g.currency)]), '(no instances in this window)');
  if (args.instances && instances.length) {
    ctx.stdout.write('\n');
    printTable(ctx, ['instance', 'provider', 'state', 'hours', 'price at launch'], instances.map((l) => [l.name, l.provider, l.active ? 'running' : 'destroyed', l.hours.toFixed(2), l.priceHourly === null ? '-' : formatPrice(l.priceHourly, l.currency)]));
  }
  ctx.stdout.write(`\ntotal ${totals.size ? [...totals].map(([c, n]) => money(n, c)).join(' + ') : 'none'} from ${breakdown.since ?? 'the first launch'} to ${breakdown.until}\n`);
  if (breakdown.unpriced) ctx.stdout.write(`${breakdown.unpriced} instance(s) without a known launch price are not in the totals\n`);
  ctx.stderr.write('(an estimate at launch prices, capped monthly; the provider\'s invoice is the reference)\n');
  return 0;
}
