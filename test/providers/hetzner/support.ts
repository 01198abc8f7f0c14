/**
 * Test harness: the Hetzner emulator with every exchange recorded and checked against the
 * Hetzner Cloud OpenAPI description, and a driver pointed at it with tiny poll intervals.
 */
import type { TestContext } from 'node:test';
import { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from '../../../src/emulator/index.js';
import { createProvider, type HetznerProvider } from '../../../src/providers/hetzner/index.js';
import { loadOpenApi } from '../../support/openapi.js';
import type { ProviderConfig } from '../../../src/core/index.js';

export const SPEC = 'hetzner-cloud/hcloud.openapi.json';
export const TIME_SCALE = 1000;
export const TOKEN = 'test-token-5f1c';

export interface Harness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  /** Spec violations of every request and response seen so far. */
  violations: string[];
  provider(config?: Partial<ProviderConfig>): HetznerProvider;
  /** The exchanges of one method and path pattern (":id" matches one segment). */
  requests(method: string, pattern: string): Exchange[];
  /** Raw call to the emulated API (bypassing the driver), JSON in and out. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/** Starts an emulator for one test; a missing spec skips the test loudly, naming the file. */
export async function startHetzner(t: TestContext, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<Harness> {
  const spec = loadOpenApi(SPEC);
  if ('missing' in spec) t.skip(spec.missing);
  const exchanges: Exchange[] = [];
  const violations: string[] = [];
  const emu = await startEmulator({
    timeScale: TIME_SCALE,
    seed: 1,
    ...o,
    providers: ['hetzner'],
    observe: (x) => {
      exchanges.push(x);
      if ('missing' in spec) return;
      for (const e of spec.validateRequest(x.method, x.path, x.requestBody)) violations.push(`request ${x.method} ${x.path}: ${e}`);
      for (const e of spec.validateResponse(x.method, x.path, x.status, x.responseBody)) violations.push(`response ${x.method} ${x.path} ${x.status}: ${e}`);
    },
  });
  const url = emu.urls.hetzner!;
  const toRe = (pattern: string) => new RegExp(`^${pattern.replace(/:[a-z_]+/g, '[^/]+')}$`);
  const h: Harness = {
    emu,
    url,
    exchanges,
    violations,
    provider: (config = {}) =>
      createProvider({
        credentials: { token: TOKEN },
        endpoint: url,
        timeouts: { pollIntervalMs: 2, actionCompleteMs: 20_000, instanceReadyMs: 20_000, ...config.timeouts },
        http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map(), ...config.http },
        ...(config.options ? { options: config.options } : {}),
        ...(config.credentials ? { credentials: config.credentials } : {}),
      }),
    requests: (method, pattern) => exchanges.filter((x) => x.method === method && toRe(pattern).test(x.path)),
    api: async (method, path, body, token = TOKEN) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    close: () => emu.close(),
  };
  t.after(() => h.close());
  return h;
}

/** Every request the driver sent and every response the emulator gave matched the spec. */
export function assertConformant(h: Harness): void {
  if (h.violations.length) throw new Error(`spec violations:\n${h.violations.slice(0, 20).join('\n')}`);
}

export const UBUNTU = { kind: 'ubuntu', version: '24.04' } as const;

/** A real ed25519 public key and its MD5 fingerprint as `ssh-keygen -E md5 -l` prints it. */
export const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILW/Zc8gpdctK2ZeRhMmi2y9krYlu8oWblXM9AKVtssa test@ferry';
export const PUBLIC_KEY_MD5 = '42:d8:6d:01:c5:39:0c:f8:8f:80:59:ff:10:eb:94:cd';
