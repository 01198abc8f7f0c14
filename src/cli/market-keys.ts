/**
 * The user's Ed25519 key for the market (requests signed as Decent Cloud does, credentials
 * sealed to it): a hex seed in $XDG_CONFIG_HOME/ferry/keys/ferry_ed25519 (mode 0600 in a 0700
 * directory), or wherever FERRY_KEY_FILE points. The same file works as an agent's
 * provider_secret_key_file.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { keyFromFileText, readSecretFile, SecretFileError } from '../agent/secrets.js';
import { generateKeyPair, isKeyHex, publicKeyOf, type KeyPair } from '../protocol/keys.js';
import { configDir } from './credentials.js';

export const KEY_FILE_NAME = 'ferry_ed25519';

export function keyPath(env: NodeJS.ProcessEnv): string {
  return env.FERRY_KEY_FILE || join(configDir(env), 'keys', KEY_FILE_NAME);
}

export interface LoadedKey extends KeyPair {
  path: string;
  /** Set when the file's group can read it. */
  warning?: string;
}

export function loadKey(env: NodeJS.ProcessEnv): LoadedKey {
  const path = keyPath(env);
  if (!existsSync(path)) throw new UserError(`no key at ${path}`, 'create one with `ferry keys generate` (or point FERRY_KEY_FILE at yours)');
  let file;
  try {
    file = readSecretFile(path);
  } catch (err) {
    if (err instanceof SecretFileError) throw new UserError(err.message);
    throw err;
  }
  const secretKey = keyFromFileText(file.value).toLowerCase();
  if (!isKeyHex(secretKey)) throw new UserError(`${path} does not hold an Ed25519 secret key (64 hex characters)`);
  return { path, secretKey, publicKey: publicKeyOf(secretKey), ...(file.warning ? { warning: file.warning } : {}) };
}

/** Writes a fresh key (0600, in a 0700 directory); refuses to replace one unless forced. */
export function generateKey(env: NodeJS.ProcessEnv, force: boolean): LoadedKey {
  const path = keyPath(env);
  if (existsSync(path) && !force) {
    throw new UserError(`${path} already exists`, 'contracts and offerings are tied to that key; pass --force to replace it anyway');
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode alone, and the umask trims a new one's.
  if (!env.FERRY_KEY_FILE) chmodSync(dir, 0o700);
  const keys = generateKeyPair();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${keys.secretKey}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return { ...keys, path };
}
