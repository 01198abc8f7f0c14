import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
    assert.match(r.stdout, /managed instances the inventory does not know: 0/);
    assert.match(r.stdout, /For real: export .*HCLOUD_TOKEN=…/, "the way to real accounts names each provider's variable");
  });
});
