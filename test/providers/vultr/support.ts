/**
 * Test harness: the Vultr emulator with every exchange recorded and checked against Vultr's
 * OpenAPI description (with the listed errata), and a driver pointed at it with tiny poll intervals.
 */
import type { TestContext } from 'node:test';
import type { ProviderConfig } from '../../../src/core/index.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from '../../../src/emulator/index.js';
import { createProvider, type VultrProvider } from '../../../src/providers/vultr/index.js';
import { loadOpenApi } from '../../support/openapi.js';
import { SPEC_ERRATA, VULTR_SPEC } from './contract-target.js';

export const TIME_SCALE = 1000;
export const KEY = 'VULTRTESTKEY5F1C0000000000000000000000';

export interface Harness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  violations: string[];
  /** Whether the official description was found (conformance is checked only then). */
  specPresent: boolean;
  provider(config?: Partial<ProviderConfig>): VultrProvider;
  requests(method: string, pattern: string): Exchange[];
  api(method: string, path: string, body?: unknown, key?: string | null): Promise<{ status: number; headers: Headers; body: any }>;
}

/** Starts an emulator for one test; a missing spec skips only the conformance checks, loudly. */
export async function startVultr(t: TestContext, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<Harness> {
  const spec = loadOpenApi(VULTR_SPEC);
  const exchanges: Exchange[] = [];
  const violations: string[] = [];
  const emu = await startEmulator({
    timeScale: TIME_SCALE,
    seed: 7,
    ...o,
    providers: ['vultr'],
    observe: (x) => {
      exchanges.push(x);
      if ('missing' in spec) return;
      const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
      const found = [
        ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)).map((e) => `request ${where}: ${e}`),
        ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`),
      ];
      violations.push(...found.filter((p) => !SPEC_ERRATA.some((e) => e.re.test(p))));
    },
  });
  t.after(() => emu.close());
  const url = emu.urls.vultr!;
  const toRe = (pattern: string) => new RegExp(`^${pattern.replace(/:[a-z_]+/g, '[^/]+')}$`);
  return {
    emu,
    url,
    exchanges,
    violations,
    specPresent: !('missing' in spec),
    provider: (config = {}) =>
      createProvider({
        credentials: { apiKey: KEY, ...config.credentials },
        endpoint: url,
        timeouts: { pollIntervalMs: 2, actionCompleteMs: 30_000, instanceReadyMs: 30_000, ...config.timeouts },
        http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map(), ...config.http },
        ...(config.options ? { options: config.options } : {}),
      }),
    requests: (method, pattern) => exchanges.filter((x) => x.method === method && toRe(pattern).test(x.path)),
    api: async (method, path, body, key = KEY) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

export function assertConformant(h: Harness): void {
  if (h.violations.length) throw new Error(`spec violations:\n${h.violations.slice(0, 20).join('\n')}`);
}

export const UBUNTU = { kind: 'ubuntu', version: '24.04' } as const;
export const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILW/Zc8gpdctK2ZeRhMmi2y9krYlu8oWblXM9AKVtssa test@ferry';
