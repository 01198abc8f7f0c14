/** Test harness: the Cherry Servers emulator, every exchange checked against ./schemas, and a driver pointed at it. */
import type { TestContext } from 'node:test';
import type { EmulatorOptions } from '../../../src/emulator/index.js';
import { createProvider, type CherryProvider } from '../../../src/providers/cherry/index.js';
import { startTokenApi, type TokenHarness } from '../../support/token-harness.js';
import { cherrySchemaCheck } from './contract-target.js';

export { TIME_SCALE } from '../../support/token-harness.js';
export const TOKEN = 'test-cherry-key-5f1c';

export type Harness = TokenHarness<CherryProvider>;

export function startCherry(t: TestContext, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<Harness> {
  return startTokenApi(t, { provider: 'cherry', token: TOKEN, seed: 5, createProvider, check: cherrySchemaCheck() }, o);
}

export const ORDER = { name: 'metal-1', region: 'eu_nord_1', size: 'e3_1240v3', image: { kind: 'ubuntu', version: '24.04' } as const };
export const CREATE_PATH = /^\/v1\/projects\/\d+\/servers$/;
