/**
 * Test harness for a bearer-token bare-metal API (Cherry Servers, Latitude.sh): the emulator with
 * every exchange checked against the provider's written-down schemas, a driver pointed at it with
 * tiny poll intervals, and raw calls to the emulated API.
 */
import type { TestContext } from 'node:test';
import type { ProviderConfig } from '../../src/core/index.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from '../../src/emulator/index.js';

export const TIME_SCALE = 1000;

export interface TokenHarness<P> {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  violations: string[];
  provider(config?: Partial<ProviderConfig>): P;
  requests(method: string, path: RegExp): Exchange[];
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; headers: Headers; body: any }>;
}

export interface TokenTarget<P> {
  provider: string;
  token: string;
  seed: number;
  createProvider: (config: ProviderConfig) => P;
  /** The schema check of one exchange: its violations. */
  check: (x: Exchange) => string[];
}

export async function startTokenApi<P>(t: TestContext, target: TokenTarget<P>, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<TokenHarness<P>> {
  const exchanges: Exchange[] = [];
  const violations: string[] = [];
  const emu = await startEmulator({
    timeScale: TIME_SCALE,
    seed: target.seed,
    ...o,
    providers: [target.provider],
    observe: (x) => {
      exchanges.push(x);
      violations.push(...target.check(x));
    },
  });
  t.after(() => emu.close());
  const url = emu.urls[target.provider]!;
  return {
    emu,
    url,
    exchanges,
    violations,
    provider: (config = {}) =>
      target.createProvider({
        credentials: { token: target.token, ...config.credentials },
        endpoint: url,
        timeouts: { pollIntervalMs: 2, actionCompleteMs: 20_000, instanceReadyMs: 30_000, ...config.timeouts },
        http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map(), ...config.http },
        ...(config.options ? { options: config.options } : {}),
      }),
    requests: (method, path) => exchanges.filter((x) => x.method === method && path.test(x.path)),
    api: async (method, path, body, token = target.token) => {
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
