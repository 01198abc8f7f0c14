/**
 * ferry's own known_hosts ($XDG_STATE_HOME/ferry/known_hosts, mode 0600), in OpenSSH's format so
 * the system `ssh` reads it. Each line is keyed by an alias naming provider, instance id and
 * address (ssh's HostKeyAlias): a recreated server at a recycled address is a different entry,
 * while the same server presenting a different key is refused.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'ferry');
}

export function knownHostsPath(env: NodeJS.ProcessEnv): string {
  return env.FERRY_KNOWN_HOSTS || join(stateDir(env), 'known_hosts');
}

/** The HostKeyAlias of one server: only characters that are safe in a known_hosts host field. */
export function hostAlias(provider: string, instanceId: string, ip: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `ferry.${safe(provider)}.${safe(instanceId)}.${safe(ip)}`;
}

/** A host key as the server sent it (the SSH wire blob) → OpenSSH's "type base64". */
export function formatHostKey(blob: Buffer): string {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = len > 0 && 4 + len <= blob.length ? blob.subarray(4, 4 + len).toString('latin1') : 'unknown';
  return `${type} ${blob.toString('base64')}`;
}

export function recordedHostKeys(file: string, alias: string): string[] {
  if (!existsSync(file)) return [];
  const out: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [hosts, type, key] = line.trim().split(/\s+/);
    if (!hosts || hosts.startsWith('#') || !type || !key) continue;
    if (hosts.split(',').includes(alias)) out.push(`${type} ${key}`);
  }
  return out;
}

export function recordHostKey(file: string, alias: string, key: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${alias} ${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export type HostKeyCheck = 'new' | 'match' | 'changed';

/** Trust on first use: a new alias records the key; a recorded one must match. */
export function checkHostKey(file: string, alias: string, blob: Buffer): HostKeyCheck {
  const key = formatHostKey(blob);
  const known = recordedHostKeys(file, alias);
  if (known.length === 0) {
    recordHostKey(file, alias, key);
    return 'new';
  }
  return known.includes(key) ? 'match' : 'changed';
}
