/**
 * The CLI with Linode on the emulator: `ferry offers --gpu` lists Linode's GPU plans from the
 * live API; `ferry deploy` by constraints places on Linode and waits until the Linode runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Offer } from '../../../src/core/index.js';
import type { InstanceRow } from '../../../src/cli/instances.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { parseJson, runCli, sandbox, type Sandbox } from '../../cli/helpers.js';

describe('ferry with linode', () => {
  let box: Sandbox;
  let emu: Emulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    emu = await startEmulator({ providers: ['linode'], timeScale: 1000 });
    env = { ...box.env, FERRY_TIME_SCALE: '1000', FERRY_POLL_INTERVAL_MS: '5', FERRY_LINODE_ENDPOINT: emu.urls.linode!, LINODE_TOKEN: 'cli-token' };
  });
  after(async () => {
    await emu.close();
    box.cleanup();
  });

  it('offers --gpu lists the RTX 6000 and RTX 4000 Ada plans, live', async () => {
    const r = await runCli(['offers', '--gpu', '--provider', 'linode', '--json', '--limit', '500'], env);
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<{ offers: Offer[]; sources: { provider: string; source: string }[] }>(r.stdout);
    assert.deepEqual(data.sources.map((s) => `${s.provider}:${s.source}`), ['linode:live']);
    const models = new Set(data.offers.map((o) => o.gpu));
    assert.ok(models.has('RTX 6000') && models.has('RTX 4000 Ada'), [...models].join(', '));
    assert.ok(data.offers.every((o) => o.provider === 'linode' && o.gpuCount > 0));
  });

  it('deploys by constraints on Linode and waits until it runs', async () => {
    const r = await runCli(['deploy', '--provider', 'linode', '--min-cpu', '2', '--min-memory', '4', '--name', 'placed-1', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const inst = parseJson<InstanceRow>(r.stdout);
    assert.equal(inst.status, 'active');
    assert.ok(inst.ip);
    const destroyed = await runCli(['destroy', inst.id, '--provider', 'linode', '--yes'], env);
    assert.equal(destroyed.code, 0, destroyed.stderr);
  });
});
