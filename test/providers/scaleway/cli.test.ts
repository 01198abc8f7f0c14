/** The CLI on the Scaleway emulator: placement by constraints, GPU offers, an Elastic Metal order. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator, type Exchange } from '../../../src/emulator/index.js';
import { parseJson, runCli, sandbox, type Sandbox } from '../../cli/helpers.js';
import { PROJECT_ID, SECRET } from './support.js';

describe('ferry on the Scaleway emulator', () => {
  let box: Sandbox;
  let emu: Emulator;
  let env: NodeJS.ProcessEnv;
  const exchanges: Exchange[] = [];
  before(async () => {
    box = sandbox();
    emu = await startEmulator({ providers: ['scaleway'], timeScale: 1000, observe: (x) => exchanges.push(x) });
    env = {
      ...box.env,
      FERRY_TIME_SCALE: '1000',
      FERRY_POLL_INTERVAL_MS: '5',
      FERRY_SCALEWAY_ENDPOINT: emu.urls.scaleway,
      // The seed's names, read as aliases of SCW_SECRET_KEY and SCW_DEFAULT_PROJECT_ID.
      SCALEWAY_SECRET_KEY: SECRET,
      SCALEWAY_PROJECT_ID: PROJECT_ID,
    };
  });
  after(async () => {
    await emu.close();
    box.cleanup();
  });

  it('ferry offers --gpu H100 lists the H100 Instance types with model, count and memory', async () => {
    const r = await runCli(['offers', '--provider', 'scaleway', '--gpu', 'H100', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseJson<{ offers: { plan: string; region: string; gpu: string; gpuCount: number; source: string }[] }>(r.stdout).offers;
    assert.ok(rows.length > 0, r.stdout + r.stderr);
    assert.deepEqual([...new Set(rows.map((o) => o.plan))].sort(), ['H100-1-80G', 'H100-2-80G']);
    assert.ok(rows.every((o) => o.region === 'fr-par-2' && /H100/i.test(o.gpu)), JSON.stringify(rows));
    assert.deepEqual(rows.map((o) => o.gpuCount).sort(), [1, 2]);
    assert.ok(rows.every((o) => o.source === 'live'), 'read from the emulated /products/servers');
  });

  it('ferry deploy --provider scaleway --min-cpu 2 --min-memory 4 places the cheapest fit and waits until it is ready', async () => {
    const r = await runCli(['deploy', '--provider', 'scaleway', '--min-cpu', '2', '--min-memory', '4', '--name', 'web-1', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const inst = parseJson<{ id: string; size: string; region: string; status: string; ip: string }>(r.stdout);
    assert.equal(inst.size, 'DEV1-M', 'the cheapest x86 type with 2 vCPUs and 4 GB');
    assert.equal(inst.status, 'active');
    assert.match(inst.id, /^[a-z]{2}-[a-z]{3}-\d\/[0-9a-f-]{36}$/);
    assert.ok(inst.ip);
    const d = await runCli(['destroy', inst.id, '--provider', 'scaleway', '--yes'], env);
    assert.equal(d.code, 0, d.stderr);
  });
});
