/** `ferry history` (events newest first) and `ferry history prune --older-than 90d`. */
import { UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import { dateFlag, parseDuration } from '../dates.js';
import type { Args } from '../define.js';
import { printJson, printTable, shortTime } from '../output.js';
import { recordsNow } from '../provider-clock.js';

function summary(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

export async function run(ctx: Context, args: Args): Promise<number> {
  if (args.limit !== undefined && !(Number.isInteger(args.limit) && (args.limit as number) >= 1)) throw new UserError(`--limit must be a whole number ≥ 1, got ${String(args.limit)}`);
  const now = recordsNow(ctx);
  const since = dateFlag('--since', args.since, now);
  const until = dateFlag('--until', args.until, now);
  const store = await ctx.store();
  const events = await store.history.list({
    limit: typeof args.limit === 'number' ? args.limit : 20,
    ...(typeof args.provider === 'string' ? { provider: args.provider } : {}),
    ...(typeof args.instance === 'string' ? { name: args.instance } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  });
  if (args.json) {
    printJson(ctx, events);
    return 0;
  }
  printTable(
    ctx,
    ['when', 'event', 'provider', 'instance', 'details'],
    events.map((e) => [shortTime(e.at), e.kind, e.provider, e.name ?? e.instanceId ?? '-', summary(e.detail)]),
    '(no history in this window)',
  );
  return 0;
}

export async function prune(ctx: Context, args: Args): Promise<number> {
  if (args.olderThan === undefined) throw new UserError('--older-than is required', 'e.g. `ferry history prune --older-than 90d`');
  const ms = parseDuration(String(args.olderThan));
  if (ms === null || ms <= 0) throw new UserError(`--older-than must be a duration such as 90d or 12w, got ${String(args.olderThan)}`);
  const before = new Date(recordsNow(ctx).getTime() - ms);
  const store = await ctx.store();
  const removed = await store.history.prune(before);
  const expired = await store.suppressions.clear();
  if (args.json) printJson(ctx, { removed, before: before.toISOString(), expiredSuppressions: expired });
  else ctx.stdout.write(`removed ${removed} event(s) older than ${before.toISOString()}; kept the events of live servers and unsettled creates\n`);
  return 0;
}
