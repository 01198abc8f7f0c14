import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/cli/context.js';
import { EXIT, reportError, WaitTimedOut } from '../../src/cli/errors.js';
import { runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

/** Scripts tell outcomes apart by exit code: a declined prompt and a --wait timeout have their own. */
describe('exit codes', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    // Real time: a server takes seconds to boot, longer than the ready timeout below.
    t = await testEmulator({ providers: ['hetzner'], timeScale: 1 });
    env = { ...box.env, ...t.env, FERRY_TIME_SCALE: '1' };
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('a --wait that times out exits 5, naming the server that exists and how to remove it', async () => {
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'slow-1'], { ...env, FERRY_READY_TIMEOUT_MS: '1' });
    assert.equal(r.code, EXIT.waitTimeout, r.stderr);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /\(--wait ready timed out\)/);
    assert.match(r.stderr, /^hint: slow-1 \(hetzner \d+\) is still booting and is billed: `ferry destroy slow-1` removes it/m);
  });

  it('declining the destroy prompt exits 4 and destroys nothing', async () => {
    const out: string[] = [];
    const writer = { write: (s: string) => void out.push(s), isTTY: false };
    const ctx = createContext({ env, stdout: writer, stderr: writer, interactive: true });
    ctx.prompt = async () => 'n';
    const deletes = () => t.exchanges.filter((x) => x.method === 'DELETE').length;
    const before = deletes();
    try {
      const code = await (await import('../../src/cli/run/destroy.js')).run(ctx, { instances: ['slow-1'] });
      assert.equal(code, 4, out.join(''));
    } finally {
      await ctx.close();
    }
    assert.match(out.join(''), /nothing destroyed/);
    assert.equal(deletes(), before);
  });

  it('ferry --help lists every exit code, Ctrl-C included', async () => {
    const r = await runCli(['--help'], box.env);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /4 a confirmation was declined, 5 a --wait timed out \(the server exists\), 70 bug in ferry, 130 interrupted \(Ctrl-C\)/);
  });
  it('any --wait that gives up (a market contract too) is exit 5 with its hint', () => {
    const out: string[] = [];
    const writer = { write: (s: string) => void out.push(s), isTTY: false };
    const ctx = createContext({ env: {}, stdout: writer, stderr: writer, interactive: false });
    assert.equal(reportError(ctx, new WaitTimedOut('contract c0ffee is still requested after 5 s (--wait timed out)', 'follow it with `ferry contract show`')), 5);
    assert.deepEqual(out.join(''), 'error: contract c0ffee is still requested after 5 s (--wait timed out)\nhint: follow it with `ferry contract show`\n');
  });
  it('a market --ssh-key path that does not exist says so, naming the flag', async () => {
    const { sshKeyArg } = await import('../../src/cli/market-input.js');
    assert.throws(() => sshKeyArg('/missing/id_ed25519.pub'), /^UserError: --ssh-key \/missing\/id_ed25519\.pub: no such file$/);
  });
});
