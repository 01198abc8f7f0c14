/** Test harness: the Cherry Servers emulator, every exchange checked against ./schemas, and a driver pointed at it. */
import type { TestContext } from 'node:test';
import { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from '../../../src/emulator/index.js';
import { createProvider, type CherryProvider } from '../../../src/providers/cherry/index.js';
import type { ProviderConfig } from '../../../src/core/index.js';
import { cherrySchemaCheck } from './contract-target.js';

export const TIME_SCALE = 1000;
export const TOKEN = 'test-cherry-key-5f1c';

export interface Harness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  violations: string[];
  provider(config?: Partial<ProviderConfig>): CherryProvider;
  requests(method: string, path: RegExp): Exchange[];
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; headers: Headers; body: any }>;
}

export async function startCherry(t: TestContext, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<Harness> {
  const check = cherrySchemaCheck();
  const exchanges: Exchange[] = [];
  const violations: string[] = [];
  const emu = await startEmulator({
    timeScale: TIME_SCALE,
    seed: 5,
    ...o,
    providers: ['cherry'],
    observe: (x) => {
      exchanges.push(x);
      violations.push(...check(x));
    },
  });
  t.after(() => emu.close());
  const url = emu.urls.cherry!;
  return {
    emu,
    url,
    exchanges,
    violations,
    provider: (config = {}) =>
      createProvider({
        credentials: { token: TOKEN, ...config.credentials },
        endpoint: url,
        timeouts: { pollIntervalMs: 2, actionCompleteMs: 20_000, instanceReadyMs: 30_000, ...config.timeouts },
        http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map(), ...config.http },
        ...(config.options ? { options: config.options } : {}),
      }),
    requests: (method, path) => exchanges.filter((x) => x.method === method && path.test(x.path)),
    api: async (method, path, body, token = TOKEN) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
  };
}

export const ORDER = { name: 'metal-1', region: 'eu_nord_1', size: 'e3_1240v3', image: { kind: 'ubuntu', version: '24.04' } as const };
export const CREATE_PATH = /^\/v1\/projects\/\d+\/servers$/;
