/** `ferry inventory` (statistics) and `ferry inventory export --csv`. */
import { CREATE_ID_KEY, MANAGED_BY_KEY } from '../../core/index.js';
import { formatMoney } from '../../catalog/index.js';
import { inventoryStats, inventoryToCsv, toCsv, type InventoryStats } from '../../store/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { age, printJson, printTable } from '../output.js';
import { recordsNow } from '../provider-clock.js';

const money = (amount: number, currency: string) => formatMoney(amount, currency);

async function rows(ctx: Context, args: Args) {
  const store = await ctx.store();
  return store.inventory.list({ includeDestroyed: true, ...(typeof args.provider === 'string' ? { provider: args.provider } : {}) });
}

export async function stats(ctx: Context, args: Args): Promise<number> {
  const now = recordsNow(ctx);
  const s = inventoryStats(await rows(ctx, args), now, [CREATE_ID_KEY, MANAGED_BY_KEY]);
  if (args.json) {
    printJson(ctx, s);
    return 0;
  }
  if (args.csv) {
    ctx.stdout.write(toCsv(['section', 'key', 'value'], flatten(s)));
    return 0;
  }
  const out = ctx.stdout;
  out.write(`${s.total} servers recorded: ${s.live} live, ${s.destroyed} destroyed; ${s.hours.toFixed(1)} server-hours\n`);
  out.write(`spend to date (launch prices): ${s.spend.length ? s.spend.map((x) => money(x.amount, x.currency)).join(' + ') : 'none'}${s.unpriced ? ` (${s.unpriced} without a known price)` : ''}\n`);
  if (s.oldest) out.write(`oldest live: ${s.oldest.name} (${s.oldest.provider} ${s.oldest.instanceId}), up ${age(s.oldest.createdAt, now)}\n`);
  const section = (title: string, list: { key: string; count: number }[]) => {
    out.write(`\n${title}\n`);
    printTable(ctx, ['', 'servers'], list.map((c) => [c.key, String(c.count)]));
  };
  section('live by provider', s.byProvider);
  section('live by region', s.byRegion);
  section('by status', s.byStatus);
  if (s.labels.length) {
    out.write('\nlabels of live servers\n');
    printTable(ctx, ['key', 'values'], s.labels.map((l) => [l.key, l.values.map((v) => `${v.key} (${v.count})`).join(', ')]));
  }
  return 0;
}

function flatten(s: InventoryStats): (string | number)[][] {
  return [
    ['total', 'servers', s.total],
    ['total', 'live', s.live],
    ['total', 'destroyed', s.destroyed],
    ['total', 'hours', Number(s.hours.toFixed(3))],
    ...s.spend.map((x) => ['spend', x.currency, Number(x.amount.toFixed(4))]),
    ['spend', 'unpriced', s.unpriced],
    ...s.byProvider.map((c) => ['provider', c.key, c.count]),
    ...s.byRegion.map((c) => ['region', c.key, c.count]),
    ...s.byStatus.map((c) => ['status', c.key, c.count]),
    ...s.labels.flatMap((l) => l.values.map((v) => ['label', `${l.key}=${v.key}`, v.count])),
    ...(s.oldest ? [['oldest', `${s.oldest.provider}/${s.oldest.instanceId}`, s.oldest.createdAt]] : []),
  ];
}

export async function exportCsv(ctx: Context, args: Args): Promise<number> {
  ctx.stdout.write(inventoryToCsv(await rows(ctx, args)));
  return 0;
}
