/** How instances look in listings, and how a name or id typed by a person is found. */
import { CREATE_ID_KEY, UserError, ensureOwned, isManaged, isNotOwned, listChoices, ownerOf, type ExpectedOwner, type Instance, type Provider } from '../core/index.js';
import { inScope, type InventoryRecord } from '../store/index.js';
import type { Context } from './context.js';
import { scopeOf, targetProviders } from './providers.js';

/** The live inventory rows of the endpoints and accounts configured now; another endpoint's rows never match. */
export async function scopedRecords(ctx: Context, provider?: string): Promise<InventoryRecord[]> {
  const store = await ctx.store();
  const rows = await store.inventory.list(provider ? { provider } : {});
  const scopes = new Map<string, Awaited<ReturnType<typeof scopeOf>>>();
  for (const name of new Set(rows.map((r) => r.provider))) scopes.set(name, await scopeOf(ctx, name));
  return rows.filter((r) => inScope(r, scopes.get(r.provider) ?? null));
}

/** The `ls --json` row. */
export interface InstanceRow {
  provider: string;
  id: string;
  name: string;
  status: string;
  ip: string | null;
  region: string;
  size: string;
  labels: Record<string, string>;
  createdAt: string;
  /** `cli`, `agent:<contract id>` (the provider agent's), or `none` (not ferry's: `ls --all`). */
  owner: string;
}

/** By name as people count: web-2 before web-10 (a fleet's servers). */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}

export function rowOf(i: Instance): InstanceRow {
  const status = i.status.state === 'unknown' ? `unknown (${i.status.raw})` : i.status.state;
  const owner = isManaged(i.labels) ? ownerOf(i.labels) : 'none';
  return { provider: i.provider, id: i.id, name: i.name, status, ip: i.ipv4 ?? i.ipv6, region: i.region, size: i.size, labels: i.labels, createdAt: i.createdAt, owner };
}

export function rowOfRecord(r: InventoryRecord, status: string): InstanceRow {
  return { provider: r.provider, id: r.instanceId, name: r.name, status, ip: r.ipv4 ?? r.ipv6, region: r.region, size: r.size, labels: r.labels, createdAt: r.createdAt, owner: ownerOf(r.labels) };
}

export interface Target {
  provider: Provider;
  id: string;
  name: string;
  /** The inventory row, when ferry created it. */
  record: InventoryRecord | null;
  /** Without a row: what the provider's listing showed when the name was resolved. */
  seen?: ExpectedOwner;
}

/**
 * Finds an instance by name or id: first in the inventory (no network), then in the
 * providers' managed listings. Ambiguous names are an error listing the candidates.
 */
export async function resolveTarget(ctx: Context, text: string, onlyProvider?: string): Promise<Target> {
  const live = await scopedRecords(ctx, onlyProvider);
  const known = live.filter((r) => r.instanceId === text || r.name === text);
  if (known.length > 1) {
    throw new UserError(`"${text}" matches ${known.length} instances`, `say which with --provider: ${known.map((r) => `${r.provider}/${r.instanceId}`).join(', ')}`);
  }
  if (known[0]) {
    const r = known[0];
    return { provider: await ctx.provider(r.provider), id: r.instanceId, name: r.name, record: r };
  }
  const names = await targetProviders(ctx, onlyProvider ? [onlyProvider] : undefined, `finding "${text}"`);
  const found: { provider: Provider; instance: Instance }[] = [];
  for (const name of names) {
    const provider = await ctx.provider(name);
    for (const instance of await provider.listInstances()) {
      if (instance.id === text || instance.name === text) found.push({ provider, instance });
    }
  }
  if (found.length > 1) {
    throw new UserError(`"${text}" matches ${found.length} instances`, `say which with --provider: ${found.map((f) => `${f.provider.name}/${f.instance.id}`).join(', ')}`);
  }
  if (!found[0]) {
    const choices = live.map((r) => r.name);
    throw new UserError(`no instance named or with id "${text}"`, choices.length ? `ferry knows: ${listChoices(choices)}` : 'see `ferry ls`');
  }
  const inst = found[0].instance;
  return { provider: found[0].provider, id: inst.id, name: inst.name, record: null, seen: { createId: inst.labels[CREATE_ID_KEY] ?? null, name: inst.name, createdAt: inst.createdAt } };
}

/** What the server behind a target must still be: the inventory's record, or what the listing showed. */
export function expectedOf(t: Target): ExpectedOwner {
  if (t.record) return { createId: t.record.createId, name: t.record.name, createdAt: t.record.createdAt, owner: ownerOf(t.record.labels) };
  return t.seen ?? { createId: null, name: t.name };
}

/**
 * Re-reads a target before a state-changing call: the Instance when it is still ferry's server.
 * When the id now names another server, the inventory row is marked gone (its server is) and the
 * not_owned refusal, naming both, is raised; nothing else is touched.
 */
export async function ownedInstance(ctx: Context, t: Target, action: string): Promise<Instance> {
  try {
    return await ensureOwned(t.provider, t.id, expectedOf(t));
  } catch (err) {
    if (isNotOwned(err) && t.record) {
      const store = await ctx.store();
      await store.db.transaction(async () => {
        await store.inventory.markDestroyed(t.provider.name, t.id);
        await store.history.record({ provider: t.provider.name, kind: 'not_owned', instanceId: t.id, name: t.name, detail: { action, error: err.message } });
      });
    }
    throw err;
  }
}
