/**
 * `ferry destroy`: asks first (refuses without a terminal unless --yes). The inventory row is
 * marked destroyed only after the provider confirmed; an auth failure leaves it untouched.
 */
import { ProviderError, UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { EXIT } from '../errors.js';
import { ownedInstance, resolveTarget, type Target } from '../instances.js';
import { confirmDestroy, refuseUnconfirmed } from './destroy-confirm.js';

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
