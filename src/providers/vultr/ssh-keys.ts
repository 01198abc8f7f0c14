/**
 * SSH keys of a create: Vultr key ids pass through (checked to exist); a public key is matched to
 * a registered key by its text, or registered once under a name derived from its comment.
 */
import { createHash } from 'node:crypto';
import { listChoices, UserError, type OperationOptions } from '../../core/index.js';
import type { VultrClient } from './client.js';
import { isVultrId } from './machines.js';

const PUBLIC_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-\S+) [A-Za-z0-9+/]+=*( .*)?$/;

/** Type and key material, without the comment: two copies of a key compare equal. */
const keyBody = (k: string) => k.trim().split(/\s+/).slice(0, 2).join(' ');

export async function resolveSshKeys(client: VultrClient, keys: readonly string[], o?: OperationOptions): Promise<string[]> {
  if (keys.length === 0) return [];
  const registered = await client.listSshKeys(o);
  const ids: string[] = [];
  for (const key of keys) {
    const k = key.trim();
    if (isVultrId(k)) {
      if (!registered.some((r) => r.id === k)) {
        throw new UserError(`unknown vultr SSH key id "${k}"`, `registered keys: ${listChoices(registered.map((r) => `${r.id} (${r.name ?? ''})`)) || 'none'}`);
      }
      ids.push(k);
      continue;
    }
    if (!PUBLIC_KEY.test(k)) throw new UserError(`invalid SSH key "${k.slice(0, 40)}"`, 'pass a Vultr SSH key id or an OpenSSH public key (ssh-ed25519 AAAA…)');
    const same = registered.find((r) => typeof r.ssh_key === 'string' && keyBody(r.ssh_key) === keyBody(k));
    if (same) {
      ids.push(same.id);
      continue;
    }
    const digest = createHash('sha256').update(keyBody(k)).digest('hex').slice(0, 8);
    const created = await client.createSshKey(`ferry-${digest}`, k, o);
    registered.push(created);
    ids.push(created.id);
  }
  return [...new Set(ids)];
}
