/** The agent loop against the real control plane (SQLite, in-process) with script provisioners. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

function agent(provision: string, o: { client?: ControlPlaneClient; maxAttempts?: number; terminate?: string; list?: string } = {}) {
  const state = new StateFile(join(mkdtempSync(join(rig.dir, 'state-')), 'agent.json'));
  const ok = script('echo \'{"success":true}\'\n');
  const healthy = script('echo \'{"success":true,"health":{"status":"healthy"}}\'\n');
  const a = new Agent({
    client: o.client ?? new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey }),
    provisioner: new ScriptProvisioner({ type: 'script', provision, terminate: o.terminate ?? ok, healthCheck: healthy, timeoutSeconds: 10, maxOutputBytes: 65536, ...(o.list ? { list: o.list } : {}) }),
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
  await rig.provider.client.delegateAgent(other.secretKey, { label: 'rival' });
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
  // Wait on the condition, not on the clock: the first poll is done once the loop is running.
  for (let i = 0; i < 6_000 && a.stats.polls < 1; i++) await new Promise((r) => setTimeout(r, 20));
  stop.abort();
  await running;
  assert.ok(a.stats.polls >= 1);
});

/** A terminate script that records the external ids it was asked to remove. */
function recordingTerminate(): { path: string; removed: () => string[] } {
  const log = join(mkdtempSync(join(rig.dir, 'removed-')), 'log');
  writeFileSync(log, '');
  const path = script('').replace(/p\.sh$/, 't.sh');
  writeFileSync(path, `#!/bin/sh\nin=$(cat)\nprintf '%s\\n' "$in" | sed -n 's/.*"external_id":"\\([^"]*\\)".*/\\1/p' >> ${log}\necho '{"success":true}'\n`, { mode: 0o755 });
  return { path, removed: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

test('a contract ended after the agent journaled it but before any instance existed is reported terminated', async () => {
  const id = await newContract();
  const noneRunning = script('echo \'{"success":true,"instances":[]}\'\n');
  const { agent: a, state } = agent(script('exit 1\n'), { list: noneRunning });
  const client = new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey });
  // What a crashed agent leaves: the lease, "provisioning" on the server, the journal entry, no instance.
  await client.acquireLock(id);
  await client.reportStarted(id);
  state.setContract(id, { phase: 'provisioning', attempts: 1, updatedAt: Date.now() });
  assert.equal((await rig.requester.client.terminateContract(id)).status, 'terminating');
  const r = await a.reconcileOnce(signal);
  assert.deepEqual(r.terminated, [id]);
  const c = await rig.requester.client.getContract(id);
  assert.equal(c.status, 'terminated', 'not stuck in terminating');
  assert.equal(state.contract(id), undefined);
});

test('without a list script, an ended contract still has its journaled instance torn down, and health checks stop', async () => {
  const id = await newContract();
  const t = recordingTerminate();
  const { agent: a, state } = agent(script('echo \'{"success":true,"instance":{"external_id":"file-vm-7"}}\'\n'), { terminate: t.path });
  await a.pollOnce(signal);
  assert.equal((await rig.requester.client.getContract(id)).status, 'provisioned');
  assert.equal(state.contract(id)?.externalId, 'file-vm-7');
  await a.reconcileOnce(signal);
  assert.deepEqual(t.removed(), [], 'a live contract keeps its instance');
  await rig.requester.client.terminateContract(id);
  await a.reconcileOnce(signal);
  assert.deepEqual(t.removed(), ['file-vm-7']);
  assert.equal((await rig.requester.client.getContract(id)).status, 'terminated');
  assert.equal(a.activeInstances().has(id), false, 'no more health checks for it');
});

test('a contract terminated while it was being provisioned has the new instance torn down at once', async () => {
  const id = await newContract();
  const t = recordingTerminate();
  // The requester ends the contract just as the agent's "provisioned" report goes out.
  const client = new ControlPlaneClient({
    baseUrl: rig.server.url,
    secretKey: rig.provider.secretKey,
    fetch: async (url, init) => {
      if (url.includes(`/rental-requests/${id}/provisioning`) && String(init.body).includes('"provisioned"')) await rig.requester.client.terminateContract(id);
      return fetch(url, init);
    },
  });
  const { agent: a, state } = agent(script('echo \'{"success":true,"instance":{"external_id":"file-vm-9"}}\'\n'), { client, terminate: t.path });
  await a.pollOnce(signal);
  assert.deepEqual(t.removed(), ['file-vm-9']);
  const c = await rig.requester.client.getContract(id);
  assert.equal(c.status, 'terminated');
  assert.equal(c.history!.some((h) => h.to_status === 'provisioned'), false);
  assert.equal(state.contract(id), undefined);
  assert.equal(a.stats.provisioned, 0);
});

test('the instance id is made once and kept across restarts, one per state file', () => {
  const dir = mkdtempSync(join(rig.dir, 'ids-'));
  const first = new StateFile(join(dir, 'a.json')).instanceId;
  assert.match(first, /^[0-9a-f-]{36}$/);
  assert.equal(new StateFile(join(dir, 'a.json')).instanceId, first);
  assert.notEqual(new StateFile(join(dir, 'b.json')).instanceId, first);
});

test('the lease is renewed while a slow provision runs, so no other agent can take the contract over', async () => {
  const id = await newContract();
  const expiry = async () => Number((await rig.db.query<{ expires_at: number }>('SELECT expires_at FROM cp_contract_locks WHERE contract_id = $1', [id]))[0]?.expires_at ?? 0);
  const ok = script('echo \'{"success":true}\'\n');
  let readings: Promise<[number, number]> | undefined;
  const a = new Agent({
    client: new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey }),
    provisioner: new ScriptProvisioner({ type: 'script', provision: script('sleep 1\necho \'{"success":true,"instance":{"external_id":"slow-1"}}\'\n'), terminate: ok, healthCheck: ok, timeoutSeconds: 10, maxOutputBytes: 65536 }),
    polling,
    state: new StateFile(join(mkdtempSync(join(rig.dir, 'state-')), 'agent.json')),
    leaseRenewMs: 100,
    onStep: (step) => {
      // Read the lease as the provision starts and again halfway through its one second.
      if (step === 'started') readings = expiry().then(async (first) => [first, await new Promise<number>((ok) => setTimeout(() => ok(expiry()), 600))]);
    },
  });
  await a.pollOnce(signal);
  assert.equal((await rig.requester.client.getContract(id)).status, 'provisioned');
  const [first, later] = await readings!;
  assert.ok(first > 0, 'the lease was held when the provision started');
  assert.ok(later > first, `the lease was pushed forward while provisioning (${first} → ${later})`);
});
