/** SSH keys: an order takes one key id (publicSshKeyId); a raw public key is registered once and found again by its text. */
import { UserError, type OperationOptions, type SshKeyService } from '../../core/index.js';
import type { HivelocityClient } from './client.js';
import { sshKeyFromWire } from './mapping.js';

const PUBLIC_KEY = /^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp\d+)\s+[A-Za-z0-9+/=]+/;

export function sshKeyService(client: HivelocityClient): SshKeyService {
  return {
    list: async (o) => (await client.listSshKeys(o)).map(sshKeyFromWire).filter((k) => k !== null),
  };
}

/** The key id for an order: an id of the account's keys, or a public key (registered when new). */
export async function resolveSshKey(client: HivelocityClient, key: string | undefined, o?: OperationOptions): Promise<number | undefined> {
  if (!key) return undefined;
  const wanted = key.trim();
  const keys = await client.listSshKeys(o);
  if (/^\d+$/.test(wanted)) {
    if (!keys.some((k) => k.sshKeyId === Number(wanted))) {
      throw new UserError(`hivelocity SSH key ${wanted} does not exist`, `keys: ${keys.map((k) => `${k.sshKeyId} (${k.name ?? ''})`).join(', ') || 'none'}`);
    }
    return Number(wanted);
  }
  if (!PUBLIC_KEY.test(wanted)) throw new UserError('the SSH key is neither a key id nor an OpenSSH public key', 'pass "ssh-ed25519 AAAA…" or a key id from `ferry ssh-keys --provider hivelocity`');
  const body = (s: string) => s.trim().split(/\s+/).slice(0, 2).join(' ');
  const known = keys.find((k) => k.publicKey && body(k.publicKey) === body(wanted));
  if (known?.sshKeyId) return known.sshKeyId;
  const comment = wanted.split(/\s+/)[2];
  const created = await client.createSshKey(`ferry-${comment ?? Date.now().toString(36)}`, wanted, o);
  return created.sshKeyId ?? undefined;
}
