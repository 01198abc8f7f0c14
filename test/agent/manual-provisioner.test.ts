import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualProvisioner } from '../../src/agent/provisioners/manual.js';
import { ProvisionError } from '../../src/agent/provisioners/types.js';
import type { ProvisionRequest } from '../../src/agent/contract.js';

const request: ProvisionRequest = {
  contractId: 'c0ffee',
  offeringId: 'off-9',
  requesterSshPubkey: 'ssh-ed25519 AAAA requester',
  cpuCores: 4,
  memoryMb: 8192,
  storageGb: 100,
  instanceConfig: null,
  provisionerConfig: null,
  postProvisionScript: null,
};

/** A local webhook receiver answering every POST with `status`. */
async function receiver(status: number) {
  const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret-token`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('provision POSTs a JSON notification and leaves the contract pending for the operator', async () => {
  const hook = await receiver(200);
  try {
    const p = new ManualProvisioner({ type: 'manual', notificationWebhook: hook.url }, { dashboardUrl: 'https://cp.example/' });
    const out = await p.provision(request);
    assert.equal(out.kind, 'pending_manual');
    assert.equal(hook.received.length, 1);
    const { headers, body } = hook.received[0]!;
    assert.equal(headers['content-type'], 'application/json');
    const b = body as Record<string, unknown>;
    assert.equal(b.event, 'contract.provision_requested');
    assert.equal(b.contract_id, 'c0ffee');
    assert.equal(b.dashboard_url, 'https://cp.example/dashboard/contracts/c0ffee');
    assert.match(String(b.text), /New contract c0ffee \(offering off-9: 4 cores, 8192 MiB, 100 GB disk\) needs manual provisioning/);
    assert.equal(await p.listRunning(), null);
    assert.equal((await p.healthCheck()).status, 'unknown');
  } finally {
    await hook.close();
  }
});

test('a failing webhook is a provisioning failure; 5xx may be retried, the secret path is never shown', async () => {
  const hook = await receiver(503);
  try {
    const p = new ManualProvisioner({ type: 'manual', notificationWebhook: hook.url });
    await assert.rejects(p.provision(request), (err: unknown) => {
      assert.ok(err instanceof ProvisionError);
      assert.match(err.message, /notification webhook http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 503/);
      assert.doesNotMatch(err.message, /secret-token/);
      assert.equal(err.retryPossible, true);
      return true;
    });
  } finally {
    await hook.close();
  }
});

test('without a webhook the contract still waits for the dashboard', async () => {
  const out = await new ManualProvisioner({ type: 'manual' }).provision(request);
  assert.equal(out.kind, 'pending_manual');
});
