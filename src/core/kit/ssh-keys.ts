/**
 * OpenSSH public keys as users paste them: recognised, and fingerprinted the two ways providers show
 * them (MD5 colon-hex, as Hetzner and DigitalOcean do; SHA256 base64, as OpenSSH does). Only the
 * key's text form is read here; talking SSH is the ssh2 library's job.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';

const PUBLIC_KEY_RE = /^(ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+([A-Za-z0-9+/]+={0,3})(?:\s+(.*))?$/;

export interface PublicKey {
  type: string;
  /** The decoded key blob. */
  blob: Buffer;
  comment: string;
  /** "type base64" without the comment. */
  text: string;
}

/** The key, or null when the text is not one (a key id, a name, a fingerprint). */
export function parsePublicKey(text: string): PublicKey | null {
  const m = PUBLIC_KEY_RE.exec(text.trim());
  if (!m) return null;
  const blob = Buffer.from(m[2]!, 'base64');
  // The blob starts with its own type name: a key pasted under the wrong type is not a key.
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (len <= 0 || blob.length < 4 + len || blob.subarray(4, 4 + len).toString('latin1') !== m[1]) return null;
  return { type: m[1]!, blob, comment: m[3] ?? '', text: `${m[1]} ${m[2]}` };
}

export function isPublicKey(text: string): boolean {
  return parsePublicKey(text) !== null;
}

function mustParse(text: string): PublicKey {
  const k = parsePublicKey(text);
  if (!k) throw new UserError('not an SSH public key', 'pass "ssh-ed25519 AAAA… you@host", a .pub file, or a key id, name or fingerprint', { field: 'sshKeys' });
  return k;
}

/** "aa:bb:…" (16 bytes), as `ssh-keygen -E md5 -l` prints it without the prefix. */
export function md5Fingerprint(publicKey: string): string {
  return createHash('md5').update(mustParse(publicKey).blob).digest('hex').match(/../g)!.join(':');
}

/** "SHA256:…" as OpenSSH prints it. */
export function sha256Fingerprint(publicKey: string): string {
  return `SHA256:${createHash('sha256').update(mustParse(publicKey).blob).digest('base64').replace(/=+$/, '')}`;
}
