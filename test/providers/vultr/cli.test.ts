/**
 * The ferry CLI with Vultr on the emulator: `ferry offers --gpu` lists Vultr's GPU plans, deploy
 * by constraints picks across every provider (and lands on Vultr when it is the cheapest fit),
 * and an explicit bare-metal deploy goes to /bare-metals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Offer } from '../../../src/core/index.js';
import { parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from '../../cli/helpers.js';
import { KEY } from './support.js';

describe('ferry with vultr on the emulator', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['digitalocean', 'hetzner', 'vultr'] });
    env = { ...box.env, ...t.env, FERRY_VULTR_ENDPOINT: t.emu.urls.vultr!, VULTR_API_KEY: KEY };
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('offers --gpu lists Vultr\'s GPU plans, live, with model, count and memory', async () => {
    const r = await runCli(['offers', '--gpu', '--provider', 'vultr', '--json', '--limit', '500'], env);
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<{ offers: Offer[]; sources: { provider: string; source: string }[] }>(r.stdout);
    assert.deepEqual(data.sources.map((s) => `${s.provider}:${s.source}`), ['vultr:live']);
    const plans = new Set(data.offers.map((o) => o.plan));
    assert.deepEqual([...plans].sort(), ['vcg-a100-1c-6g-4vram', 'vcg-a16-2c-8g-2vram', 'vcg-l40s-16c-180g-48vram']);
    assert.ok(data.offers.every((o) => o.provider === 'vultr' && o.gpuCount >= 1 && o.gpu));
  });

  it('deploy by constraints compares every provider and places on the cheapest fit', async () => {
    const probe = await runCli(['offers', '--min-cpu', '1', '--min-memory', '1', '--json', '--limit', '500'], env);
    assert.equal(probe.code, 0, probe.stderr);
    const offers = parseJson<{ offers: Offer[]; sources: { provider: string; source: string }[] }>(probe.stdout);
    // Providers without credentials show bundled prices; deploy places only on configured ones.
    const live = offers.sources.filter((s) => s.source === 'live' || s.source === 'cache').map((s) => s.provider);
    assert.deepEqual(live.sort(), ['digitalocean', 'hetzner', 'vultr']);
    const cheapest = offers.offers.find((o) => live.includes(o.provider) && (o.arch ?? 'x86') === 'x86')!;
    const r = await runCli(['deploy', '--min-cpu', '1', '--min-memory', '1', '--name', 'placed-vultr', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<{ provider: string; size: string; status: string }>(r.stdout);
    assert.equal(`${out.provider} ${out.size}`, `${cheapest.provider} ${cheapest.plan}`);
  });

  it('an explicit bare-metal deploy goes to /bare-metals and comes up', async () => {
    const r = await runCli(['deploy', '--provider', 'vultr', '--size', 'vbm-4c-32gb', '--region', 'ams', '--name', 'metal-cli', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<{ provider: string; size: string; id: string }>(r.stdout);
    assert.equal(out.size, 'vbm-4c-32gb');
    assert.equal(t.exchanges.filter((x) => x.method === 'POST' && x.path === '/v2/bare-metals').length, 1);
    const ls = await runCli(['ls', '--provider', 'vultr', '--json'], env);
    assert.ok(parseJson<{ id: string }[]>(ls.stdout).some((x) => x.id === out.id));
  });
});
