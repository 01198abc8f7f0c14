/**
 * The provider kit's promise, kept by a test: a provider that is nothing but a driver, an emulated
 * API and a descriptor passes the same contract suite as the shipped drivers, and every derived
 * place (capabilities, settings, the emulator's environment, the registry's refusals) picks it up.
 * (Shipping a provider is the same two folders plus one line in src/providers/drivers.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emulatorEnv } from '../../src/cli/emulator-env.js';
import { startEmulator } from '../../src/emulator/index.js';
import { withDefaults } from '../../src/providers/registry.js';
import { contractSuite } from '../contract/suite.js';
import { acmeDescriptor } from './acme/driver.js';
import { createApi } from './acme/emulator.js';
import { target } from './acme/contract-target.js';

contractSuite(target);

test('acme: registered with one call, everything else derived from its descriptor', async (t) => {
  const registry = withDefaults().register(acmeDescriptor);
  assert.ok(registry.implementedProviders().includes('acme'));
  assert.throws(() => registry.register(acmeDescriptor), /registered twice/);
  const caps = (await acmeDescriptor.load!()).capabilities;
  assert.equal(caps.validation.supported, true);
  assert.equal(caps.snapshots.supported, false);
  await assert.rejects(registry.create('acme', { credentials: {} }, {}), /ACME_TOKEN/);
  const emu = await startEmulator({ providers: ['acme'], apis: { acme: createApi } });
  t.after(() => emu.close());
  const env = emulatorEnv(emu, registry);
  assert.deepEqual(env, { FERRY_ACME_ENDPOINT: emu.urls.acme, ACME_TOKEN: 'acme-token' });
  const p = await registry.create('acme', { credentials: {} }, env);
  await p.validateCredentials();
  assert.deepEqual((await p.listRegions()).map((r) => r.id), ['r1', 'r2']);
});
