/** Before any destroy: what it means for the bill, per provider, and the user's yes. */
import { destroySemanticsOf, UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { confirm } from '../prompt.js';

/** Without a terminal to ask at, only --yes confirms. */
export function refuseUnconfirmed(ctx: Context, args: Args, what: string): void {
  if (!args.yes && !ctx.interactive) throw new UserError(`refusing to destroy ${what} without confirmation: stdin is not a terminal`, 'pass --yes to confirm');
}

/** Says what destroy means for the bill per provider, then asks (see the command's help); false: declined, nothing done. */
export async function confirmDestroy(ctx: Context, args: Args, providers: readonly string[], list: string): Promise<boolean> {
  // An immediate release or a cancellation at the end of the paid period.
  const registry = await ctx.registry();
  const semantics = new Map(providers.map((p) => [p, destroySemanticsOf(registry.descriptor(p))]));
  for (const [provider, s] of semantics) ctx.stderr.write(`${provider}: ${s.note}\n`);
  const monthly = [...semantics.values()].some((s) => s.kind === 'end-of-period');
  // Cancelling a monthly server is asked about at a terminal even with --yes: the period is paid either way.
  if (args.yes && !(monthly && ctx.interactive)) return true;
  if (await confirm(ctx, `${monthly ? 'cancel (billed to the end of the period)' : 'destroy'} ${list}?`)) return true;
  ctx.stderr.write('nothing destroyed\n');
  return false;
}
