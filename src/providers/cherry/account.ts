/** The team and project servers are ordered in, and SSH keys (ids, or public keys registered once). */
import { listChoices, UserError, type Instance, type OperationOptions } from '../../core/index.js';
import type { CherryClient } from './client.js';
import { serverToInstance } from './mapping.js';
import type { CsServer } from './schema.js';

export interface Placement {
  teamId: number;
  projectId: number;
}

/** The project of the `project` setting (id or name), or the account's only project. */
export async function resolvePlacement(client: CherryClient, wanted: { team?: string; project?: string }, o?: OperationOptions): Promise<Placement> {
  const teams = (await client.listTeams(o)).filter((t) => typeof t.id === 'number');
  const chosenTeams = wanted.team ? teams.filter((t) => String(t.id) === wanted.team || t.name === wanted.team) : teams;
  if (wanted.team && chosenTeams.length === 0) {
    throw new UserError(`unknown Cherry Servers team "${wanted.team}"`, `set CHERRY_TEAM_ID to one of: ${listChoices(teams.map((t) => `${t.name ?? '?'} (${t.id})`)) || 'none'}`);
  }
  const candidates: { teamId: number; id: number; name: string }[] = [];
  for (const t of chosenTeams) {
    for (const p of await client.listProjects(t.id!, o)) if (typeof p.id === 'number') candidates.push({ teamId: t.id!, id: p.id, name: p.name ?? '' });
  }
  const label = (c: { id: number; name: string }) => `${c.name} (${c.id})`;
  if (wanted.project) {
    const hit = candidates.find((c) => String(c.id) === wanted.project || c.name === wanted.project);
    if (hit) return { teamId: hit.teamId, projectId: hit.id };
    throw new UserError(`unknown Cherry Servers project "${wanted.project}"`, `set CHERRY_PROJECT_ID to one of: ${listChoices(candidates.map(label)) || 'none'}`);
  }
  if (candidates.length === 1) return { teamId: candidates[0]!.teamId, projectId: candidates[0]!.id };
  if (candidates.length === 0) throw new UserError('the Cherry Servers account has no project', 'create a project first (servers live in projects)');
  throw new UserError('several Cherry Servers projects: say which one', `set CHERRY_PROJECT_ID to one of: ${listChoices(candidates.map(label))}`);
}

/** Key ids pass through; public keys are matched by their text and registered when new (only when `create`). */
export async function resolveSshKeys(client: CherryClient, refs: readonly string[], create: boolean, o?: OperationOptions): Promise<number[]> {
  if (refs.length === 0) return [];
  const known = await client.listSshKeys(o);
  const ids: number[] = [];
  for (const ref of refs) {
    const byId = known.find((k) => String(k.id) === ref || k.label === ref);
    if (byId?.id !== undefined) {
      ids.push(byId.id);
      continue;
    }
    if (/^\d+$/.test(ref)) throw new UserError(`unknown SSH key ${ref}`, `known keys: ${listChoices(known.map((k) => `${k.label ?? '?'} (${k.id})`)) || 'none'}`);
    const body = ref.trim().split(/\s+/).slice(0, 2).join(' ');
    if (!/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+$/.test(body)) {
      throw new UserError(`--ssh-key "${ref.slice(0, 40)}" is neither a key id nor a public key`, 'give a key id or a line like "ssh-ed25519 AAAA… comment"');
    }
    const same = known.find((k) => (k.key ?? '').trim().split(/\s+/).slice(0, 2).join(' ') === body);
    if (same?.id !== undefined) ids.push(same.id);
    else if (create) ids.push((await client.createSshKey(`ferry-${body.slice(-12).replace(/[^A-Za-z0-9]/g, '')}`, ref.trim(), o)).id!);
  }
  return ids;
}

/** A server as ferry sees it: gone once terminating; its power read when it is deployed. */
export async function readServer(client: CherryClient, s: CsServer, o?: OperationOptions): Promise<Instance | null> {
  if (s.state === 'terminating') return null;
  const power = s.state === 'active' && s.status === 'deployed' ? ((await client.getPower(s.id!, o))?.power ?? null) : null;
  return serverToInstance(s, power);
}
