/** SSH keys for a create: ids, names, fingerprints, or raw public keys registered on first use. */
import { isPublicKey, listChoices, MANAGED_BY_KEY, MANAGED_BY_VALUE, md5Fingerprint, ProviderError, UserError, type OperationOptions } from '../../core/index.js';
import type { HetznerClient } from './client.js';
import type { HcSshKey } from './schema.js';

const FINGERPRINT_RE = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i;

/** The name ferry registers a raw key under: stable, so a retried create finds it again. */
export function registeredKeyName(fingerprint: string): string {
  return `ferry-${fingerprint.replace(/:/g, '').slice(0, 16)}`;
}

async function register(client: HetznerClient, publicKey: string, fp: string, o?: OperationOptions): Promise<HcSshKey> {
  try {
    return await client.createSshKey(
      { name: registeredKeyName(fp), public_key: publicKey.trim(), labels: { [MANAGED_BY_KEY]: MANAGED_BY_VALUE } },
      o,
    );
  } catch (err) {
    // Someone registered the same key meanwhile (or a reset hid our own success): use that one.
    if (!ProviderError.is(err, 'conflict')) throw err;
    const [found] = await client.listSshKeys({ fingerprint: fp }, o);
    if (!found) throw err;
    return found;
  }
}

/** What a create will send: ids of keys already on the project, and raw keys still to register. */
export interface KeyPlan {
  ids: string[];
  toRegister: { publicKey: string; fingerprint: string }[];
}

/**
 * Resolves what the user gave, reading only: unknown ids, names and fingerprints are a UserError
 * naming the project's keys; raw public keys not on the project yet are planned for registration.
 */
export async function planSshKeys(client: HetznerClient, wanted: readonly string[], o?: OperationOptions): Promise<KeyPlan> {
  const plan: KeyPlan = { ids: [], toRegister: [] };
  if (wanted.length === 0) return plan;
  const existing = await client.listSshKeys({}, o);
  for (const raw of wanted) {
    const w = raw.trim();
    if (isPublicKey(w)) {
      const fp = md5Fingerprint(w);
      const key = existing.find((k) => k.fingerprint === fp);
      if (key) plan.ids.push(String(key.id));
      else if (!plan.toRegister.some((k) => k.fingerprint === fp)) plan.toRegister.push({ publicKey: w, fingerprint: fp });
      continue;
    }
    const key = FINGERPRINT_RE.test(w)
      ? existing.find((k) => k.fingerprint.toLowerCase() === w.toLowerCase())
      : existing.find((k) => String(k.id) === w || k.name === w);
    if (!key) {
      const choices = existing.map((k) => `${k.name} (${k.id})`);
      throw new UserError(
        `unknown SSH key "${w}" on hetzner`,
        choices.length ? `known keys: ${listChoices(choices)}; or pass a public key to register it` : 'the account has no SSH keys; pass a public key ("ssh-ed25519 AAAA…") to register it',
        { field: 'sshKeys', choices },
      );
    }
    plan.ids.push(String(key.id));
  }
  return plan;
}

/** Registers the plan's raw keys (at create time, never in validation) and returns every key id. */
export async function registerPlannedKeys(client: HetznerClient, plan: KeyPlan, o?: OperationOptions): Promise<string[]> {
  const ids = [...plan.ids];
  for (const k of plan.toRegister) ids.push(String((await register(client, k.publicKey, k.fingerprint, o)).id));
  return [...new Set(ids)];
}
