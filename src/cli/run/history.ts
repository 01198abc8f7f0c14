/** `ferry history`: events newest first. */
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson, printTable, shortTime } from '../output.js';

function summary(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const store = await ctx.store();
  const limit = typeof args.limit === 'number' ? Math.max(0, Math.floor(args.limit)) : 20;
  const events = await store.history.list({
    limit,
    ...(typeof args.provider === 'string' ? { provider: args.provider } : {}),
    ...(typeof args.instance === 'string' ? { name: args.instance } : {}),
  });
  if (args.json) {
    printJson(ctx, events);
    return 0;
  }
  printTable(
    ctx,
    ['when', 'event', 'provider', 'instance', 'details'],
    events.map((e) => [shortTime(e.at), e.kind, e.provider, e.name ?? e.instanceId ?? '-', summary(e.detail)]),
    '(no history yet)',
  );
  return 0;
}
