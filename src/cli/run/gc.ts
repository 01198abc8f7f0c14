/**
 * `ferry gc`: makes sure nothing was silently leaked.
 * 1. Every create journaled but never confirmed (ferry died mid-create) is looked up by its
 *    create-id label: adopted into the inventory when found, marked failed when the provider has nothing.
 * 2. Managed instances no inventory row accounts for are listed (and destroyed with --destroy-orphans).
 * 3. Inventory rows whose instance is gone at the provider are marked destroyed.
 * Servers the provider agent made for its contracts (owner marker `agent`) are the agent's: gc
 * lists them apart and never adopts or destroys them.
 */
import { CREATE_ID_KEY, UserError, destroyOwned, isAgentOwned, ownerOf, type Instance } from '../../core/index.js';
import { inventoryInputFromInstance, type JournalEntry, type LaunchPrice } from '../../store/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { EXIT } from '../errors.js';
import { note, printJson, printTable } from '../output.js';
import { confirm } from '../prompt.js';
import { targetProviders } from '../providers.js';
import { scopedRecords } from '../instances.js';

interface JournalOutcome {
  createId: string;
  provider: string;
  name: string;
  action: 'adopt' | 'mark-failed' | 'skip';
  instanceId: string | null;
  reason?: string;
}

function launchPrice(entry: JournalEntry): LaunchPrice | undefined {
  const price = (entry.request as { price?: LaunchPrice | null } | null)?.price;
  return price ?? undefined;
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const dry = Boolean(args.dryRun);
  const asked = args.provider as string[] | undefined;
  const providers = await targetProviders(ctx, asked, '`ferry gc`');
  const store = await ctx.store();
  const verb = (done: string, planned: string) => (dry ? planned : done);

  // 1. The journal.
  const outcomes: JournalOutcome[] = [];
  for (const entry of await store.journal.pending()) {
    const base = { createId: entry.createId, provider: entry.provider, name: entry.name };
    if (!providers.includes(entry.provider)) {
      outcomes.push({ ...base, action: 'skip', instanceId: null, reason: `no ${entry.provider} credentials to check` });
      continue;
    }
    const provider = await ctx.provider(entry.provider);
    const [found] = (await provider.listInstances({ labels: { [CREATE_ID_KEY]: entry.createId } })).filter((i) => !isAgentOwned(i.labels));
    if (found) {
      outcomes.push({ ...base, action: 'adopt', instanceId: found.id });
      if (!dry) {
        await store.db.transaction(async () => {
          await store.inventory.upsert(inventoryInputFromInstance(found, launchPrice(entry)));
          await store.journal.confirm(entry.createId, found.id);
          await store.history.record({ provider: entry.provider, kind: 'gc_adopted', instanceId: found.id, name: found.name, detail: { createId: entry.createId } });
        });
      }
    } else {
      outcomes.push({ ...base, action: 'mark-failed', instanceId: null, reason: 'the provider has no instance with this create id' });
      if (!dry) {
        await store.journal.fail(entry.createId, 'gc: the provider has no instance with this create id');
        await store.history.record({ provider: entry.provider, kind: 'gc_cleared', name: entry.name, detail: { createId: entry.createId } });
      }
    }
  }

  // 2 and 3. Managed instances against the inventory.
  const orphans: Instance[] = [];
  const agents: Instance[] = [];
  const vanished: { provider: string; id: string; name: string }[] = [];
  const adopted = new Set(outcomes.filter((o) => o.action === 'adopt').map((o) => `${o.provider}/${o.instanceId}`));
  for (const name of providers) {
    const provider = await ctx.provider(name);
    const listed = await provider.listInstances();
    agents.push(...listed.filter((i) => isAgentOwned(i.labels)));
    const managed = listed.filter((i) => !isAgentOwned(i.labels));
    const known = await scopedRecords(ctx, name);
    const knownIds = new Set(known.map((r) => r.instanceId));
    orphans.push(...managed.filter((i) => !knownIds.has(i.id) && !adopted.has(`${name}/${i.id}`)));
    const live = new Set(managed.map((i) => i.id));
    for (const r of known) {
      if (live.has(r.instanceId) || adopted.has(`${name}/${r.instanceId}`)) continue;
      // A listing can lag a fresh create; ask for the one instance before declaring it gone.
      if (await provider.getInstance(r.instanceId)) continue;
      vanished.push({ provider: name, id: r.instanceId, name: r.name });
      if (!dry) {
        await store.inventory.markDestroyed(name, r.instanceId);
        await store.history.record({ provider: name, kind: 'gc_cleared', instanceId: r.instanceId, name: r.name, detail: { reason: 'gone at the provider' } });
      }
    }
  }

  const destroyed: string[] = [];
  let declined = false;
  if (args.destroyOrphans && orphans.length && !dry) {
    if (!args.yes) {
      if (!ctx.interactive) throw new UserError(`refusing to destroy ${orphans.length} orphan(s) without confirmation: stdin is not a terminal`, 'pass --yes');
      if (!(await confirm(ctx, `destroy ${orphans.map((o) => `${o.name} (${o.provider} ${o.id})`).join(', ')}?`))) {
        note(ctx, 'no orphans destroyed');
        args.destroyOrphans = false;
        declined = true;
      }
    }
    if (args.destroyOrphans) {
      for (const o of orphans) {
        // Re-read first: the id must still name this orphan (same create id, still the CLI's).
        await destroyOwned(await ctx.provider(o.provider), o.id, { createId: o.labels[CREATE_ID_KEY] ?? null, name: o.name, owner: ownerOf(o.labels), createdAt: o.createdAt });
        await store.history.record({ provider: o.provider, kind: 'destroyed', instanceId: o.id, name: o.name, detail: { by: 'gc --destroy-orphans' } });
        destroyed.push(`${o.provider}/${o.id}`);
      }
    }
  }

  if (args.json) {
    printJson(ctx, {
      dryRun: dry,
      journal: outcomes,
      orphans: orphans.map((o) => ({ provider: o.provider, id: o.id, name: o.name, createId: o.labels[CREATE_ID_KEY] ?? null, destroyed: destroyed.includes(`${o.provider}/${o.id}`) })),
      vanished,
      agent: agents.map((a) => ({ provider: a.provider, id: a.id, name: a.name, owner: ownerOf(a.labels) })),
    });
    return declined ? EXIT.declined : EXIT.ok;
  }
  if (dry) ctx.stdout.write('dry run: nothing changed\n');
  ctx.stdout.write(`unconfirmed creates: ${outcomes.length}\n`);
  if (outcomes.length) {
    printTable(
      ctx,
      ['create id', 'provider', 'name', 'outcome', 'instance'],
      outcomes.map((o) => [
        o.createId,
        o.provider,
        o.name,
        o.action === 'adopt' ? verb('adopted into the inventory', 'would adopt') : o.action === 'mark-failed' ? verb('marked failed (nothing was created)', 'would mark failed') : `left pending: ${o.reason}`,
        o.instanceId ?? '-',
      ]),
    );
  }
  ctx.stdout.write(`managed instances the inventory does not know: ${orphans.length}\n`);
  if (orphans.length) {
    printTable(ctx, ['provider', 'id', 'name', 'status', 'action'], orphans.map((o) => [o.provider, o.id, o.name, o.status.state, destroyed.includes(`${o.provider}/${o.id}`) ? 'destroyed' : 'kept']));
    if (!args.destroyOrphans) ctx.stdout.write('(`ferry gc --destroy-orphans` destroys them)\n');
  }
  if (agents.length) ctx.stdout.write(`servers the provider agent made for its contracts (left to the agent): ${agents.map((a) => `${a.name} (${a.provider} ${a.id}, ${ownerOf(a.labels)})`).join(', ')}\n`);
  if (vanished.length) ctx.stdout.write(`inventory rows gone at the provider: ${vanished.map((v) => `${v.name} (${v.provider} ${v.id})`).join(', ')}${dry ? '' : ' — marked destroyed'}\n`);
  return declined ? EXIT.declined : EXIT.ok;
}
