/** Ed25519 keys as hex strings: a 32-byte secret seed and a 32-byte public key. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

export interface KeyPair {
  secretKey: string;
  publicKey: string;
}

const HEX_32 = /^[0-9a-fA-F]{64}$/;

export function isKeyHex(value: string): boolean {
  return HEX_32.test(value);
}

/** Decodes a 32-byte hex key, naming what it is in the error. */
export function keyBytes(hex: string, what = 'key'): Uint8Array {
  const trimmed = hex.trim();
  if (!HEX_32.test(trimmed)) throw new Error(`${what} must be 64 hex characters (32 bytes)`);
  return hexToBytes(trimmed);
}

export function generateKeyPair(): KeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey: bytesToHex(secretKey), publicKey: bytesToHex(publicKey) };
}

export function publicKeyOf(secretKeyHex: string): string {
  return bytesToHex(ed25519.getPublicKey(keyBytes(secretKeyHex, 'secret key')));
}

export { bytesToHex, hexToBytes };
