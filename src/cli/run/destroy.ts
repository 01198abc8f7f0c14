/**
 * `ferry destroy`: asks first (refuses without a terminal unless --yes). The inventory row is
 * marked destroyed only after the provider confirmed; an auth failure leaves it untouched.
 */
import { ProviderError, UserError, destroySemanticsOf } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { EXIT } from '../errors.js';
import { ownedInstance, resolveTarget, type Target } from '../instances.js';
import { confirm } from '../prompt.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const names = (args.instances as string[] | undefined) ?? [];
  if (typeof args.fleet === 'string') {
    if (names.length) throw new UserError('give either instance names or --fleet, not both');
    return (await import('./destroy-fleet.js')).run(ctx, args, args.fleet);
  }
  if (!names.length) throw new UserError('nothing to destroy', 'name the instances (by name or id), or give --fleet <id>');
  refuseUnconfirmed(ctx, args, names.join(', '));
  const only = typeof args.provider === 'string' ? args.provider : undefined;
  const targets: Target[] = [];
  for (const n of names) targets.push(await resolveTarget(ctx, n, only));
  const list = targets.map((t) => `${t.name} (${t.provider.name} ${t.id})`).join(', ');
  if (!(await confirmDestroy(ctx, args, targets.map((t) => t.provider.name), list))) return EXIT.declined;
  const store = await ctx.store();
  for (const t of targets) {
    try {
      // The id may name another server by now (a reused VMID, another account): never destroy that.
      let gone = false;
      await ownedInstance(ctx, t, 'destroy').catch((err: unknown) => {
        if (!ProviderError.is(err, 'not_found')) throw err;
        gone = true;
      });
      if (!gone) await t.provider.destroyInstance(t.id);
    } catch (err) {
      await store.history.record({ provider: t.provider.name, kind: 'destroy_failed', instanceId: t.id, name: t.name, detail: { error: (err as Error).message } });
      throw err;
    }
    await store.db.transaction(async () => {
      await store.inventory.markDestroyed(t.provider.name, t.id);
      await store.history.record({ provider: t.provider.name, kind: 'destroyed', instanceId: t.id, name: t.name });
    });
    ctx.stdout.write(`destroyed ${t.name} (${t.provider.name} ${t.id})\n`);
  }
  return 0;
}

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
