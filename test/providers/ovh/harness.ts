/** The OVH driver against a fresh emulated API, every exchange recorded for the spec check. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { EMULATOR_KEYS } from '../../../src/emulator/ovh/index.js';
import type { OvhProvider } from '../../../src/providers/ovh/index.js';
import { withDefaults } from '../../../src/providers/registry.js';
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
  const exchanges: Exchange[] = [];
  const timeScale = o.timeScale ?? 1000;
  const emu = await startEmulator({ providers: ['ovh'], timeScale, seed: 7, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls.ovh!;
  const provider = (await withDefaults().create(
    'ovh',
    {
      credentials: { ...KEYS },
      endpoint: url,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: 120_000, actionCompleteMs: 60_000, httpRequestMs: 5_000 },
      http: { timeScale, backoffMs: () => 0, budgets: new Map() },
    },
    {},
  )) as OvhProvider;
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
      assert.ok(exchanges.length > 0, 'no requests were made');
      const errors = exchanges.flatMap((x) => spec.check(x));
      assert.deepEqual(errors.slice(0, 20), [], `${errors.length} exchanges do not match the specs`);
    },
  };
}
