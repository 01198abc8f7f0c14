/**
 * Decent Cloud request signing (common/src/api_auth.rs + api/src/auth.rs in decent-stuff/decent-cloud):
 * message = timestamp ‖ nonce ‖ METHOD ‖ path ‖ body, raw bytes with no separators;
 * timestamp in Unix nanoseconds; nonce a UUID v4; signature Ed25519ph (SHA-512 prehash)
 * with context "decent-cloud", hex. The path excludes the query string, as theirs does.
 */
import { randomUUID } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, keyBytes, publicKeyOf, weakKeyReason } from './keys.js';

export const SIGN_CONTEXT = new TextEncoder().encode('decent-cloud');
export const MAX_SKEW_NS = 5n * 60n * 1_000_000_000n;

export const HEADER = {
  publicKey: 'X-Public-Key',
  agentPubkey: 'X-Agent-Pubkey',
  signature: 'X-Signature',
  timestamp: 'X-Timestamp',
  nonce: 'X-Nonce',
} as const;

/** Which header carries the signer: the party's own key or a delegated agent key. */
export type KeyRole = 'provider' | 'agent';

export type SignedHeaders = Record<string, string>;

const encoder = new TextEncoder();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export function buildSignedMessage(
  timestamp: string,
  nonce: string,
  method: string,
  path: string,
  body: Uint8Array | string,
): Uint8Array {
  const parts = [timestamp, nonce, method, path].map((s) => encoder.encode(s));
  parts.push(typeof body === 'string' ? encoder.encode(body) : body);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Strips the query string: Decent Cloud signs the path only. */
export function signedPathOf(pathWithQuery: string): string {
  const q = pathWithQuery.indexOf('?');
  return q === -1 ? pathWithQuery : pathWithQuery.slice(0, q);
}

export function signMessage(secretKeyHex: string, message: Uint8Array): string {
  return bytesToHex(ed25519ph.sign(message, keyBytes(secretKeyHex, 'secret key'), { context: SIGN_CONTEXT }));
}

export interface SignOptions {
  role?: KeyRole;
  /** Fixed values for test vectors; normally the clock and a fresh UUID v4. */
  timestampNs?: bigint | string;
  nonce?: string;
}

/** The five auth headers for one request. */
export function signRequest(
  secretKeyHex: string,
  method: string,
  path: string,
  body: Uint8Array | string = '',
  options: SignOptions = {},
): SignedHeaders {
  const timestamp = String(options.timestampNs ?? nowNs());
  const nonce = options.nonce ?? randomUUID();
  const signature = signMessage(
    secretKeyHex,
    buildSignedMessage(timestamp, nonce, method.toUpperCase(), signedPathOf(path), body),
  );
  const keyHeader = options.role === 'agent' ? HEADER.agentPubkey : HEADER.publicKey;
  return {
    [keyHeader]: publicKeyOf(secretKeyHex),
    [HEADER.timestamp]: timestamp,
    [HEADER.nonce]: nonce,
    [HEADER.signature]: signature,
  };
}

export type RejectReason =
  | 'missing_header'
  | 'malformed'
  | 'weak_key'
  | 'expired'
  | 'future'
  | 'bad_signature'
  | 'replayed_nonce'
  | 'unknown_agent_key'
  | 'wrong_party';

export type Verified = {
  ok: true;
  /** The key that signed (hex, lower case). */
  key: string;
  role: KeyRole;
  timestampNs: bigint;
  nonce: string;
};
export type Rejected = { ok: false; reason: RejectReason; message: string };

/** Looks a header up case-insensitively in a plain object or a Headers instance. */
export type HeaderSource = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifyInput {
  headers: HeaderSource;
  method: string;
  /** The request path; any query string is ignored. */
  path: string;
  body: Uint8Array | string;
  now?: bigint;
}

/** Checks format, clock skew and signature. Nonce reuse is the caller's check (it needs shared storage). */
export function verifyRequest(input: VerifyInput): Verified | Rejected {
  const agentKey = header(input.headers, HEADER.agentPubkey);
  const partyKey = header(input.headers, HEADER.publicKey);
  const key = agentKey ?? partyKey;
  const role: KeyRole = agentKey !== undefined ? 'agent' : 'provider';
  const signature = header(input.headers, HEADER.signature);
  const timestamp = header(input.headers, HEADER.timestamp);
  const nonce = header(input.headers, HEADER.nonce);
  if (!key || !signature || !timestamp || !nonce) {
    return reject('missing_header', 'X-Public-Key or X-Agent-Pubkey, X-Signature, X-Timestamp and X-Nonce are required');
  }
  if (!/^[0-9a-fA-F]{64}$/.test(key)) return reject('malformed', 'public key must be 32 bytes of hex');
  const weak = weakKeyReason(key);
  if (weak) return reject('weak_key', `public key ${weak}`);
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return reject('malformed', 'signature must be 64 bytes of hex');
  if (!/^-?\d{1,20}$/.test(timestamp)) return reject('malformed', 'timestamp must be Unix nanoseconds');
  if (!UUID_V4.test(nonce)) return reject('malformed', 'nonce must be a UUID v4');
  const ts = BigInt(timestamp);
  const age = (input.now ?? nowNs()) - ts;
  if (age > MAX_SKEW_NS) return reject('expired', 'request timestamp is more than 5 minutes old');
  if (age < -MAX_SKEW_NS) return reject('future', 'request timestamp is more than 5 minutes in the future');
  const message = buildSignedMessage(timestamp, nonce, input.method.toUpperCase(), signedPathOf(input.path), input.body);
  let valid = false;
  try {
    // Strict RFC 8032 rules (zip215: false): non-canonical R or S and mixed encodings are refused.
    valid = ed25519ph.verify(hexToBytes(signature), message, hexToBytes(key), { context: SIGN_CONTEXT, zip215: false });
  } catch {
    valid = false;
  }
  if (!valid) return reject('bad_signature', 'signature does not match the request');
  return { ok: true, key: key.toLowerCase(), role, timestampNs: ts, nonce: nonce.toLowerCase() };
}

function reject(reason: RejectReason, message: string): Rejected {
  return { ok: false, reason, message };
}
