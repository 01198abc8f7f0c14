/** The OVH driver against a fresh emulated API, every exchange recorded for the spec check. */
import type { TestContext } from 'node:test';
import type { Exchange } from '../../../src/emulator/index.js';
import { EMULATOR_KEYS } from '../../../src/emulator/ovh/index.js';
import type { OvhProvider } from '../../../src/providers/ovh/index.js';
import { assertExchangesMatch, emulatedDriver } from '../../support/emulated-driver.js';
import { ovhRaw, ovhSpecCheck } from './raw.js';

export const KEYS = { applicationKey: EMULATOR_KEYS.OVH_APPLICATION_KEY, applicationSecret: EMULATOR_KEYS.OVH_APPLICATION_SECRET, consumerKey: EMULATOR_KEYS.OVH_CONSUMER_KEY };

export interface Harness {
  url: string;
  exchanges: Exchange[];
  provider: OvhProvider;
  raw: ReturnType<typeof ovhRaw>;
  assertConformant(): void;
}

export async function harness(t: TestContext, o: { timeScale?: number } = {}): Promise<Harness> {
  const { url, exchanges, provider } = await emulatedDriver<OvhProvider>(t, { provider: 'ovh', seed: 7, credentials: { ...KEYS }, timeScale: o.timeScale });
  return {
    url,
    exchanges,
    provider,
    raw: ovhRaw(url, KEYS),
    assertConformant() {
      const spec = ovhSpecCheck();
      if ('missing' in spec) {
        console.warn(`\n*** OVH SPEC CHECK SKIPPED: ${spec.missing} ***\n`);
        return;
      }
      assertExchangesMatch(exchanges, (x) => spec.check(x), 'the specs');
    },
  };
}
