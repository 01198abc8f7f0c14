/** SSH keys: an order takes one key id (publicSshKeyId); a raw public key is registered once and found again by its text. */
import { parsePublicKey, UserError, type OperationOptions, type SshKeyService } from '../../core/index.js';
import type { HivelocityClient } from './client.js';
import { sshKeyFromWire } from './mapping.js';

export function sshKeyService(client: HivelocityClient): SshKeyService {
  return {
    list: async (o) => (await client.listSshKeys(o)).map(sshKeyFromWire).filter((k) => k !== null),
  };
}

/** The key of an order: an existing key id, or a public key still to register (at create time, never in validation). */
export type KeyPlan = { id: number } | { register: string } | undefined;

/** Resolves the user's key against the account's keys, reading only. */
export async function planSshKey(client: HivelocityClient, key: string | undefined, o?: OperationOptions): Promise<KeyPlan> {
  if (!key) return undefined;
  const wanted = key.trim();
  const keys = await client.listSshKeys(o);
  if (/^\d+$/.test(wanted)) {
    if (!keys.some((k) => k.sshKeyId === Number(wanted))) {
      throw new UserError(`hivelocity SSH key ${wanted} does not exist`, `keys: ${keys.map((k) => `${k.sshKeyId} (${k.name ?? ''})`).join(', ') || 'none'}`, { field: 'sshKeys' });
    }
    return { id: Number(wanted) };
  }
  const parsed = parsePublicKey(wanted);
  if (!parsed) throw new UserError('the SSH key is neither a key id nor an OpenSSH public key', 'pass "ssh-ed25519 AAAA…" or a key id from `ferry ssh-keys --provider hivelocity`', { field: 'sshKeys' });
  const known = keys.find((k) => k.publicKey && parsePublicKey(k.publicKey)?.text === parsed.text);
  return known?.sshKeyId ? { id: known.sshKeyId } : { register: wanted };
}

/** The key id to order with, registering a new public key now (found again by its text if a re-send already did). */
export async function keyIdFor(client: HivelocityClient, plan: KeyPlan, o?: OperationOptions): Promise<number | undefined> {
  if (!plan) return undefined;
  if ('id' in plan) return plan.id;
  const text = parsePublicKey(plan.register)!;
  const known = (await client.listSshKeys(o)).find((k) => k.publicKey && parsePublicKey(k.publicKey)?.text === text.text);
  if (known?.sshKeyId) return known.sshKeyId;
  const created = await client.createSshKey(`ferry-${text.comment || Date.now().toString(36)}`, plan.register, o);
  return created.sshKeyId ?? undefined;
}
