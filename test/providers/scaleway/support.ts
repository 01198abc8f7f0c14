/**
 * Test harness: the Scaleway emulator with every exchange recorded and checked against the
 * Instance v1, VPC v2 and Elastic Metal v1 descriptions (conformance is asserted only when the
 * descriptions are on this machine; behaviour is checked either way), and a driver pointed at it.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { ProviderConfig } from '../../../src/core/index.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from '../../../src/emulator/index.js';
import { createProvider, type ScalewayProvider } from '../../../src/providers/scaleway/index.js';
import { PROJECT_ID, scalewaySpec, ZONE } from './contract-target.js';

export { PROJECT_ID, ZONE };
export const TIME_SCALE = 1000;
export const SECRET = '2b7e1516-28ae-4d2a-a6ab-f7158809cf4f';
export const ACCESS_KEY = 'SCWXXXXXXXXXXXXXXXXX';
export const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ5dGVzLWZvci1hLXRlc3Qta2V5LW9ubHktMTIzNDU2 test@ferry';

export interface Harness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  violations: string[];
  provider(config?: Partial<ProviderConfig>, extra?: Record<string, string>): ScalewayProvider;
  /** Exchanges of one method whose path matches the pattern (":x" is one segment). */
  requests(method: string, pattern: string): Exchange[];
  api(method: string, path: string, body?: unknown, secret?: string): Promise<{ status: number; headers: Headers; body: any }>;
  /** Every exchange so far matches the descriptions (when they are here). */
  assertConformant(): void;
}

export async function startScaleway(t: TestContext, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<Harness> {
  const spec = scalewaySpec();
  if ('missing' in spec) t.diagnostic(`*** ${spec.missing} ***`);
  const exchanges: Exchange[] = [];
  const violations: string[] = [];
  const emu = await startEmulator({
    timeScale: TIME_SCALE,
    seed: 7,
    ...o,
    providers: ['scaleway'],
    observe: (x) => {
      exchanges.push(x);
      if (!('missing' in spec)) violations.push(...spec.check(x));
    },
  });
  t.after(() => emu.close());
  const url = emu.urls.scaleway!;
  const toRe = (pattern: string) => new RegExp(`^${pattern.replace(/:[a-z_]+/g, '[^/]+')}$`);
  return {
    emu,
    url,
    exchanges,
    violations,
    provider: (config = {}, extra = {}) =>
      createProvider({
        credentials: { secretKey: SECRET, projectId: PROJECT_ID, zone: ZONE, ...extra },
        endpoint: url,
        timeouts: { pollIntervalMs: 2, instanceReadyMs: 30_000, actionCompleteMs: 30_000, httpRequestMs: 5_000 },
        http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map() },
        ...config,
      }),
    requests: (method, pattern) => exchanges.filter((x) => x.method === method && toRe(pattern).test(x.path)),
    async api(method, path, body, secret = SECRET) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'X-Auth-Token': secret, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    assertConformant() {
      assert.ok(exchanges.length > 0, 'no requests were made');
      assert.deepEqual(violations.slice(0, 10), [], `${violations.length} spec violations`);
    },
  };
}

/** Waits on a condition (the emulated clock runs fast), never on wall time alone. */
export async function until<T>(check: () => Promise<T | undefined | false>, what: string, tries = 3_000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} did not happen`);
}
