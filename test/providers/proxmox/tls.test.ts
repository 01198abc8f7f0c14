import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ProviderError } from '../../../src/core/index.js';
import { ProxmoxClient } from '../../../src/providers/proxmox/index.js';
import { FIXTURES } from './fixtures.js';

/** A loopback HTTPS server with a self-signed certificate (test-only key in the fixtures), like a fresh PVE install. */
async function selfSignedPve(): Promise<{ url: string; auth: string[]; close(): Promise<void> }> {
  const auth: string[] = [];
  const server = createServer({ key: readFileSync(resolve(FIXTURES, 'tls-key.pem')), cert: readFileSync(resolve(FIXTURES, 'tls-cert.pem')) }, (req, res) => {
    auth.push(String(req.headers.authorization));
    if (req.url === '/api2/json/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { version: '9.1.2', release: '9.1', repoid: '5a9b3c1e' } }));
      return;
    }
    res.writeHead(500, "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist", { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: null }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}`, auth, close: () => new Promise((ok) => server.close(() => ok())) };
}

const client = (url: string, verifyTls: boolean) =>
  new ProxmoxClient({ url, tokenId: 'root@pam!ferry', tokenSecret: 'tls-secret-1234', verifyTls, http: { maxRetries: 0, budgets: new Map() } });

test('verifyTls=false talks to a self-signed PVE; the default refuses it', async () => {
  const pve = await selfSignedPve();
  try {
    assert.equal((await client(pve.url, false).version()).release, '9.1');
    assert.deepEqual(pve.auth, ['PVEAPIToken=root@pam!ferry=tls-secret-1234']);
    await assert.rejects(client(pve.url, true).version(), (e) => ProviderError.is(e, 'network') && !e.message.includes('tls-secret-1234'));
  } finally {
    await pve.close();
  }
});

test('the error text PVE puts only in the reason phrase reaches the error (and a missing VM reads as null)', async () => {
  const pve = await selfSignedPve();
  try {
    assert.equal(await client(pve.url, false).vmStatus('pve1', 100), null);
    await assert.rejects(client(pve.url, false).taskStatus('UPID:pve1:00000001:00000002:00000003:qmstart:100:root@pam:'), (e) => {
      assert.ok(ProviderError.is(e, 'not_found'));
      assert.match(e.message, /100\.conf' does not exist/);
      return true;
    });
  } finally {
    await pve.close();
  }
});
