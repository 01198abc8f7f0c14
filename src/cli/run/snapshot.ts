/** `ferry snapshot create|ls|rm`. */
import { ensureSnapshotOwned, UserError, type Snapshot } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { ownedInstance, resolveTarget } from '../instances.js';
import { note, printJson, printTable, shortTime } from '../output.js';
import { targetProviders } from '../providers.js';

export async function create(ctx: Context, args: Args): Promise<number> {
  const target = await resolveTarget(ctx, String(args.instance), typeof args.provider === 'string' ? args.provider : undefined);
  const name = typeof args.name === 'string' ? args.name : `${target.name}-${ctx.now().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
  note(ctx, `snapshotting ${target.name} (${target.provider.name} ${target.id}) as ${name} …`);
  // The id must still name ferry's server: a snapshot of someone else's disk is theirs to take.
  await ownedInstance(ctx, target, 'snapshot');
  const snap = await target.provider.createSnapshot(target.id, name);
  const store = await ctx.store();
  await store.history.record({ provider: snap.provider, kind: 'snapshot_created', instanceId: target.id, name: target.name, detail: { snapshotId: snap.id, snapshot: snap.name } });
  if (args.json) printJson(ctx, snap);
  else ctx.stdout.write(`snapshot ${snap.id} (${snap.name}) of ${target.name} on ${snap.provider}; deploy from it with --image snapshot:${snap.id}\n`);
  return 0;
}

async function snapshotsOf(ctx: Context, providers: string[]): Promise<{ snapshots: Snapshot[]; skipped: string[] }> {
  const snapshots: Snapshot[] = [];
  const skipped: string[] = [];
  for (const name of providers) {
    const provider = await ctx.provider(name);
    if (!provider.supportsSnapshots()) {
      skipped.push(name);
      continue;
    }
    snapshots.push(...(await provider.listSnapshots()));
  }
  return { snapshots, skipped };
}

export async function list(ctx: Context, args: Args): Promise<number> {
  const providers = await targetProviders(ctx, args.provider as string[] | undefined, '`ferry snapshot ls`');
  const { snapshots, skipped } = await snapshotsOf(ctx, providers);
  if (args.json) {
    printJson(ctx, snapshots);
    return 0;
  }
  // The instance by its name where ferry knows it: an id alone says little.
  const store = await ctx.store();
  const instanceOf = async (s: Snapshot) => {
    if (!s.instanceId) return '-';
    const r = await store.inventory.get(s.provider, s.instanceId);
    return r ? `${r.name} (${s.instanceId})` : s.instanceId;
  };
  const instances = await Promise.all(snapshots.map(instanceOf));
  printTable(
    ctx,
    ['provider', 'id', 'name', 'instance', 'size', 'created'],
    snapshots.map((s, i) => [s.provider, s.id, s.name, instances[i]!, s.sizeGb ? `${s.sizeGb} GB` : '-', shortTime(s.createdAt)]),
    '(no snapshots made by ferry)',
  );
  if (skipped.length) note(ctx, `(${skipped.join(', ')}: no snapshot support)`);
  return 0;
}

export async function remove(ctx: Context, args: Args): Promise<number> {
  const id = String(args.id);
  const asked = typeof args.provider === 'string' ? [args.provider] : undefined;
  const providers = await targetProviders(ctx, asked, '`ferry snapshot rm`');
  let owner = providers.length === 1 ? providers[0]! : undefined;
  if (!owner) {
    const { snapshots } = await snapshotsOf(ctx, providers);
    const owners = [...new Set(snapshots.filter((s) => s.id === id).map((s) => s.provider))];
    if (owners.length !== 1) {
      throw new UserError(owners.length ? `snapshot ${id} exists on ${owners.join(' and ')}` : `no snapshot ${id} made by ferry on ${providers.join(', ')}`, 'name the provider with --provider; `ferry snapshot ls` lists them');
    }
    owner = owners[0]!;
  }
  const provider = await ctx.provider(owner);
  const store = await ctx.store();
  // Never touch what is not ours: the id must still name a snapshot with ferry's owner marker, of the instance ferry recorded.
  const taken = (await store.history.list({ provider: owner, kind: 'snapshot_created' })).find((e) => e.detail.snapshotId === id);
  await ensureSnapshotOwned(provider, id, taken ? { name: typeof taken.detail.snapshot === 'string' ? taken.detail.snapshot : null, instanceId: taken.instanceId } : null);
  await provider.deleteSnapshot(id);
  await store.history.record({ provider: owner, kind: 'snapshot_deleted', detail: { snapshotId: id } });
  ctx.stdout.write(`deleted snapshot ${id} on ${owner}\n`);
  return 0;
}
