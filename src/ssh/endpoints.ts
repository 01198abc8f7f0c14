/**
 * Where a server's SSH answers. For a real provider that is its address, port 22. Pointed at the
 * emulator, each emulated IP maps to a loopback port: from FERRY_SSH_ENDPOINTS (a JSON map
 * `{"<ip>": "127.0.0.1:<port>"}`; a `"*"` entry covers every address not listed, e.g. one
 * forwarded port; when set it is the whole map, nothing is discovered) or, when the provider endpoint is on loopback, from the
 * emulator's `GET /__emulator/ssh`. A non-loopback endpoint is never asked.
 */
import { UserError } from '../core/errors.js';
import { defaultFetch } from '../transport/node-fetch.js';

export interface SshEndpoint {
  host: string;
  port: number;
}

export const SSH_ENDPOINTS_ENV = 'FERRY_SSH_ENDPOINTS';
export const EMULATOR_SSH_PATH = '/__emulator/ssh';

function parseHostPort(text: string, where: string): SshEndpoint {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!m) throw new UserError(`${where}: "${text}" is not host:port`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** The map in FERRY_SSH_ENDPOINTS, or undefined when unset. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv): Record<string, SshEndpoint> | undefined {
  const raw = env[SSH_ENDPOINTS_ENV];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UserError(`${SSH_ENDPOINTS_ENV} is not JSON`, 'expected {"<ip>": "127.0.0.1:<port>"}');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserError(`${SSH_ENDPOINTS_ENV} must be a JSON object`, 'expected {"<ip>": "127.0.0.1:<port>"}');
  return Object.fromEntries(Object.entries(parsed).map(([ip, v]) => [ip, parseHostPort(String(v), SSH_ENDPOINTS_ENV)]));
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** Asks an emulator (only on loopback) for its SSH map; undefined when it has none. */
export async function endpointsFromEmulator(providerEndpoint: string | undefined): Promise<Record<string, SshEndpoint> | undefined> {
  if (!providerEndpoint || !isLoopbackUrl(providerEndpoint)) return undefined;
  try {
    const url = new URL(EMULATOR_SSH_PATH, new URL(providerEndpoint).origin).href;
    const res = await defaultFetch(url, { method: 'GET', headers: {}, signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return undefined;
    const body = JSON.parse(await res.text()) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    return Object.fromEntries(Object.entries(body).map(([ip, v]) => [ip, parseHostPort(String(v), EMULATOR_SSH_PATH)]));
  } catch {
    return undefined;
  }
}

/** The SSH endpoint of a server address: FERRY_SSH_ENDPOINTS when set, else the emulator's map, else ip:22. */
export async function sshEndpointFor(ip: string, o: { env?: NodeJS.ProcessEnv; providerEndpoint?: string } = {}): Promise<SshEndpoint> {
  const fromEnv = o.env ? endpointsFromEnv(o.env) : undefined;
  const map = fromEnv ?? (await endpointsFromEmulator(o.providerEndpoint));
  return map?.[ip] ?? map?.['*'] ?? { host: ip, port: 22 };
}
