/** The driver against a fresh emulated Hivelocity API, every exchange recorded for the spec check. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startEmulator, type Exchange, type FaultSpec } from '../../../src/emulator/index.js';
import type { HivelocityProvider } from '../../../src/providers/hivelocity/index.js';
import { withDefaults } from '../../../src/providers/registry.js';
import { hivelocityRaw, SPEC, swaggerCheck } from './contract-target.js';

export const KEY = 'hv-test-key-0b7e41';

export interface Harness {
  url: string;
  exchanges: Exchange[];
  provider: HivelocityProvider;
  raw: ReturnType<typeof hivelocityRaw>;
  /** Every request and response so far (or those `only` keeps) matches Hivelocity's Swagger document (skips loudly without it). */
  assertConformant(only?: (x: Exchange) => boolean): void;
}

export async function harness(
  t: TestContext,
  o: { timeScale?: number; faults?: FaultSpec; period?: 'monthly' | 'hourly'; instanceReadyMs?: number } = {},
): Promise<Harness> {
  const exchanges: Exchange[] = [];
  const timeScale = o.timeScale ?? 1000;
  const emu = await startEmulator({ providers: ['hivelocity'], timeScale, seed: 5, faults: o.faults, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls.hivelocity!;
  const provider = (await withDefaults().create(
    'hivelocity',
    {
      credentials: { apiKey: KEY, ...(o.period ? { period: o.period } : {}) },
      endpoint: url,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: o.instanceReadyMs ?? 120_000, actionCompleteMs: 60_000, httpRequestMs: 5_000 },
      http: { timeScale, backoffMs: () => 0, budgets: new Map() },
    },
    {},
  )) as HivelocityProvider;
  return {
    url,
    exchanges,
    provider,
    raw: hivelocityRaw(url, KEY),
    assertConformant(only = () => true) {
      const spec = swaggerCheck(SPEC)();
      if ('missing' in spec) {
        console.warn(`\n*** HIVELOCITY SPEC CHECK SKIPPED: ${spec.missing} ***\n`);
        return;
      }
      assert.ok(exchanges.length > 0, 'no requests were made');
      const errors = exchanges.filter(only).flatMap((x) => spec.check(x));
      assert.deepEqual(errors.slice(0, 20), [], `${errors.length} exchanges do not match the spec`);
    },
  };
}
