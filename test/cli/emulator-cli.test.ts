import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runCli, sandbox, type Sandbox } from './helpers.js';

describe('ferry emulator flags', () => {
  let box: Sandbox;
  let taken: Server;
  let port: number;
  before(async () => {
    box = sandbox();
    taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    port = (taken.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((ok) => taken.close(ok));
    box.cleanup();
  });

  it('a --base-port already in use is a usage error naming the port', async () => {
    const r = await runCli(['emulator', '--providers', 'hetzner', '--base-port', String(port)], box.env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: port ${port} is already in use: pick another --base-port$`, 'm'));
    assert.doesNotMatch(r.stderr, /unexpected|bug/);
  });

  it('a --base-port out of range is refused before anything listens', async () => {
    const r = await runCli(['emulator', '--providers', 'hetzner', '--base-port', '70000'], box.env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--base-port must be a port from 1 to 65535/);
  });
});
