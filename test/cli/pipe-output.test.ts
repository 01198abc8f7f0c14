/**
 * Large output through a pipe arrives whole: the reader here pauses, so the pipe fills and ferry's
 * writes queue up; ferry must not exit before they are written (a listing used to stop at 64 KiB
 * with exit 0). A reader that goes away early (`| head`) is no failure.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { BIN, sandbox, type Sandbox } from './helpers.js';

/** Runs ferry with its stdout made non-blocking first (as a parent sharing the pipe may leave it): writes that would block must queue, not fail. */
const NON_BLOCKING = `import fcntl, os, sys
fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK)
os.execv(sys.argv[1], sys.argv[1:])`;

function slowRead(args: string[], env: NodeJS.ProcessEnv, stopAfter?: number, nonBlocking = false): Promise<{ code: number | null; out: Buffer }> {
  return new Promise((resolve, reject) => {
    const [file, argv] = nonBlocking ? ['python3', ['-c', NON_BLOCKING, process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const parts: Buffer[] = [];
    let size = 0;
    child.stdout.pause();
    // Start reading only after ferry had every chance to exit early, then read in small sips.
    const timer = setTimeout(() => {
      child.stdout.on('data', (d: Buffer) => {
        parts.push(d);
        size += d.length;
        if (stopAfter !== undefined && size >= stopAfter) child.stdout.destroy();
        else {
          child.stdout.pause();
          setImmediate(() => child.stdout.resume());
        }
      });
      child.stdout.resume();
    }, 300);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(parts) });
    });
  });
}

describe('output through a pipe', () => {
  let box: Sandbox;
  before(() => {
    box = sandbox();
  });
  after(() => box.cleanup());

  it('a listing of hundreds of KiB arrives whole and parses, with exit 0', async () => {
    const r = await slowRead(['offers', '--json', '--limit', '100000'], box.env);
    assert.equal(r.code, 0);
    assert.ok(r.out.length > 256 * 1024, `${r.out.length} bytes: more than a pipe holds`);
    const data = JSON.parse(r.out.toString('utf8')) as { offers: unknown[] };
    assert.ok(data.offers.length > 500);
  });

  it('into a pipe left non-blocking, what the OS cannot take at once is queued and arrives whole, in order', async () => {
    const r = await slowRead(['offers', '--json', '--limit', '100000'], box.env, undefined, true);
    assert.equal(r.code, 0);
    assert.ok(r.out.length > 256 * 1024, `${r.out.length} bytes: more than a pipe holds`);
    const data = JSON.parse(r.out.toString('utf8')) as { offers: unknown[] };
    assert.ok(data.offers.length > 500);
  });

  it('a reader that stops early is not an error', async () => {
    const r = await slowRead(['offers', '--json', '--limit', '100000'], box.env, 1000);
    assert.equal(r.code, 0);
  });
});
