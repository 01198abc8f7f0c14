/**
 * SSH keys for a create. Linode takes public keys themselves (`authorized_keys`), so a raw key is
 * sent as it is; a profile key's id or label is looked up in /profile/sshkeys and its text sent.
 */
import { listChoices, UserError, type OperationOptions } from '../../core/index.js';
import type { LinodeClient } from './client.js';

const PUBLIC_KEY_RE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)\s+[A-Za-z0-9+/]+={0,3}(\s.*)?$/;

export function isPublicKey(text: string): boolean {
  return PUBLIC_KEY_RE.test(text.trim());
}

export async function resolveAuthorizedKeys(client: LinodeClient, wanted: readonly string[], o?: OperationOptions): Promise<string[]> {
  if (wanted.length === 0) return [];
  const raw = wanted.map((w) => w.trim());
  const named = raw.filter((w) => !isPublicKey(w));
  const profile = named.length ? await client.listSshKeys(o) : [];
  const keys = raw.map((w) => {
    if (isPublicKey(w)) return w;
    const key = profile.find((k) => String(k.id) === w || k.label === w);
    if (!key) {
      const choices = profile.map((k) => `${k.label} (${k.id})`);
      throw new UserError(
        `unknown SSH key "${w}" on linode`,
        choices.length ? `profile keys: ${listChoices(choices)}; or pass a public key` : 'the profile has no SSH keys; pass a public key ("ssh-ed25519 AAAA…")',
      );
    }
    return key.ssh_key.trim();
  });
  return [...new Set(keys)];
}
