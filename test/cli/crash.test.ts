import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CREATE_ID_KEY } from '../../src/core/index.js';
import { openStore } from '../../src/store/index.js';
import { createRequests, parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

/**
 * The crash test: ferry is SIGKILLed right after the create request was answered, before it
 * could record anything but the journal entry. The next `ferry gc` must find the server by the
 * journal's create id and the server's label, adopt it, and leave nothing unaccounted for.
 */
describe('crash during deploy, then gc', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['digitalocean', 'hetzner'] });
    env = { ...box.env, ...t.env };
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('SIGKILL after the create was sent leaves a pending journal entry and a labelled server', async () => {
    const r = await runCli(['deploy', '--provider', 'digitalocean', '--size', 's-1vcpu-1gb', '--region', 'fra1', '--name', 'crashed-1', '--no-wait'], { ...env, FERRY_TEST_CRASH_AFTER: 'create-sent' });
    assert.equal(r.signal, 'SIGKILL');
    assert.equal(createRequests(t.exchanges).length, 1, 'the create was sent once');
    const store = await openStore(box.dbPath);
    try {
      const pending = await store.journal.pending();
      assert.equal(pending.length, 1);
      assert.equal(pending[0]!.name, 'crashed-1');
      assert.equal((await store.inventory.list()).length, 0, 'nothing recorded but the journal');
    } finally {
      await store.close();
    }
  });

  it('gc --dry-run shows the adoption without doing it', async () => {
    const r = await runCli(['gc', '--dry-run', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<{ dryRun: boolean; journal: { action: string; name: string }[] }>(r.stdout);
    assert.equal(out.dryRun, true);
    assert.deepEqual(out.journal.map((j) => `${j.name}:${j.action}`), ['crashed-1:adopt']);
    const store = await openStore(box.dbPath);
    try {
      assert.equal((await store.journal.pending()).length, 1);
    } finally {
      await store.close();
    }
  });

  it('gc finds the server through the journal and its create-id label and adopts it', async () => {
    const r = await runCli(['gc'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /unconfirmed creates: 1/);
    assert.match(r.stdout, /adopted into the inventory/);
    assert.match(r.stdout, /managed instances the inventory does not know: 0/);
    const store = await openStore(box.dbPath);
    try {
      assert.equal((await store.journal.pending()).length, 0);
      const row = await store.inventory.findByName('crashed-1');
      assert.ok(row, 'adopted into the inventory');
      assert.ok(row.priceHourly, 'with the price recorded at launch');
      const entry = await store.journal.get(row.createId!);
      assert.equal(entry?.state, 'confirmed');
      assert.equal(entry?.instanceId, row.instanceId);
      assert.equal(row.labels[CREATE_ID_KEY], row.createId);
      assert.equal((await store.history.list({ kind: 'gc_adopted' })).length, 1);
    } finally {
      await store.close();
    }
    const again = await runCli(['gc', '--json'], env);
    const out = parseJson<{ journal: unknown[]; orphans: unknown[] }>(again.stdout);
    assert.deepEqual([out.journal.length, out.orphans.length], [0, 0], 'nothing left to reconcile');
    const ls = await runCli(['ls', '--json'], env);
    assert.ok(parseJson<{ name: string }[]>(ls.stdout).some((x) => x.name === 'crashed-1'));
  });

  it('gc reports managed servers the inventory does not know and destroys them on request', async () => {
    // A second home with an empty store sees the first home's server as an orphan.
    const other = sandbox();
    try {
      const otherEnv = { ...other.env, ...t.env };
      const listed = await runCli(['gc', '--json'], otherEnv);
      const out = parseJson<{ orphans: { name: string; destroyed: boolean }[] }>(listed.stdout);
      assert.deepEqual(out.orphans.map((o) => o.name), ['crashed-1']);
      const refused = await runCli(['gc', '--destroy-orphans'], otherEnv);
      assert.equal(refused.code, 2, 'no confirmation without a terminal');
      const destroyed = await runCli(['gc', '--destroy-orphans', '--yes', '--json'], otherEnv);
      assert.equal(destroyed.code, 0, destroyed.stderr);
      assert.equal(parseJson<{ orphans: { destroyed: boolean }[] }>(destroyed.stdout).orphans[0]?.destroyed, true);
    } finally {
      other.cleanup();
    }
    // Back home, gc notices the server is gone and closes the inventory row.
    const r = await runCli(['gc', '--json'], env);
    assert.deepEqual(parseJson<{ vanished: { name: string }[] }>(r.stdout).vanished.map((v) => v.name), ['crashed-1']);
  });
});
