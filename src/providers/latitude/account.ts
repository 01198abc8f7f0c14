/**
 * Account-side objects a create needs: the project (every server lives in one), SSH keys
 * (ids, or public keys registered once), tags for labels (team-wide objects, created on first
 * use and found by name after), and virtual networks for the networks service.
 */
import { listChoices, ProviderError, UserError, type Firewall, type Network, type OperationOptions } from '../../core/index.js';
import type { LatitudeClient } from './client.js';
import { shapeError } from './client.js';
import type { LsProjectAttributes, LsResource } from './schema.js';

/** The project named by the `project` setting (id, slug or name), or the account's only one. */
export async function resolveProject(client: LatitudeClient, wanted: string | undefined, o?: OperationOptions): Promise<string> {
  const projects = await client.listProjects(o);
  const label = (p: LsResource<LsProjectAttributes>) => `${p.attributes?.slug ?? p.attributes?.name ?? '?'} (${p.id})`;
  if (wanted) {
    const hit = projects.find((p) => p.id === wanted || p.attributes?.slug === wanted || p.attributes?.name === wanted);
    if (hit?.id) return hit.id;
    throw new UserError(`unknown Latitude.sh project "${wanted}"`, `set LATITUDESH_PROJECT to one of: ${listChoices(projects.map(label)) || 'none (create one first)'}`);
  }
  if (projects.length === 1 && projects[0]!.id) return projects[0]!.id;
  if (projects.length === 0) throw new UserError('the Latitude.sh account has no project', 'create a project first (servers live in projects)');
  throw new UserError('several Latitude.sh projects: say which one', `set LATITUDESH_PROJECT to one of: ${listChoices(projects.map(label))}`);
}

const KEY_ID = /^ssh_[A-Za-z0-9]+$/;

/** Key ids pass through; public keys are matched by their text, registered when new (only when `create`). */
export async function resolveSshKeys(client: LatitudeClient, refs: readonly string[], create: boolean, o?: OperationOptions): Promise<string[]> {
  if (refs.length === 0) return [];
  const known = await client.listSshKeys(o);
  const ids: string[] = [];
  for (const ref of refs) {
    const byId = known.find((k) => k.id === ref || k.attributes?.name === ref);
    if (byId?.id) {
      ids.push(byId.id);
      continue;
    }
    if (KEY_ID.test(ref)) throw new UserError(`unknown SSH key ${ref}`, `known keys: ${listChoices(known.map((k) => `${k.attributes?.name ?? '?'} (${k.id})`)) || 'none'}`);
    const body = ref.trim().split(/\s+/).slice(0, 2).join(' ');
    if (!/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+$/.test(body)) {
      throw new UserError(`--ssh-key "${ref.slice(0, 40)}" is neither a key id nor a public key`, 'give an ssh_… id or a line like "ssh-ed25519 AAAA… comment"');
    }
    const same = known.find((k) => (k.attributes?.public_key ?? '').trim().split(/\s+/).slice(0, 2).join(' ') === body);
    if (same?.id) ids.push(same.id);
    else if (create) ids.push((await client.createSshKey(`ferry-${body.slice(-12).replace(/[^A-Za-z0-9]/g, '')}`, ref.trim(), o)).id!);
  }
  return ids;
}

/** Tag ids for these names, creating the missing ones (when `create`); undefined for a missing one otherwise. */
export async function tagIds(client: LatitudeClient, names: readonly string[], create: boolean, o?: OperationOptions): Promise<Map<string, string | undefined>> {
  const existing = new Map<string, string>();
  for (const t of await client.listTags(o)) if (t.id && t.attributes?.name) existing.set(t.attributes.name, t.id);
  const out = new Map<string, string | undefined>();
  for (const name of names) {
    let id = existing.get(name);
    if (!id && create) id = await createTagOnce(client, name, o);
    out.set(name, id);
  }
  return out;
}

/** Two creates may make the same tag at once: the one that loses finds the winner's. */
async function createTagOnce(client: LatitudeClient, name: string, o?: OperationOptions): Promise<string | undefined> {
  try {
    return (await client.createTag(name, o)).id;
  } catch (err) {
    if (!ProviderError.is(err, 'invalid_config')) throw err;
    const again = (await client.listTags(o)).find((t) => t.attributes?.name === name);
    if (!again?.id) throw err;
    return again.id;
  }
}

export interface NetworkContext {
  client: LatitudeClient;
  project(o?: OperationOptions): Promise<string>;
  site: string;
}

function toNetwork(v: LsResource<{ description?: string | null; vid?: number }>): Network {
  if (!v.id) throw shapeError('a virtual network without an id');
  return { id: v.id, name: v.attributes?.description ?? '', ipRange: null };
}

/** Virtual networks (VLANs) have a generated name; ferry's name is their description. */
export async function getNetworkByName(c: NetworkContext, name: string, o?: OperationOptions): Promise<Network | null> {
  const all = await c.client.listVirtualNetworks(await c.project(o), o);
  const hit = all.find((v) => v.attributes?.description === name);
  return hit ? toNetwork(hit) : null;
}

export async function findOrCreateNetwork(c: NetworkContext, name: string, o?: OperationOptions): Promise<Network> {
  const found = await getNetworkByName(c, name, o);
  if (found) return found;
  return toNetwork(await c.client.createVirtualNetwork(name, c.site, await c.project(o), o));
}

/** Inbound SSH from anywhere, the rule every ferry firewall starts with. */
export const SSH_RULE = { from: 'ANY', to: 'ANY', protocol: 'TCP' as const, port: '22', description: 'ssh (ferry)' };

export async function getFirewallByName(c: NetworkContext, name: string, o?: OperationOptions): Promise<Firewall | null> {
  const hit = (await c.client.listFirewalls(await c.project(o), o)).find((f) => f.attributes?.name === name);
  if (!hit) return null;
  if (!hit.id) throw shapeError('a firewall without an id');
  return { id: hit.id, name };
}

export async function findOrCreateFirewall(c: NetworkContext, name: string, o?: OperationOptions): Promise<Firewall> {
  const found = await getFirewallByName(c, name, o);
  if (found) return found;
  const made = await c.client.createFirewall(name, await c.project(o), [SSH_RULE], o);
  return { id: made.id!, name };
}
