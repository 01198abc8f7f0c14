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
