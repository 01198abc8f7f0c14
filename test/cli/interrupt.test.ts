import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { BIN, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

/** Runs ferry and sends it SIGINT the moment its stderr matches `at`. */
function interruptAt(args: string[], env: NodeJS.ProcessEnv, at: RegExp): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && at.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('Ctrl-C while a create is on its way', () => {
  let box: Sandbox;
  let t: TestEmulator;
  before(async () => {
    box = sandbox();
    // Every answer comes late, so the signal lands while the create of the chosen offer is under way.
    t = await testEmulator({ providers: ['hetzner'], faults: { slow: 1, slowMs: 2_500 } });
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('says the create may have happened and which commands find and remove it, and exits 130', async () => {
    const r = await interruptAt(['deploy', '--provider', 'hetzner', '--min-cpu', '2', '--name', 'web-maybe'], { ...box.env, ...t.env }, /^trying /m);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /^interrupted: the create of web-maybe on hetzner may have happened; `ferry gc` finds it by its create id and adopts it \(then `ferry destroy web-maybe` removes it\)$/m);
  });
});

describe('Ctrl-C during deploy', () => {
  let box: Sandbox;
  let t: TestEmulator;
  before(async () => {
    box = sandbox();
    // Real time: the server boots for seconds, so it is still booting when the signal arrives.
    t = await testEmulator({ providers: ['hetzner'], timeScale: 1 });
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('says which server is still booting and how to remove it, and exits 130', async () => {
    const env = { ...box.env, ...t.env, FERRY_TIME_SCALE: '1' };
    const r = await interruptAt(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'web-int'], env, /^created web-int .*id (\d+)$/m);
    assert.equal(r.code, 130, r.stderr);
    const id = /^created web-int .*id (\d+)$/m.exec(r.stderr)![1]!;
    assert.match(r.stderr, new RegExp(`^interrupted: web-int \\(hetzner ${id}\\) is still booting and is billed: \`ferry destroy web-int\` removes it`, 'm'));
  });
});
