/**
 * Never touch what is not ours. An id ferry stored may, by the time it is used, name another
 * server: Proxmox reuses VMIDs, a store may point at another account or endpoint. Before every
 * destructive or state-changing call the caller re-reads the server and checks it is the one
 * ferry made: its create id, its owner marker and, where known, its creation time.
 */
import { ProviderError } from './errors.js';
import { CREATE_ID_KEY, isManaged } from './labels.js';
import type { Provider } from './provider.js';
import type { Instance, OperationOptions, Snapshot } from './types.js';

/**
 * Who made a server: the owner label says `cli` or `agent` (label values cannot carry the contract
 * id's separators); the agent's servers also carry the contract id in `dc-contract-<n>` labels.
 */
export const OWNER_KEY = 'ferry-owner';
export const CLI_OWNER = 'cli';
export const AGENT_OWNER = 'agent';
/** Prefix of the labels carrying an agent server's contract id in chunks (dc-contract-0, -1…). */
export const CONTRACT_LABEL = 'dc-contract';

export function agentOwner(contractId: string): string {
  return `agent:${contractId.toLowerCase()}`;
}

function contractIdOf(labels: Record<string, string>): string | null {
  let id = '';
  for (let i = 0; labels[`${CONTRACT_LABEL}-${i}`] !== undefined; i++) id += labels[`${CONTRACT_LABEL}-${i}`];
  return id || null;
}

/**
 * The owner of a managed server: `agent:<contract id>` for the agent's, else `cli`. Servers made
 * before the owner label existed count as the CLI's unless they carry a contract id.
 */
export function ownerOf(labels: Record<string, string>): string {
  const contract = contractIdOf(labels);
  if (labels[OWNER_KEY] === AGENT_OWNER || contract) return contract ? agentOwner(contract) : 'agent:unknown';
  return CLI_OWNER;
}

export function isAgentOwned(labels: Record<string, string>): boolean {
  return ownerOf(labels).startsWith('agent:');
}

export interface ExpectedOwner {
  /** The create id ferry recorded; null when the record predates create ids (then the name must match). */
  createId: string | null;
  /** The owner marker expected; absent: any ferry owner. */
  owner?: string;
  /** ISO 8601 creation time recorded (the provider's), checked when no create id was recorded. */
  createdAt?: string | null;
  /** The name recorded, used in messages and when no create id was recorded. */
  name?: string;
}

/** Creation times further apart than this are two different servers (clocks and rounding differ a little). */
const CREATED_AT_SLACK_MS = 10 * 60_000;

/** Why `found` is not the server `expected` describes, or null when it is. */
export function ownershipMismatch(found: Instance, expected: ExpectedOwner): string | null {
  const foundCreateId = found.labels[CREATE_ID_KEY] ?? null;
  if (!isManaged(found.labels)) return 'it carries no managed-by=ferry label';
  if (expected.createId !== null) {
    if (foundCreateId !== expected.createId) return `its create id is ${foundCreateId ?? 'absent'}, ferry recorded ${expected.createId}`;
  } else if (expected.name !== undefined && found.name !== expected.name) {
    return `its name is ${found.name}, ferry recorded ${expected.name}`;
  }
  if (expected.owner !== undefined && ownerOf(found.labels) !== expected.owner) {
    return `its owner is ${ownerOf(found.labels)}, expected ${expected.owner}`;
  }
  // A create id is a UUID: its match is proof. Without one, the creation time tells a reused id apart.
  if (expected.createId === null && expected.createdAt && found.createdAt) {
    const a = Date.parse(expected.createdAt);
    const b = Date.parse(found.createdAt);
    if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) > CREATED_AT_SLACK_MS) {
      return `it was created at ${found.createdAt}, ferry recorded ${expected.createdAt}`;
    }
  }
  return null;
}

/** The refusal: a conflict with code not_owned naming what was expected and what was found. */
export function notOwned(provider: string, id: string, found: Instance, expected: ExpectedOwner, why: string): ProviderError {
  const wanted = `${expected.name ?? 'a server'} (create id ${expected.createId ?? 'unrecorded'})`;
  const seen = `${found.name} (create id ${found.labels[CREATE_ID_KEY] ?? 'none'})`;
  return new ProviderError({
    kind: 'conflict',
    code: 'not_owned',
    provider,
    subject: id,
    retryable: false,
    message: `refusing to touch ${provider} ${id}: ferry recorded ${wanted} but the id now names ${seen}; ${why}`,
  });
}

