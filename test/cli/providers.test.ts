import { withDefaults } from '../../src/providers/registry.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseJson, runCli, sandbox, type Sandbox } from './helpers.js';

describe('ferry providers', () => {
  let box: Sandbox;
  before(() => (box = sandbox()));
  after(() => box.cleanup());

  it('lists every registered provider as a table', async () => {
    const r = await runCli(['providers'], box.env);
    assert.equal(r.code, 0, r.stderr);
    for (const name of withDefaults().registeredProviders()) assert.match(r.stdout, new RegExp(`^${name}\\s`, 'm'));
    assert.match(r.stdout, /HCLOUD_TOKEN/);
    assert.match(r.stdout, /^equinix-metal\s+bare-metal\s+retired 2026-06-30/m);
    assert.match(r.stderr, /equinix-metal: Equinix ended Metal on 2026-06-30; for bare metal use/);
  });

  it('prints JSON with implemented and configured flags', async () => {
    const r = await runCli(['providers', '--json'], { ...box.env, HCLOUD_TOKEN: 'secret-token-value' });
    assert.equal(r.code, 0, r.stderr);
    const rows = parseJson<{ name: string; implemented: boolean; configured: boolean; credentials: { env: string; set: boolean; source: string | null }[] }[]>(r.stdout);
    const byName = new Map(rows.map((x) => [x.name, x]));
    assert.equal(byName.get('hetzner')?.implemented, true);
    assert.equal(byName.get('hetzner')?.configured, true);
    assert.equal(byName.get('hetzner')?.credentials[0]?.source, 'env');
    assert.equal(byName.get('digitalocean')?.configured, false);
    for (const d of withDefaults().descriptors().filter((x) => !x.load)) assert.equal(byName.get(d.name)?.implemented, false, `${d.name} is planned`);
    assert.equal(byName.get('equinix-metal')?.implemented, false, 'a retired provider');
    assert.ok(!r.stdout.includes('secret-token-value'), 'a token must never be printed');
  });

  it('shows the capability matrix with reasons', async () => {
    const r = await runCli(['providers', '--capabilities', '--json'], box.env);
    assert.equal(r.code, 0, r.stderr);
    const m = parseJson<{ features: string[]; providers: Record<string, Record<string, { supported: boolean; reason?: string }>>; planned: string[] }>(r.stdout);
    assert.ok(m.features.includes('snapshots'));
    assert.deepEqual(Object.keys(m.providers).sort(), withDefaults().implementedProviders().sort());
    for (const [provider, caps] of Object.entries(m.providers)) {
      assert.equal(caps.instances?.supported, true, provider);
      for (const [feature, cap] of Object.entries(caps)) if (!cap.supported) assert.ok(cap.reason && cap.reason.length > 5, `${provider} ${feature} needs a reason`);
    }
    assert.deepEqual([...m.planned].sort(), withDefaults().descriptors().filter((x) => !x.load && !x.retired).map((x) => x.name).sort());
    const table = await runCli(['providers', '--capabilities'], box.env);
    const header = ['FEATURE', ...withDefaults().implementedProviders().sort().map((n) => n.toUpperCase())].join('\\s+');
    assert.match(table.stdout, new RegExp(`^${header}\\s*$`, 'm'));
    assert.match(table.stdout, /why not:/);
  });

  it('answers a usage mistake with exit 2', async () => {
    const unknownCommand = await runCli(['nonsense'], box.env);
    assert.equal(unknownCommand.code, 2);
    const badNumber = await runCli(['offers', '--min-cpu', 'lots', '--offline'], box.env);
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /not a number/);
  });
});
