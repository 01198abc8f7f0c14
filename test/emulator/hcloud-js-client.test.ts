/** The hcloud-js npm client (Hetzner Cloud), unchanged, against the emulator: build and create, wait, list, rename (PUT), delete. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { startFor, until } from './clients.js';

// hcloud-js is CommonJS without type declarations.
const { Client } = createRequire(import.meta.url)('hcloud-js') as { Client: new (o: { token: string; baseURL: string }) => any };

test('hcloud-js: servers.build().create(), get until running (IP from the create), list, changeName, delete', async (t) => {
  const run = await startFor(t, 'hetzner', {});
  const hc = new Client({ token: 'test-token-5f1c', baseURL: `${run.url.replace(/\/$/, '')}/v1` });
  const { server } = await hc.servers.build('hcjs-1').serverType('cx22').location('fsn1').image('ubuntu-24.04').create();
  assert.match(server.publicNet.ipv4.ip, /^\d+\.\d+\.\d+\.\d+$/);
  await until('running', async () => ((await hc.servers.get(server.id)).status === 'running' ? true : undefined));
  const listed = await hc.servers.list();
  assert.deepEqual(listed.servers.map((s: { id: number }) => s.id), [server.id]);
  assert.equal((await hc.servers.changeName(server.id, 'hcjs-renamed')).name, 'hcjs-renamed');
  await hc.servers.delete(server.id);
  await assert.rejects(hc.servers.get(server.id));
});