/**
 * Re-reads `id` and returns it when it is the server ferry made; a conflict (not_owned) when the
 * id now names another server; not_found when nothing has the id any more.
 */
export async function ensureOwned(provider: Provider, id: string, expected: ExpectedOwner, o?: OperationOptions): Promise<Instance> {
  const found = await provider.getInstance(id, o);
  if (!found) {
    throw new ProviderError({ kind: 'not_found', provider: provider.name, subject: id, message: `${provider.name} has no server ${id} any more` });
  }
  const why = ownershipMismatch(found, expected);
  if (why) throw notOwned(provider.name, id, found, expected, why);
  return found;
}

export function isNotOwned(err: unknown): err is ProviderError {
  return err instanceof ProviderError && err.kind === 'conflict' && err.code === 'not_owned';
}

/** Runs `act` on the re-read server only when it is the one ferry made (see ensureOwned). */
export async function whenOwned<T>(provider: Provider, id: string, expected: ExpectedOwner, act: (found: Instance) => Promise<T>, o?: OperationOptions): Promise<T> {
  const found = await ensureOwned(provider, id, expected, o);
  return act(found);
}

/**
 * Destroys `id` only when it is ferry's server. 'gone' when nothing has the id any more (destroy
 * is idempotent); a server that is not ours is a not_owned conflict and is left alone.
 */
export async function destroyOwned(provider: Provider, id: string, expected: ExpectedOwner, o?: OperationOptions): Promise<'destroyed' | 'gone'> {
  try {
    await ensureOwned(provider, id, expected, o);
  } catch (err) {
    if (ProviderError.is(err, 'not_found')) return 'gone';
    throw err;
  }
  await provider.destroyInstance(id, o);
  return 'destroyed';
}

export type PowerAction = 'start' | 'stop' | 'reboot';

/** A power action on ferry's own server, after the ownership check. */
export async function powerOwned(provider: Provider, id: string, action: PowerAction, expected: ExpectedOwner, o?: OperationOptions): Promise<Instance> {
  // An unsupported service refuses with its reason before any request.
  if (!provider.capabilities.power.supported) return provider.stopInstance(id, o);
  await ensureOwned(provider, id, expected, o);
  if (action === 'start') return provider.startInstance(id, o);
  if (action === 'stop') return provider.stopInstance(id, o);
  return provider.rebootInstance(id, o);
}

/** An iPXE reinstall (the disk is wiped) of ferry's own server, after the ownership check. */
export async function reinstallIpxeOwned(provider: Provider, id: string, ipxeUrl: string, expected: ExpectedOwner, o?: OperationOptions): Promise<void> {
  if (!provider.capabilities.reinstallIpxe.supported) return provider.reinstallIpxe(id, ipxeUrl, o);
  await ensureOwned(provider, id, expected, o);
  await provider.reinstallIpxe(id, ipxeUrl, o);
}

/** What ferry recorded when it took a snapshot (its history), when it has a record. */
export interface ExpectedSnapshot {
  name?: string | null;
  /** The instance the snapshot was taken of. */
  instanceId?: string | null;
}

function describeSnapshot(s: ExpectedSnapshot): string {
  const of = s.instanceId ? ` of instance ${s.instanceId}` : '';
  return s.name ? `snapshot ${s.name}${of}` : `a snapshot${of}`;
}

/**
 * Re-reads snapshot `id` among ferry's own (the provider's owner marker) and returns it when it is
 * the one ferry recorded: a conflict (not_owned) naming both when the id is not ferry's or now names
 * a snapshot of another instance.
 */
export async function ensureSnapshotOwned(provider: Provider, id: string, expected: ExpectedSnapshot | null, o?: OperationOptions): Promise<Snapshot> {
  const found = (await provider.listSnapshots(o)).find((s) => s.id === id);
  const wanted = expected ? `ferry recorded ${describeSnapshot(expected)}` : 'ferry has no record of it';
  const refuse = (seen: string) =>
    new ProviderError({ kind: 'conflict', code: 'not_owned', provider: provider.name, subject: id, retryable: false, message: `refusing to delete ${provider.name} snapshot ${id}: ${wanted} but ${seen}` });
  if (!found) throw refuse('no snapshot carrying ferry\'s owner marker has that id (it is someone else\'s, or gone)');
  if (expected?.instanceId && found.instanceId && found.instanceId !== expected.instanceId) {
    throw refuse(`the id now names ${describeSnapshot({ name: found.name, instanceId: found.instanceId })}`);
  }
  return found;
}
