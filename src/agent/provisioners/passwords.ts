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
