/** The driver against a fresh emulated Hivelocity API, every exchange recorded for the spec check. */
import type { TestContext } from 'node:test';
import type { Exchange, FaultSpec } from '../../../src/emulator/index.js';
import type { HivelocityProvider } from '../../../src/providers/hivelocity/index.js';
import { assertExchangesMatch, emulatedDriver } from '../../support/emulated-driver.js';
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
  const credentials = { apiKey: KEY, ...(o.period ? { period: o.period } : {}) };
  const { url, exchanges, provider } = await emulatedDriver<HivelocityProvider>(t, { provider: 'hivelocity', seed: 5, credentials, timeScale: o.timeScale, faults: o.faults, instanceReadyMs: o.instanceReadyMs });
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
      assertExchangesMatch(exchanges.filter(only), (x) => spec.check(x), 'the spec');
    },
  };
}
