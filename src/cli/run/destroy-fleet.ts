/**
 * `ferry destroy --fleet <id>`: every live inventory row of the fleet, per provider through core's
 * destroyFleet (one listing checks they are still ferry's; one call removes them where the API can).
 */
import { destroyFleet, FLEET_KEY, isNotOwned, UserError, type Instance } from '../../core/index.js';
import type { InventoryRecord } from '../../store/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { EXIT } from '../errors.js';
import { printable, progress } from '../output.js';
import { confirmDestroy, refuseUnconfirmed } from './destroy-confirm.js';

/** What the inventory knows of a server, as destroyFleet reads it (status unknown until listed). */
function instanceOf(r: InventoryRecord): Instance {
  return { provider: r.provider, id: r.instanceId, name: r.name, status: { state: 'unknown', raw: r.lastSeenStatus ?? 'unknown' }, ipv4: r.ipv4, ipv6: r.ipv6, region: r.region, size: r.size, image: r.image, labels: r.labels, createdAt: r.createdAt };
}

export async function run(ctx: Context, args: Args, fleet: string): Promise<number> {
  refuseUnconfirmed(ctx, args, `fleet ${fleet}`);
  const store = await ctx.store();
  const only = typeof args.provider === 'string' ? args.provider : undefined;
  const rows = (await store.inventory.list(only ? { provider: only } : {})).filter((r) => r.labels[FLEET_KEY] === fleet);
  if (!rows.length) throw new UserError(`no server of fleet ${fleet} in the inventory`, '`ferry ls` shows each server\'s fleet');
  const providers = [...new Set(rows.map((r) => r.provider))];
  if (!(await confirmDestroy(ctx, args, providers, `the ${rows.length} servers of fleet ${fleet} (${rows.map((r) => r.name).join(', ')})`))) return EXIT.declined;
  const nameOf = new Map(rows.map((r) => [`${r.provider}/${r.instanceId}`, r.name]));
  let failures = 0;
  for (const name of providers) {
    const provider = await ctx.provider(name);
    const line = progress(ctx, `fleet ${fleet} on ${name}`);
    const res = await destroyFleet(provider, rows.filter((r) => r.provider === name).map(instanceOf), { onProgress: (p) => line.update(p.message) });
    line.done();
    const failed = res.failed.map((f) => ({ ...f, message: f.error instanceof Error ? f.error.message : String(f.error) }));
    await store.db.transaction(async () => {
      for (const id of [...res.destroyed, ...res.gone]) {
        await store.inventory.markDestroyed(name, id);
        await store.history.record({ provider: name, kind: 'destroyed', instanceId: id, name: nameOf.get(`${name}/${id}`) ?? id });
      }
      for (const f of failed) {
        // The id names another server now: ferry's is gone, and the row says so (as `ferry destroy <name>` does).
        if (isNotOwned(f.error)) await store.inventory.markDestroyed(name, f.instance.id);
        await store.history.record({ provider: name, kind: isNotOwned(f.error) ? 'not_owned' : 'destroy_failed', instanceId: f.instance.id, name: f.instance.name, detail: { action: 'destroy', error: f.message } });
      }
    });
    for (const id of [...res.destroyed, ...res.gone]) ctx.stdout.write(`destroyed ${nameOf.get(`${name}/${id}`) ?? id} (${name} ${id})\n`);
    for (const f of failed) ctx.stderr.write(`error: ${f.instance.name} (${name} ${f.instance.id}): ${printable(f.message)}\n`);
    failures += failed.length;
  }
  return failures ? EXIT.failure : 0;
}
