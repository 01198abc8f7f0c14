/**
 * SSH keys on OVH: the account's keys (/me/sshKey); the one marked default is the key OVH installs
 * on a dedicated server at delivery (the order has no key field). ferry registers a raw public key
 * under a name derived from its fingerprint and marks it default just before checkout.
 */
import { createHash } from 'node:crypto';
import { parsePublicKey, sha256Fingerprint, UserError, type OperationOptions, type SshKeyService } from '../../core/index.js';
import type { OvhClient } from './client.js';

export interface KeyPlan {
  keyName: string;
  publicKey: string;
  registered: boolean;
}

export function keyNameFor(publicKey: string): string {
  return `ferry-${createHash('sha256').update(publicKey.trim().split(/\s+/).slice(0, 2).join(' ')).digest('hex').slice(0, 16)}`;
}

/** Reads only: which key to make default, and whether it is registered yet. */
export async function planSshKey(client: OvhClient, key: string | undefined, o?: OperationOptions): Promise<KeyPlan | null> {
  if (!key) return null;
  if (!parsePublicKey(key)) throw new UserError('--ssh-key is not an OpenSSH public key', 'pass the contents of a .pub file (ssh-ed25519 AAAA… or ssh-rsa AAAA…)');
  const keyName = keyNameFor(key);
  return { keyName, publicKey: key.trim(), registered: (await client.listSshKeyNames(o)).includes(keyName) };
}

export async function makeDefault(client: OvhClient, plan: KeyPlan, o?: OperationOptions): Promise<void> {
  if (!plan.registered) await client.addSshKey(plan.keyName, plan.publicKey, o);
  await client.makeDefaultSshKey(plan.keyName, o);
}

export function sshKeyService(client: OvhClient): SshKeyService {
  return {
    async list(o) {
      const out = [];
      for (const name of await client.listSshKeyNames(o)) {
        const k = await client.getSshKey(name, o);
        if (!k) continue;
        let fingerprint: string | null = null;
        try {
          fingerprint = k.key ? sha256Fingerprint(k.key) : null;
        } catch {
          fingerprint = null;
        }
        out.push({ id: name, name, fingerprint, publicKey: k.key ?? null });
      }
      return out;
    },
  };
}
