/**
 * SSH keys of a create: references (key ids, MD5 fingerprints) must exist on the account; raw
 * public keys are registered unless a key with the same fingerprint is already there.
 * GET /v2/account/keys is limited to 10 requests a minute, so a create lists keys once.
 */
import { isPublicKey, listChoices, md5Fingerprint, ProviderError, UserError, type OperationOptions } from '../../core/index.js';
import type { DoClient } from './client.js';
import type { DoSshKey } from './schema.js';


/** What a create will send: existing key ids, plus the raw keys still to register. */
export interface KeyPlan {
  ids: number[];
  toRegister: { publicKey: string; fingerprint: string }[];
}

export async function planKeys(client: DoClient, refs: readonly string[], o?: OperationOptions): Promise<KeyPlan> {
  const plan: KeyPlan = { ids: [], toRegister: [] };
  if (!refs.length) return plan;
  const existing = await client.listKeys(o);
  for (const ref of refs) {
    const raw = ref.trim();
    const byRef = (k: DoSshKey) => String(k.id) === raw || k.fingerprint === raw;
    if (isPublicKey(raw)) {
      const fingerprint = md5Fingerprint(raw);
      const found = existing.find((k) => k.fingerprint === fingerprint);
      if (found) plan.ids.push(found.id);
      else if (!plan.toRegister.some((k) => k.fingerprint === fingerprint)) plan.toRegister.push({ publicKey: raw, fingerprint });
      continue;
    }
    const found = existing.find(byRef);
    if (!found) {
      const known = existing.map((k) => `${k.id} (${k.name})`);
      throw new UserError(
        `unknown DigitalOcean SSH key "${raw}"`,
        known.length ? `keys on the account: ${listChoices(known)}; or pass a public key to register it` : 'the account has no SSH keys; pass a public key ("ssh-ed25519 AAAA…") to register it',
      );
    }
    plan.ids.push(found.id);
  }
  return plan;
}

/** Registers the plan's raw keys; a key registered meanwhile (422 "already in use") is looked up by fingerprint. */
export async function registerKeys(client: DoClient, plan: KeyPlan, keyName: string, o?: OperationOptions): Promise<number[]> {
  const ids = [...plan.ids];
  for (const [i, k] of plan.toRegister.entries()) {
    try {
      ids.push((await client.createKey(`${keyName}-${i + 1}`, k.publicKey, o)).id);
    } catch (err) {
      if (!ProviderError.is(err, 'invalid_config')) throw err;
      const found = (await client.listKeys(o)).find((x) => x.fingerprint === k.fingerprint);
      if (!found) throw err;
      ids.push(found.id);
    }
  }
  plan.ids = ids;
  plan.toRegister = [];
  return ids;
}
