/**
 * Cancellations arrive with the poll: an agent in long-poll mode whose reconcile is an hour away
 * learns from the held poll that a contract it provisioned ended, and tears its instance down in
 * that same poll round. Another agent of the provider, which never held the contract, touches nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { ScriptProvisioner } from '../../src/agent/provisioners/script.js';
import { StateFile } from '../../src/agent/state.js';
import type { PollingConfig } from '../../src/agent/config.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { signRequest } from '../../src/protocol/signing.js';
import { offering, SSH_KEY, startRig, type Rig } from '../e2e/support/harness.js';

let rig: Rig;
before(async () => {
  rig = await startRig([]);
});
after(() => rig.close());

const polling: PollingConfig = { intervalSeconds: 30, longPoll: true, healthCheckIntervalSeconds: 3600, reconcileIntervalSeconds: 3600, orphanGraceSeconds: 3600 };
const signal = new AbortController().signal;

/** A script agent whose terminate script appends the external id it was asked to remove to `removed`. */
function scriptAgent(name: string) {
  const dir = mkdtempSync(join(rig.dir, `${name}-`));
  const write = (file: string, body: string) => {
    const path = join(dir, file);
    writeFileSync(path, `#!/bin/sh\n${body}`, { mode: 0o755 });
    return path;
  };
  const removed = join(dir, 'removed');
  const agent = new Agent({
    client: new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey, agentInstanceId: name }),
    provisioner: new ScriptProvisioner({
      type: 'script',
      provision: write('p.sh', `cat >/dev/null\necho '{"success":true,"instance":{"external_id":"vm-${name}"}}'\n`),
      terminate: write('t.sh', `cat >> ${removed}\necho >> ${removed}\necho '{"success":true}'\n`),
      healthCheck: write('h.sh', 'cat >/dev/null\necho \'{"success":true}\'\n'),
      timeoutSeconds: 10,
      maxOutputBytes: 65536,
    }),
    polling,
    state: new StateFile(join(dir, 'agent.json')),
  });
  return { agent, removed };
}

test('a long-polling agent tears down a cancelled contract in the poll round that announces it', async () => {
  const offeringId = await offering(rig, 'script');
  const holder = scriptAgent('holder');
  const bystander = scriptAgent('bystander');
  await holder.agent.heartbeat();
  await bystander.agent.heartbeat();

  const id = (await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY })).contract_id;
  await holder.agent.pollOnce(signal);
  assert.equal((await rig.requester.client.getContract(id)).status, 'provisioned');

  // Both agents are now held by the control plane (30 s each); the requester ends the contract meanwhile.
  const rounds = [holder.agent.pollOnce(signal), bystander.agent.pollOnce(signal)];
  await rig.requester.client.terminateContract(id);
  const [held, seen] = await Promise.all(rounds);

  assert.deepEqual(held, { returned: 1, worked: 1, noticesHandled: 1 }, 'the held poll woke with the tear-down');
  assert.equal(holder.agent.stats.polls, 2);
  assert.equal(holder.agent.stats.tornDown, 1);
  assert.deepEqual(readFileSync(holder.removed, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { external_id: string }).external_id), ['vm-holder']);
  const ended = await rig.requester.client.getContract(id);
  assert.equal(ended.status, 'terminated');
  assert.deepEqual((ended.history ?? []).map((h) => h.to_status).slice(-2), ['terminating', 'terminated']);

  // The bystander heard of it too, but never held the contract: nothing of it was touched.
  assert.deepEqual(seen, { returned: 1, worked: 0, noticesHandled: 1 }, 'heard of, not ours: no work, and the next poll follows at once');
  assert.equal(bystander.agent.stats.tornDown, 0);
  assert.equal(existsSync(bystander.removed), false);
});

test('an agent that does not ask for tear-downs gets the bare list, as from Decent Cloud', async () => {
  const offeringId = await offering(rig, 'script');
  const { agent } = scriptAgent('old');
  const id = (await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY })).contract_id;
  await agent.pollOnce(signal);
  await rig.requester.client.terminateContract(id);
  const plain = new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey });
  const answer: unknown = await plain.pendingProvision();
  assert.ok(Array.isArray(answer), 'no AgentPoll without the teardown parameter');
  // Its reconcile still ends the contract.
  const r = await agent.reconcileOnce(signal);
  assert.deepEqual(r.terminated, [id]);
});

test('a teardown cursor that is not a whole number is refused, naming the parameter', async () => {
  const path = `/api/v1/providers/${rig.provider.publicKey}/contracts/pending-provision?teardown=-5`;
  const res = await fetch(rig.server.url + path, { headers: { ...signRequest(rig.provider.secretKey, 'GET', path) } });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error: string }).error, /^teardown must be/);
});
