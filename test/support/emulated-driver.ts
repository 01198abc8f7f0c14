/**
 * A bare-metal driver (Hivelocity, Hetzner Robot, OVH) against a fresh emulator of its API, built
 * through the registry with tiny poll intervals, every exchange recorded for the conformance check.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startEmulator, type Exchange, type FaultSpec } from '../../src/emulator/index.js';
import { withDefaults } from '../../src/providers/registry.js';

export interface EmulatedDriverOptions {
  provider: string;
  seed: number;
  credentials: Record<string, string>;
  timeScale?: number;
  faults?: FaultSpec;
  instanceReadyMs?: number;
}

export async function emulatedDriver<P>(t: TestContext, o: EmulatedDriverOptions): Promise<{ url: string; exchanges: Exchange[]; provider: P }> {
  const exchanges: Exchange[] = [];
  const timeScale = o.timeScale ?? 1000;
  const emu = await startEmulator({ providers: [o.provider], timeScale, seed: o.seed, faults: o.faults, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls[o.provider]!;
  const provider = (await withDefaults().create(
    o.provider,
    {
      credentials: o.credentials,
      endpoint: url,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: o.instanceReadyMs ?? 120_000, actionCompleteMs: 60_000, httpRequestMs: 5_000 },
      http: { timeScale, backoffMs: () => 0, budgets: new Map() },
    },
    {},
  )) as P;
  return { url, exchanges, provider };
}

/** Every given exchange passes `check`; the first 20 violations are shown. */
export function assertExchangesMatch(exchanges: readonly Exchange[], check: (x: Exchange) => string[], what: string): void {
  assert.ok(exchanges.length > 0, 'no requests were made');
  const errors = exchanges.flatMap((x) => check(x));
  assert.deepEqual(errors.slice(0, 20), [], `${errors.length} exchanges do not match ${what}`);
}
