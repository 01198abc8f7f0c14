/**
 * `ferry ssh`'s hand-over to the system's OpenSSH client: ferry's known_hosts with strict
 * checking under a per-instance alias, the mapped port, the identity; everything else (agent
 * forwarding, ~/.ssh/config, ControlMaster…) stays the user's. Also the login user per image.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from './known-hosts.js';
import type { SshEndpoint } from './endpoints.js';

/** Providers whose stock images log in as root. */
const ROOT_PROVIDERS = new Set(['hetzner', 'hetzner-robot', 'digitalocean', 'vultr', 'linode', 'scaleway', 'cherry', 'latitude', 'hivelocity', 'ovh']);

/** The user a stock image logs in as: root where the provider sets root up, else the distro's cloud user. */
export function defaultLoginUser(provider: string, image: string | null | undefined): string {
  if (ROOT_PROVIDERS.has(provider)) return 'root';
  const i = (image ?? '').toLowerCase();
  if (/ubuntu/.test(i)) return 'ubuntu';
  if (/debian/.test(i)) return provider === 'aws' ? 'admin' : 'debian';
  if (/fedora/.test(i)) return 'fedora';
  if (/rocky/.test(i)) return 'rocky';
  if (/alma/.test(i)) return 'almalinux';
  if (/centos/.test(i)) return 'centos';
  if (/amazon|al2023|amzn/.test(i)) return 'ec2-user';
  return 'root';
}

export interface HandoverOptions {
  endpoint: SshEndpoint;
  user: string;
  knownHostsFile: string;
  alias: string;
  identity?: string;
  command?: string[];
  /** Extra `-o` options, e.g. BatchMode=yes. */
  options?: string[];
}

/** The argument vector for /usr/bin/ssh. */
export function sshArgv(o: HandoverOptions): string[] {
  const argv = ['-o', `UserKnownHostsFile=${o.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', `HostKeyAlias=${o.alias}`, '-p', String(o.endpoint.port), '-l', o.user];
  if (o.identity) argv.push('-i', o.identity);
  for (const opt of o.options ?? []) argv.push('-o', opt);
  argv.push(o.endpoint.host);
  if (o.command?.length) argv.push('--', ...o.command);
  return argv;
}

/** Which private key and user ferry deployed a server with, for `ferry ssh` (paths, never key material). */
export interface LoginRecord {
  identity?: string;
  user?: string;
}

export function loginsPath(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'ssh-logins.json');
}

function readLogins(file: string): Record<string, LoginRecord> {
  if (!existsSync(file)) return {};
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, LoginRecord>) : {};
  } catch {
    return {};
  }
}

export function recordLogin(env: NodeJS.ProcessEnv, provider: string, instanceId: string, login: LoginRecord): void {
  const file = loginsPath(env);
  const all = readLogins(file);
  all[`${provider}/${instanceId}`] = login;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function recordedLogin(env: NodeJS.ProcessEnv, provider: string, instanceId: string): LoginRecord | undefined {
  return readLogins(loginsPath(env))[`${provider}/${instanceId}`];
}

/** The private key next to a public key file (`id_ed25519.pub` → `id_ed25519`), when it exists. */
export function privateKeyFor(publicKeyPath: string): string | undefined {
  const path = publicKeyPath.endsWith('.pub') ? publicKeyPath.slice(0, -4) : undefined;
  return path && existsSync(path) ? path : undefined;
}
