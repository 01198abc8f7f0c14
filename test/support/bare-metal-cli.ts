/**
 * The CLI crash scenarios for a bare-metal provider on its emulator: ferry SIGKILLed right after
 * the order was answered (only the journal knows), and ferry killed from outside while it waits
 * through the deploy stages. In both, the next `ferry gc` accounts for the order.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { TestContext } from 'node:test';
import { startEmulator, type Exchange } from '../../src/emulator/index.js';
import { openStore } from '../../src/store/index.js';
import { BIN, parseJson, runCli, sandbox } from '../cli/helpers.js';

export interface BareMetalCliTarget {
  provider: string;
  env: (url: string) => NodeJS.ProcessEnv;
  deployArgs: string[];
  isOrder: (x: Exchange) => boolean;
}

async function setup(t: TestContext, target: BareMetalCliTarget, bootMs: number) {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: [target.provider], timeScale: 1000, bootMs, observe: (x) => exchanges.push(x) });
  const box = sandbox();
  t.after(async () => {
    await emu.close();
    box.cleanup();
  });
  const env = { ...box.env, ...target.env(emu.urls[target.provider]!), FERRY_TIME_SCALE: '1000', FERRY_POLL_INTERVAL_MS: '5', FERRY_READY_TIMEOUT_MS: '120000' };
  return { exchanges, box, env };
}

/** SIGKILL right after the order was answered: the journal entry is pending; gc adopts the server by its create id. */
export async function crashAfterOrder(t: TestContext, target: BareMetalCliTarget): Promise<void> {
  const { exchanges, box, env } = await setup(t, target, 40_000);
  const r = await runCli(['deploy', ...target.deployArgs, '--name', 'crashed-1', '--no-wait'], { ...env, FERRY_TEST_CRASH_AFTER: 'create-sent' });
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  assert.equal(exchanges.filter(target.isOrder).length, 1, 'one order');
  const gc = await runCli(['gc'], env);
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(gc.stdout, /unconfirmed creates: 1/);
  assert.match(gc.stdout, /adopted into the inventory/);
  const store = await openStore(box.dbPath);
  try {
    assert.equal((await store.journal.pending()).length, 0);
    assert.ok(await store.inventory.findByName('crashed-1'), 'adopted');
  } finally {
    await store.close();
  }
  assert.equal(exchanges.filter(target.isOrder).length, 1, 'gc ordered nothing');
}

/** Killed from outside while waiting through the stages: the order is in the inventory, gc finds nothing unaccounted for. */
export async function killedDuringWait(t: TestContext, target: BareMetalCliTarget): Promise<void> {
  // Stages of tens of emulated minutes: seconds of real time at 1000×.
  const { exchanges, env } = await setup(t, target, 400_000);
  const child = spawn(process.execPath, [BIN, 'deploy', ...target.deployArgs, '--name', 'waiting-1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onData = (d: Buffer) => {
    out += d.toString();
    if (/waiting-1: (ordered|provisioning|installing)/.test(out)) child.kill('SIGKILL');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const signal = await new Promise<NodeJS.Signals | null>((ok) => child.on('close', (_code, s) => ok(s)));
  assert.equal(signal, 'SIGKILL', `killed while waiting; output:\n${out}`);
  assert.match(out, /waiting-1: (ordered|provisioning|installing) \(/, 'a stage was shown before the kill');
  const gc = parseJson<{ journal: unknown[]; orphans: unknown[] }>((await runCli(['gc', '--json'], env)).stdout);
  assert.deepEqual([gc.journal.length, gc.orphans.length], [0, 0], 'the order is accounted for');
  const ls = parseJson<{ name: string; provider: string }[]>((await runCli(['ls', '--json'], env)).stdout);
  assert.deepEqual(ls.filter((x) => x.name === 'waiting-1').map((x) => x.provider), [target.provider]);
  assert.equal(exchanges.filter(target.isOrder).length, 1, 'one order');
}
