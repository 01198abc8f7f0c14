/** `ferry show <name|id>`: the provider's view of one instance plus what the inventory knows. */
import { formatPrice } from '../../catalog/index.js';
import { CREATE_ID_KEY, MANAGED_BY_KEY, ownershipMismatch } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { expectedOf, resolveTarget, rowOf, rowOfRecord } from '../instances.js';
import { formatLabels, imageLabel, note, printable, printJson } from '../output.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const target = await resolveTarget(ctx, String(args.instance), typeof args.provider === 'string' ? args.provider : undefined);
  const read = await target.provider.getInstance(target.id);
  // The id may now name another server (a reused VMID): that one is not shown as ferry's.
  const mismatch = read && target.record ? ownershipMismatch(read, expectedOf(target)) : null;
  if (mismatch && read) note(ctx, `${target.provider.name} ${target.id} now names another server (${read.name}): ${mismatch}; ${target.name} is gone`);
  const instance = mismatch ? null : read;
  const store = await ctx.store();
  if (instance && target.record) await store.inventory.updateSeen(instance.provider, instance.id, { status: instance.status.state, ipv4: instance.ipv4, ipv6: instance.ipv6 });
  const row = instance ? rowOf(instance) : target.record ? rowOfRecord(target.record, 'gone') : null;
  const r = target.record;
  const launch = r && r.priceHourly !== null ? { priceHourly: r.priceHourly, priceMonthly: r.priceMonthly, currency: r.currency } : null;
  if (args.json) {
    printJson(ctx, { ...row, image: instance?.image ?? r?.image ?? null, ipv4: instance?.ipv4 ?? r?.ipv4 ?? null, ipv6: instance?.ipv6 ?? r?.ipv6 ?? null, inInventory: Boolean(r), priceAtLaunch: launch, createId: r?.createId ?? null });
    return 0;
  }
  if (!row) return 0;
  const lines: [string, string][] = [
    ['name', row.name],
    ['provider', row.provider],
    ['id', row.id],
    ['status', instance ? `${row.status}${instance.status.raw !== instance.status.state ? ` (${instance.status.raw})` : ''}` : 'gone (the provider has no such instance)'],
    ['ipv4', instance?.ipv4 ?? r?.ipv4 ?? '-'],
    ['ipv6', instance?.ipv6 ?? r?.ipv6 ?? '-'],
    ['region', row.region],
    ['size', row.size],
    ['image', imageLabel(r?.image, instance?.image)],
    ['created', row.createdAt],
    ['labels', formatLabels(row.labels, [MANAGED_BY_KEY, CREATE_ID_KEY])],
    ['price', launch ? `${formatPrice(launch.priceHourly, launch.currency)} (at launch)` : '-'],
    ['inventory', r ? `yes (create id ${r.createId ?? '-'})` : 'no: not created by this ferry (see `ferry gc`)'],
  ];
  for (const [k, v] of lines) ctx.stdout.write(`${k.padEnd(10)} ${printable(v)}\n`);
  return 0;
}
