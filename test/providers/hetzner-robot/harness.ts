/** The driver against a fresh emulated Robot webservice, every exchange recorded and checked against ./schemas. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startEmulator, type Exchange, type FaultSpec } from '../../../src/emulator/index.js';
import type { HetznerRobotProvider } from '../../../src/providers/hetzner-robot/index.js';
import { withDefaults } from '../../../src/providers/registry.js';
import { formApi, type RawApi } from '../../contract/targets.js';
import { basic, robotSchemaCheck, USER } from './contract-target.js';

export const PASSWORD = 'robot-test-pw-52c1';

export interface Harness {
  url: string;
  exchanges: Exchange[];
  provider: HetznerRobotProvider;
  raw: RawApi;
  assertConformant(only?: (x: Exchange) => boolean): void;
}

export async function harness(t: TestContext, o: { timeScale?: number; faults?: FaultSpec; password?: string } = {}): Promise<Harness> {
  const exchanges: Exchange[] = [];
  const timeScale = o.timeScale ?? 1000;
  const emu = await startEmulator({ providers: ['hetzner-robot'], timeScale, seed: 7, faults: o.faults, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls['hetzner-robot']!;
  const provider = (await withDefaults().create(
    'hetzner-robot',
    {
      credentials: { user: USER, password: o.password ?? PASSWORD },
      endpoint: url,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: 120_000, actionCompleteMs: 60_000, httpRequestMs: 5_000 },
      http: { timeScale, backoffMs: () => 0, budgets: new Map() },
    },
    {},
  )) as HetznerRobotProvider;
  const check = robotSchemaCheck();
  return {
    url,
    exchanges,
    provider,
    raw: formApi(url, basic(PASSWORD)),
    assertConformant(only = () => true) {
      assert.ok(exchanges.length > 0, 'no requests were made');
      const errors = exchanges.filter(only).filter((x) => !x.path.startsWith('/_emulator/')).flatMap(check);
      assert.deepEqual(errors.slice(0, 20), [], `${errors.length} exchanges do not match the documented shapes`);
    },
  };
}
