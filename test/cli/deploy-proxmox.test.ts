import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequests, parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

/**
 * Self-hosted capacity takes part in placement at the price the user declares (zero by default):
 * `deploy --provider proxmox` needs no --size, the VM satisfies --min-cpu/--min-memory.
 */
describe('deploy on Proxmox without --size', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['proxmox', 'hetzner'] });
    env = { ...box.env, ...t.env };
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('places a VM that satisfies --min-cpu/--min-memory at the declared price of zero, with a note', async () => {
    const r = await runCli(['deploy', '--provider', 'proxmox', '--min-cpu', '2', '--min-memory', '4', '--budget', '0.05', '--no-wait', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /proxmox: no price list; at the declared price of 0 USD per vCPU-hour/);
    assert.match(r.stderr, /prices: proxmox: declared price \(zero unless your price file says\)/, 'no price file was given, so none is named');
    const out = parseJson<{ provider: string; size: string; price: { priceHourly: number } }>(r.stdout);
    assert.equal(out.provider, 'proxmox');
    assert.equal(out.price.priceHourly, 0);
    const [cpu, mem] = /^(\d+)c-(\d+)g$/.exec(out.size)!.slice(1).map(Number);
    assert.ok(cpu! >= 2 && mem! >= 4, out.size);
  });

  it('a declared price takes part in the budget: over it, nothing is created and the user is told', async () => {
    const file = join(box.dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ declared: { proxmox: { priceHourly: 0.03, currency: 'USD' } } }));
    const before = createRequests(t.exchanges).length;
    const r = await runCli(['deploy', '--provider', 'proxmox', '--min-cpu', '2', '--budget', '0.05', '--no-wait'], { ...env, FERRY_PRICES: file });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /declared price of 0.03 USD/);
    assert.equal(createRequests(t.exchanges).length, before);
    const cheap = await runCli(['deploy', '--min-cpu', '2', '--min-memory', '4', '--budget', '0.05', '--no-wait', '--json'], { ...env, FERRY_PRICES: file });
    assert.equal(cheap.code, 0, cheap.stderr);
  });
});
