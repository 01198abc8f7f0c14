/**
 * SSH keys are the project's IAM keys: Scaleway installs every key of the project on new Instance
 * servers, and Elastic Metal installs take key ids. Raw public keys are registered once (matched by
 * their key blob); ids and names must exist.
 */
import { listChoices, ProviderError, UserError, type OperationOptions } from '../../core/index.js';
import type { ScalewayClient } from './client.js';
import type { ScwSshKey } from './schema.js';

const PUBLIC_KEY_RE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,3})(\s.*)?$/;

const blob = (key: string) => PUBLIC_KEY_RE.exec(key.trim())?.slice(1, 3).join(' ');
export const isPublicKey = (text: string) => PUBLIC_KEY_RE.test(text.trim());

function registeredName(key: string): string {
  const b = blob(key) ?? '';
  return `ferry-${b.split(' ')[1]?.replace(/[^A-Za-z0-9]/g, '').slice(-16) ?? 'key'}`;
}

/**
 * The IAM key ids for what the user gave. With `register` false (preflight) raw keys are only
 * checked; with it true they are registered when the project lacks them.
 */
export async function resolveSshKeys(client: ScalewayClient, projectId: string, wanted: readonly string[], register: boolean, o?: OperationOptions): Promise<string[]> {
  if (wanted.length === 0) return [];
  const existing = await client.listSshKeys(projectId, o);
  const ids: string[] = [];
  for (const raw of wanted) {
    const w = raw.trim();
    if (isPublicKey(w)) {
      let key: ScwSshKey | undefined = existing.find((k) => blob(k.public_key) === blob(w));
      if (!key && register) {
        try {
          key = await client.createSshKey({ name: registeredName(w), public_key: w, project_id: projectId }, o);
        } catch (err) {
          // Registered meanwhile by someone else: use theirs.
          if (!ProviderError.is(err, 'conflict')) throw err;
          key = (await client.listSshKeys(projectId, o)).find((k) => blob(k.public_key) === blob(w));
          if (!key) throw err;
        }
        existing.push(key);
      }
      if (key) ids.push(key.id);
      continue;
    }
    const key = existing.find((k) => k.id === w || k.name === w || k.fingerprint === w);
    if (!key) {
      const choices = existing.map((k) => `${k.name} (${k.id})`);
      throw new UserError(
        `unknown SSH key "${w}" in the scaleway project`,
        choices.length ? `known keys: ${listChoices(choices)}; or pass a public key to register it` : 'the project has no SSH keys; pass a public key ("ssh-ed25519 AAAA…") to register it',
      );
    }
    ids.push(key.id);
  }
  return [...new Set(ids)];
}
