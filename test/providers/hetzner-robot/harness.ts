/** The driver against a fresh emulated Robot webservice, every exchange recorded and checked against ./schemas. */
import type { TestContext } from 'node:test';
import type { Exchange, FaultSpec } from '../../../src/emulator/index.js';
import type { HetznerRobotProvider } from '../../../src/providers/hetzner-robot/index.js';
import { formApi, type RawApi } from '../../contract/targets.js';
import { assertExchangesMatch, emulatedDriver } from '../../support/emulated-driver.js';
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
  const credentials = { user: USER, password: o.password ?? PASSWORD };
  const { url, exchanges, provider } = await emulatedDriver<HetznerRobotProvider>(t, { provider: 'hetzner-robot', seed: 7, credentials, timeScale: o.timeScale, faults: o.faults });
  const check = robotSchemaCheck();
  return {
    url,
    exchanges,
    provider,
    raw: formApi(url, basic(PASSWORD)),
    assertConformant(only = () => true) {
      assertExchangesMatch(exchanges.filter(only).filter((x) => !x.path.startsWith('/_emulator/')), check, 'the documented shapes');
    },
  };
}
