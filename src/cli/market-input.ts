/** Reading the market commands' inputs: JSON given inline or as @file, SSH public keys given as a path or inline. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { UserError } from '../core/errors.js';

function expandHome(path: string): string {
  return path.startsWith('~/') ? `${process.env.HOME || homedir()}${path.slice(1)}` : path;
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(expandHome(path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${flag} ${path}: no such file`);
    throw new UserError(`${flag}: cannot read ${path}: ${code ?? (err as Error).message}`);
  }
}

/** `{"a":1}` or `@config.json` → the parsed JSON object. */
export function jsonArg(value: unknown, flag: string): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const text = value.startsWith('@') ? readText(value.slice(1), flag) : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${flag} must be JSON (inline, or @file): ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserError(`${flag} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

const SSH_PUBLIC = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-\S+|sk-\S+)\s+[A-Za-z0-9+/=]+(\s.*)?$/;

/** An OpenSSH public key given inline or as the path of a .pub file; a private key is refused before it goes anywhere. */
export function sshKeyArg(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new UserError('--ssh-key is required', 'give the path of your public key (e.g. ~/.ssh/id_ed25519.pub) or the key itself');
  const inline = value.trim();
  const text = /^(ssh-|ecdsa-|sk-)/.test(inline) ? inline : readText(inline, '--ssh-key').trim();
  if (text.includes('PRIVATE KEY')) throw new UserError(`${value} is a private key`, 'pass the public key: the same path with .pub');
  const line = text.split(/\r?\n/)[0]!.trim();
  if (!SSH_PUBLIC.test(line)) throw new UserError(`--ssh-key: not an OpenSSH public key: ${line.slice(0, 40)}…`);
  return line;
}

/** Reads a script file's text (the post-provision script). */
export function fileArg(value: unknown, flag: string): string | undefined {
  return typeof value === 'string' && value ? readText(value, flag) : undefined;
}
