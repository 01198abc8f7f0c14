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

/**
 * Why a public key must be refused, or null when it is a usable Ed25519 key: the point must be
 * canonically encoded (no y ≥ p, no alternative sign bit), on the curve, not of small order
 * (with such a key `key ‖ 00×32` "verifies" any message under ZIP-215 rules) and in the
 * prime-order subgroup (no torsion component). Every place a key enters the system asks this.
 */
export function weakKeyReason(hex: string): string | null {
  if (typeof hex !== 'string' || !HEX_32.test(hex)) return 'must be 64 hex characters (32 bytes)';
  const key = hex.toLowerCase();
  if (strongKeys.has(key)) return null;
  const reason = checkPoint(key);
  if (reason === null) rememberStrong(key);
  return reason;
}

/**
 * Keys already found strong. The subgroup check costs as much as a signature verification, and the
 * control plane would otherwise repeat it on every request of the same agent. Emptied when full, so
 * a flood of one-off keys cannot grow it.
 */
const strongKeys = new Set<string>();
const STRONG_KEYS_MAX = 4096;

function rememberStrong(key: string): void {
  if (strongKeys.size >= STRONG_KEYS_MAX) strongKeys.clear();
  strongKeys.add(key);
}

function checkPoint(hex: string): string | null {
  const bytes = hexToBytes(hex);
  let point;
  try {
    point = ed25519.Point.fromBytes(bytes, false);
  } catch {
    return 'is not a valid Ed25519 point';
  }
  if (bytesToHex(point.toBytes()) !== hex) return 'is not canonically encoded';
  if (point.isSmallOrder()) return 'is a small-order (weak) key';
  if (!point.isTorsionFree()) return 'has a torsion component (not in the prime-order subgroup)';
  return null;
}

/** True for a canonical, prime-order Ed25519 public key (see weakKeyReason). */
export function isStrongPublicKey(hex: string): boolean {
  return weakKeyReason(hex) === null;
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
