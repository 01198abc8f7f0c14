/** The ferry binary against the emulated AWS: GPU offers with live prices, and a deploy placed by constraints. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { credentials } from '../../../src/emulator/aws/index.js';
import { parseJson, runCli, sandbox, type Sandbox } from '../../cli/helpers.js';

describe('ferry with --provider aws on the emulator', () => {
  let box: Sandbox;
  let emu: Emulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    emu = await startEmulator({ providers: ['aws'], timeScale: 1000, seed: 3 });
    env = {
      ...box.env,
      ...credentials,
      FERRY_AWS_ENDPOINT: emu.urls.aws,
      FERRY_TIME_SCALE: '1000',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });
  after(async () => {
    await emu.close();
    box.cleanup();
  });

  it('ferry offers --provider aws --gpu lists GPU types with live prices', async () => {
    const r = await runCli(['offers', '--provider', 'aws', '--gpu', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<any>(r.stdout);
    const offers: any[] = Array.isArray(out) ? out : out.offers;
    assert.ok(offers.length >= 5, r.stdout);
    assert.ok(offers.every((o) => o.provider === 'aws' && o.gpuCount > 0 && o.priceHourly > 0 && o.source === 'live'));
    assert.deepEqual([...new Set(offers.map((o) => o.plan))].sort(), ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge', 'p4d.24xlarge', 'p5.48xlarge']);
  });

  it('ferry deploy --provider aws --min-cpu 2 --min-memory 4 places, creates and waits', async () => {
    const r = await runCli(['deploy', '--provider', 'aws', '--min-cpu', '2', '--min-memory', '4', '--name', 'aws-web-1', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const inst = parseJson<any>(r.stdout);
    assert.equal(inst.provider, 'aws');
    assert.equal(inst.status, 'active');
    assert.match(inst.ip, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(inst.id, /^i-[0-9a-f]{17}$/);
    const ls = await runCli(['ls', '--provider', 'aws', '--json'], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(parseJson<any[]>(ls.stdout).map((i) => i.name), ['aws-web-1']);
  });
});
