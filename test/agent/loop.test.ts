/** The agent loop against the real control plane (SQLite, in-process) with script provisioners. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { ScriptProvisioner } from '../../src/agent/provisioners/script.js';
import { StateFile } from '../../src/agent/state.js';
import type { PollingConfig } from '../../src/agent/config.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import { offering, SSH_KEY, startRig, type Rig } from '../e2e/support/harness.js';

let rig: Rig;
before(async () => {
  rig = await startRig([]);
});
after(() => rig.close());

const polling: PollingConfig = { intervalSeconds: 1, healthCheckIntervalSeconds: 1, longPoll: false, orphanGraceSeconds: 1, reconcileIntervalSeconds: 1 };

function script(body: string): string {
  const dir = mkdtempSync(join(rig.dir, 'scripts-'));
  const path = join(dir, 'p.sh');
  writeFileSync(path, `#!/bin/sh\ncat >/dev/null\n${body}`, { mode: 0o755 });
  return path;
}

function agent(provision: string, o: { client?: ControlPlaneClient; maxAttempts?: number } = {}) {
  const state = new StateFile(join(mkdtempSync(join(rig.dir, 'state-')), 'agent.json'));
  const ok = script('echo \'{"success":true}\'\n');
  const healthy = script('echo \'{"success":true,"health":{"status":"healthy"}}\'\n');
  const a = new Agent({
    client: o.client ?? new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey }),
    provisioner: new ScriptProvisioner({ type: 'script', provision, terminate: ok, healthCheck: healthy, timeoutSeconds: 10, maxOutputBytes: 65536 }),
    polling,
    state,
    maxAttempts: o.maxAttempts ?? 3,
    retryDelayMs: () => 0,
  });
  return { agent: a, state };
}

async function newContract(): Promise<string> {
  const offeringId = await offering(rig, 'script');
  return (await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY })).contract_id;
}

const signal = new AbortController().signal;

test('a final failure is reported with the script error, and the contract leaves the queue', async () => {
  const id = await newContract();
  const { agent: a, state } = agent(script('echo \'{"success":false,"error":"template missing on node"}\'\n'));
  await a.pollOnce(signal);
  const c = await rig.requester.client.getContract(id);
  assert.equal(c.status, 'failed');
  assert.match(c.error ?? '', /template missing on node/);
  assert.equal(state.contract(id), undefined);
  assert.equal(a.stats.failed, 1);
});

test('retry_possible: the contract is retried, then provisioned once the script succeeds', async () => {
  const id = await newContract();
  const marker = join(mkdtempSync(join(rig.dir, 'marker-')), 'tried');
  const { agent: a, state } = agent(script(`if [ ! -e ${marker} ]; then touch ${marker}; echo '{"success":false,"error":"Out of storage space","retry_possible":true}'; exit 1; fi
echo '{"success":true,"instance":{"external_id":"vm-1","ip_address":"192.0.2.1","root_password":"pw"}}'
`));
  await a.pollOnce(signal);
  assert.equal(state.contract(id)?.phase, 'retry_wait');
  assert.equal((await rig.requester.client.getContract(id)).status, 'provisioning', 'not failed: a retry is due');
  await a.pollOnce(signal);
  const c = await rig.requester.client.getContract(id);
  assert.equal(c.status, 'provisioned');
  assert.equal(c.instance_details?.ip_address, '192.0.2.1');
  assert.deepEqual(state.contract(id) && { phase: state.contract(id)!.phase, attempts: state.contract(id)!.attempts }, { phase: 'provisioned', attempts: 2 });

  assert.equal(await a.healthChecks(signal), 1);
  const rows = await rig.db.query<{ status: string }>('SELECT status FROM cp_health_checks WHERE contract_id = $1', [id]);
  assert.deepEqual(rows.map((r) => r.status), ['healthy']);
});

test('retry_possible failures give up after max attempts and say so', async () => {
  const id = await newContract();
  const { agent: a } = agent(script('echo \'{"success":false,"error":"busy","retry_possible":true}\'\n'), { maxAttempts: 2 });
  await a.pollOnce(signal);
  await a.pollOnce(signal);
  const c = await rig.requester.client.getContract(id);
  assert.equal(c.status, 'failed');
  assert.match(c.error ?? '', /busy \(gave up after 2 attempts\)/);
});

test('a contract another agent locked between poll and lock (409) is skipped, not provisioned', async () => {
  const id = await newContract();
  const other = generateKeyPair();
  await rig.provider.client.registerAgent({ agentPubkey: other.publicKey, label: 'rival' });
  const rival = new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: other.secretKey, role: 'agent', providerPubkey: rig.provider.publicKey });
  // The rival wins the race: it takes the lease right before our lock request goes out.
  const racing = new ControlPlaneClient({
    baseUrl: rig.server.url,
    secretKey: rig.provider.secretKey,
    fetch: async (url, init) => {
      if (init.method === 'POST' && url.endsWith(`/contracts/${id}/lock`)) assert.equal((await rival.acquireLock(id)).acquired, true);
      return fetch(url, init);
    },
  });
  const { agent: a } = agent(script('echo \'{"success":true,"instance":{"external_id":"vm-x"}}\'\n'), { client: racing });
  await a.pollOnce(signal);
  assert.equal(a.stats.skippedLocked, 1);
  assert.equal(a.stats.provisioned, 0);
  assert.equal((await rig.requester.client.getContract(id)).status, 'pending_provisioning');
  await rival.releaseLock(id);
  // Anything else still queued for this provider is not this test's business.
  await rig.requester.client.cancelContract(id);
});

test('run() stops promptly on abort, with every loop ended', async () => {
  const { agent: a } = agent(script('echo \'{"success":true,"instance":{"external_id":"vm-y"}}\'\n'));
  const stop = new AbortController();
  const running = a.run(stop.signal);
  await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  await running;
  assert.ok(a.stats.polls >= 1);
});
