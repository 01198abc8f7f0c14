import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { runCli, sandbox, type Sandbox } from './helpers.js';

describe('ferry demo', () => {
  let box: Sandbox;
  before(() => (box = sandbox()));
  after(() => box.cleanup());

  it('runs the whole flow against the in-process emulator and says so', async () => {
    const r = await runCli(['demo', '--time-scale', '1000'], { ...box.env, FERRY_POLL_INTERVAL_MS: '5' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /BUILT-IN EMULATOR/);
    assert.match(r.stderr, /trying .* …/);
    assert.match(r.stderr, /no capacity: .*next-cheapest offer/);
    assert.match(r.stderr, /ready at \d+\.\d+\.\d+\.\d+/);
    assert.match(r.stdout, /^demo-web\s+\S+\s+\S+\s+active/m);
    assert.match(r.stdout, /destroyed demo-web/);
    assert.match(r.stderr, /10 of 10 ready, fleet (\w+)/);
    assert.equal(r.stdout.match(/^demo-fleet-\d+\s.*\sactive\s.*\sferry\s+[0-9a-f]{8}$/gm)?.length, 10, 'ls lists the fleet, with its id');
    assert.match(r.stderr, /fleet \w+ on \w+: 10\/10 destroyed/);
    assert.match(r.stdout, /managed instances the inventory does not know: 0/);
    assert.match(r.stdout, /For real: export .*HCLOUD_TOKEN=…/, "the way to real accounts names each provider's variable");
  });
  it('--keep-state keeps the demo\'s state in its own directory, printed, never in the real store', async () => {
    const r = await runCli(['demo', '--time-scale', '1000', '--keep-state'], { ...box.env, FERRY_POLL_INTERVAL_MS: '5' });
    assert.equal(r.code, 0, r.stderr);
    const dir = join(box.dir, 'data', 'ferry', 'demo');
    assert.ok(r.stdout.includes(`kept apart from your real store, in ${dir}`), r.stdout);
    const demo = await openStore(join(dir, 'ferry.db'));
    try {
      assert.ok((await demo.inventory.list({ includeDestroyed: true })).some((x) => x.name === 'demo-web'));
    } finally {
      await demo.close();
    }
    if (existsSync(box.dbPath)) {
      const real = await openStore(box.dbPath);
      try {
        assert.equal((await real.inventory.list({ includeDestroyed: true })).length, 0, 'the real store has no demo servers');
      } finally {
        await real.close();
      }
    }
  });
});
