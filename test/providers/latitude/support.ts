/**
 * Test harness: the Latitude.sh emulator with every exchange checked against the JSON Schemas in
 * ./schemas, and a driver pointed at it with tiny poll intervals.
 */
import type { TestContext } from 'node:test';
import type { EmulatorOptions } from '../../../src/emulator/index.js';
import { createProvider, type LatitudeProvider } from '../../../src/providers/latitude/index.js';
import { startTokenApi, type TokenHarness } from '../../support/token-harness.js';
import { latitudeSchemaCheck } from './contract-target.js';

export { TIME_SCALE } from '../../support/token-harness.js';
export const TOKEN = 'test-latitude-key-5f1c';

export type Harness = TokenHarness<LatitudeProvider>;

export function startLatitude(t: TestContext, o: Omit<EmulatorOptions, 'providers' | 'observe'> = {}): Promise<Harness> {
  return startTokenApi(t, { provider: 'latitude', token: TOKEN, seed: 3, createProvider, check: latitudeSchemaCheck() }, o);
}

export const ORDER = { name: 'metal-1', region: 'SAO', size: 'c2-small-x86', image: { kind: 'ubuntu', version: '24.04' } as const };
