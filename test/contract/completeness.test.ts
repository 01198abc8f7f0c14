/**
 * Nothing about a provider can silently go missing: every implemented driver in the registry has an
 * emulator, a contract row and its test file, prices (bundled) or a declared reason for none, a
 * capability matrix equal to what the driver object reports, and its variables in the README.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FEATURES, ProviderError, endpointEnvOf, envNames } from '../../src/core/index.js';
import { emulatedProviders } from '../../src/emulator/index.js';
import { withDefaults } from '../../src/providers/registry.js';
import { contractTarget, implementedProviders } from './all-targets.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

test('the registry refuses a duplicate name and lets a driver shadow its planned entry', () => {
  const r = withDefaults();
  const d = r.descriptor(implementedProviders()[0]!);
  assert.throws(() => r.register(d), /registered twice/);
  const names = r.registeredProviders();
  assert.equal(new Set(names).size, names.length, 'every name once');
  for (const name of implementedProviders()) assert.ok(r.descriptor(name).load, `${name} is its driver, not a planned entry`);
});

test('a road-map entry is listed, refused as not implemented naming the drivers there are, and gives way to its driver', async () => {
  const r = withDefaults();
  const driver = r.descriptor(implementedProviders()[0]!);
  const entry = { name: 'acme-cloud', title: 'Acme Cloud', kind: 'cloud' as const, credentials: [], defaultEndpoint: 'https://api.acme.test', apiReference: 'Acme API v1' };
  r.registerPlanned(entry).registerPlanned({ ...entry, name: driver.name });
  assert.ok(r.registeredProviders().includes('acme-cloud'));
  assert.ok(!r.implementedProviders().includes('acme-cloud'));
  await assert.rejects(r.create('acme-cloud', { credentials: {} }), (e: unknown) => ProviderError.is(e, 'not_implemented') && e.message.includes(driver.name));
  assert.equal(r.descriptor(driver.name), driver, 'a planned entry never replaces a driver');
});

test('retired providers are listed with their date and refused with where to go', async () => {
  const r = withDefaults();
  const retired = r.descriptors().filter((d) => d.retired);
  assert.ok(retired.some((d) => d.name === 'equinix-metal' && d.retired!.date === '2026-06-30'));
  for (const d of retired) {
    assert.ok(!r.implementedProviders().includes(d.name));
    await assert.rejects(r.create(d.name, { credentials: {} }), (e: Error) => e.name === 'UserError' && e.message.includes(d.retired!.date));
  }
});

for (const name of implementedProviders()) {
  test(`${name}: emulator, contract row and test, prices, capabilities and README entries are all there`, async () => {
    const d = withDefaults().descriptor(name);
    assert.ok(emulatedProviders().includes(name), `src/emulator/${name}/index.ts exporting createApi`);
    const target = await contractTarget(name);
    assert.equal(target.provider, name);
    assert.ok(existsSync(join(REPO, 'dist/test/contract', `${name}.test.js`)), `test/contract/${name}.test.ts runs the contract suite`);

    assert.ok(d.apiReference.trim(), 'the descriptor names the document the driver follows');
    assert.ok(d.credentials.some((f) => f.secret), 'at least one secret setting');
    const mod = await d.load!();
    assert.deepEqual(Object.keys(mod.capabilities).sort(), [...FEATURES].sort(), 'every feature declared');

    assert.ok(d.prices, `${name}: the descriptor declares prices: { bundled } or { none: reason }`);
    if ('none' in d.prices!) {
      assert.ok(d.prices.none.trim(), 'a reason for having no prices');
    } else {
      const file = (await d.prices!.bundled()) as { default?: { snapshotDate?: string; plans?: unknown[] } };
      const data = file.default ?? (file as { snapshotDate?: string; plans?: unknown[] });
      assert.match(String(data.snapshotDate), /^\d{4}-\d{2}-\d{2}$/, 'bundled prices are dated');
      assert.ok(Array.isArray(data.plans) && data.plans.length > 0, 'bundled prices have plans');
    }

    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const f of d.credentials.filter((x) => x.required || x.secret)) {
      assert.ok(envNames(f).some((e) => readme.includes(e)), `README names ${f.env}`);
    }
    assert.ok(readme.includes(endpointEnvOf(d)) || readme.includes('FERRY_<PROVIDER>_ENDPOINT'), 'README explains the endpoint variable');
  });
}

test('the README provider table is the registry\'s (npm run readme)', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['scripts/readme-providers.mjs', '--check'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
