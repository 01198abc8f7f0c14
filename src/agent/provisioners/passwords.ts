/**
 * Root passwords derived from a per-agent seed and the contract id (HMAC-SHA256): a provision
 * re-run after a crash yields the same password for the VM it adopts, so no password is ever
 * written to the agent's state file. The seed comes from the agent's signing key, which already
 * controls every instance the agent makes.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export function passwordSeedFromKey(secretKeyHex: string): Buffer {
  return createHash('sha256').update('ferry-agent-root-password-v1').update(Buffer.from(secretKeyHex, 'hex')).digest();
}

export function randomPasswordSeed(): Buffer {
  return randomBytes(32);
}

/** 24 characters of base64url: 144 bits. */
export function derivePassword(seed: Uint8Array, contractId: string): string {
  return createHmac('sha256', seed).update(contractId).digest('base64url').slice(0, 24);
}

/**
 * The label that records which password an instance was built with: a short fingerprint
 * (32 bits of SHA-256 of a 144-bit password: a check, not a way back). An agent that takes over
 * another agent's instance derives a different password; comparing fingerprints tells it that
 * its own derivation would not open the server, so it does not report it.
 */
export const PASSWORD_LABEL = 'ferry-pwfp';

export function passwordFingerprint(password: string): string {
  return createHash('sha256').update(`ferry-root-password:${password}`).digest('hex').slice(0, 8);
}

/** The password to report for an instance carrying these labels: ours if it was built with ours, else none. */
export function reportablePassword(labels: Record<string, string> | undefined, password: string): string | undefined {
  return labels?.[PASSWORD_LABEL] === passwordFingerprint(password) ? password : undefined;
}
