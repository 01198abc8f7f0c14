/**
 * Instance credentials sealed to the requester's Ed25519 key, wire-compatible with
 * Decent Cloud's api/src/crypto/credential_encryption.rs:
 * requester Ed25519 public key → X25519; fresh ephemeral X25519 key; shared secret;
 * key = SHA-512(label ‖ shared)[0..32]; XChaCha20-Poly1305 with a random 24-byte nonce;
 * JSON {version, ephemeral_pubkey, nonce, ciphertext[, aad]} with standard base64.
 * Version 1 has no AAD (label "credential-encryption-v1"); version 2 binds AAD, which
 * ferry sets to the contract id bytes as Decent Cloud does (label "credential-encryption-v2-aad").
 */
import { randomBytes } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { keyBytes } from './keys.js';

export interface SealedCredentials {
  version: 1 | 2;
  ephemeral_pubkey: string;
  nonce: string;
  ciphertext: string;
  aad?: string;
}

const LABEL = { 1: 'credential-encryption-v1', 2: 'credential-encryption-v2-aad' } as const;
const encoder = new TextEncoder();

function deriveKey(version: 1 | 2, shared: Uint8Array): Uint8Array {
  const label = encoder.encode(LABEL[version]);
  const input = new Uint8Array(label.length + shared.length);
  input.set(label);
  input.set(shared, label.length);
  return sha512(input).slice(0, 32);
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
function unb64(value: unknown, field: string, length?: number): Uint8Array {
  if (typeof value !== 'string') throw new Error(`sealed credentials: ${field} is missing`);
  const bytes = new Uint8Array(Buffer.from(value, 'base64'));
  if (length !== undefined && bytes.length !== length) {
    throw new Error(`sealed credentials: ${field} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Seals plaintext so only the holder of requesterPublicKey's secret can read it. With aad: version 2. */
export function sealCredentials(plaintext: string, requesterPublicKeyHex: string, aad?: Uint8Array): SealedCredentials {
  const recipient = ed25519.utils.toMontgomery(keyBytes(requesterPublicKeyHex, 'requester public key'));
  const ephemeralSecret = new Uint8Array(randomBytes(32));
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const version = aad === undefined ? 1 : 2;
  const key = deriveKey(version, x25519.getSharedSecret(ephemeralSecret, recipient));
  const nonce = new Uint8Array(randomBytes(24));
  const ciphertext = xchacha20poly1305(key, nonce, aad).encrypt(encoder.encode(plaintext));
  const sealed: SealedCredentials = {
    version,
    ephemeral_pubkey: b64(ephemeralPublic),
    nonce: b64(nonce),
    ciphertext: b64(ciphertext),
  };
  if (aad !== undefined) sealed.aad = b64(aad);
  return sealed;
}

/**
 * Opens sealed credentials with the requester's 32-byte Ed25519 secret seed. For version 2 the
 * caller passes the AAD it expects (the contract id); a mismatch fails like any tampering.
 */
export function openCredentials(sealed: SealedCredentials | string, secretKeyHex: string, aad?: Uint8Array): string {
  const s: SealedCredentials = typeof sealed === 'string' ? JSON.parse(sealed) : sealed;
  if (s.version !== 1 && s.version !== 2) throw new Error(`sealed credentials: unsupported version ${String(s.version)}`);
  if (s.version === 2 && aad === undefined) throw new Error('sealed credentials: version 2 needs the AAD (contract id)');
  const ephemeral = unb64(s.ephemeral_pubkey, 'ephemeral_pubkey', 32);
  const nonce = unb64(s.nonce, 'nonce', 24);
  const ciphertext = unb64(s.ciphertext, 'ciphertext');
  const secret = ed25519.utils.toMontgomerySecret(keyBytes(secretKeyHex, 'secret key'));
  const key = deriveKey(s.version, x25519.getSharedSecret(secret, ephemeral));
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(key, nonce, s.version === 2 ? aad : undefined).decrypt(ciphertext);
  } catch {
    throw new Error('sealed credentials: decryption failed (wrong key, wrong contract, or tampered data)');
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** AAD Decent Cloud binds: the contract id as raw bytes (it is hex on the wire). */
export function contractAad(contractIdHex: string): Uint8Array {
  return new Uint8Array(Buffer.from(contractIdHex, 'hex'));
}

/**
 * Checks the shape of sealed credentials received from elsewhere (an agent's report) without
 * opening them: version, base64 fields of the right lengths. Throws naming the bad field.
 */
export function parseSealedCredentials(value: unknown): SealedCredentials {
  let v: unknown = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new Error('sealed credentials: not a JSON document');
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('sealed credentials: must be an object');
  const o = v as Record<string, unknown>;
  if (o.version !== 1 && o.version !== 2) throw new Error(`sealed credentials: unsupported version ${String(o.version)}`);
  unb64(o.ephemeral_pubkey, 'ephemeral_pubkey', 32);
  unb64(o.nonce, 'nonce', 24);
  // XChaCha20-Poly1305 appends a 16-byte tag: anything shorter cannot be a ciphertext.
  if (unb64(o.ciphertext, 'ciphertext').length < 16) throw new Error('sealed credentials: ciphertext is too short');
  const sealed: SealedCredentials = {
    version: o.version,
    ephemeral_pubkey: o.ephemeral_pubkey as string,
    nonce: o.nonce as string,
    ciphertext: o.ciphertext as string,
  };
  if (o.version === 2) sealed.aad = b64(unb64(o.aad, 'aad'));
  return sealed;
}
