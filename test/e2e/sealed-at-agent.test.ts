/**
 * Credentials sealed at the agent: the pending contract names the requester's key, the agent
 * seals the root password to it (version 2, AAD = contract id) before reporting, so the
 * provisioning report on the wire carries no clear password. The server still seals a clear
 * password from an agent that does not (Decent Cloud's), and refuses sealed credentials bound
 * to another contract.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { StateFile } from '../../src/agent/state.js';
import type { Provisioner } from '../../src/agent/provisioners/types.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { contractAad, openCredentials, sealCredentials } from '../../src/protocol/sealed-credentials.js';
import { offering, SSH_KEY, startRig, type Rig } from './support/harness.js';

const PASSWORD = 'correct-horse-battery-staple-42';

let rig: Rig;
before(async () => {
  rig = await startRig([]);
});
after(() => rig.close());

/** A provisioner that "creates" an instance with a known password, and nothing else. */
const fixedPassword: Provisioner = {
  type: 'script',
  provision: async (req) => ({ kind: 'provisioned', instance: { externalId: `vm-${req.contractId.slice(0, 8)}`, ipAddress: '192.0.2.7', sshPort: 22, rootPassword: PASSWORD } }),
  terminate: async () => undefined,
  healthCheck: async () => ({ status: 'healthy' }),
  listRunning: async () => [],
};

test('the agent seals the password: nothing on the wire holds it in clear, the requester opens it', async () => {
  const sent: { method: string; url: string; body: string }[] = [];
  const client = new ControlPlaneClient({
    baseUrl: rig.server.url,
    secretKey: rig.provider.secretKey,
    fetch: async (url, init) => {
      sent.push({ method: String(init.method), url, body: typeof init.body === 'string' ? init.body : '' });
      return fetch(url, init);
    },
  });
  const offeringId = await offering(rig, 'script');
  const contract = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
  const pending = await client.pendingProvision();
  assert.equal(pending.find((p) => p.contract_id === contract.contract_id)?.requester_pubkey, rig.requester.publicKey);

  const agent = new Agent({
    client,
    provisioner: fixedPassword,
    polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 60, longPoll: false, orphanGraceSeconds: 60, reconcileIntervalSeconds: 60 },
    state: new StateFile(join(rig.dir, 'sealed-agent-state.json')),
  });
  await agent.pollOnce(new AbortController().signal);
  assert.equal(agent.stats.provisioned, 1);

  const report = sent.find((s) => s.url.endsWith(`/rental-requests/${contract.contract_id}/provisioning`) && s.body.includes('"provisioned"'));
  assert.ok(report, 'the provisioned report was sent');
  for (const s of sent) assert.ok(!s.body.includes(PASSWORD), `${s.method} ${s.url} carries the password in clear`);
  const details = JSON.parse((JSON.parse(report.body) as { instanceDetails: string }).instanceDetails) as Record<string, unknown>;
  assert.equal(details.root_password, undefined);
  assert.equal((details.sealed_credentials as { version: number }).version, 2);

  const done = await rig.requester.client.getContract(contract.contract_id);
  assert.equal(done.status, 'provisioned');
  assert.equal(done.has_credentials, true);
  const sealed = await rig.requester.client.getSealedCredentials(contract.contract_id);
  assert.equal(openCredentials(sealed, rig.requester.secretKey, contractAad(contract.contract_id)), PASSWORD);
  assert.throws(() => openCredentials(sealed, rig.provider.secretKey, contractAad(contract.contract_id)), /decryption failed/);
});

test('a clear password from an agent that does not seal is sealed by the server on arrival', async () => {
  const offeringId = await offering(rig, 'script');
  const contract = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
  assert.equal((await rig.provider.client.acquireLock(contract.contract_id)).acquired, true);
  await rig.provider.client.reportProvisioned(contract.contract_id, { external_id: 'dc-vm-1', root_password: PASSWORD });
  const sealed = await rig.requester.client.getSealedCredentials(contract.contract_id);
  assert.ok(!JSON.stringify(sealed).includes(PASSWORD));
  assert.equal(openCredentials(sealed, rig.requester.secretKey, contractAad(contract.contract_id)), PASSWORD);
});

test('sealed credentials bound to another contract, or sent beside a clear password, are refused', async () => {
  const offeringId = await offering(rig, 'script');
  const a = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
  const b = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
  const forB = sealCredentials(PASSWORD, rig.requester.publicKey, contractAad(b.contract_id));
  await assert.rejects(
    rig.provider.client.reportProvisioned(a.contract_id, { external_id: 'vm-a', sealed_credentials: forB }),
    (err: Error) => /contract id as AAD/.test(err.message),
  );
  const forA = sealCredentials(PASSWORD, rig.requester.publicKey, contractAad(a.contract_id));
  await assert.rejects(
    rig.provider.client.reportProvisioned(a.contract_id, { external_id: 'vm-a', sealed_credentials: forA, root_password: PASSWORD }),
    (err: Error) => /not both/.test(err.message),
  );
  await rig.provider.client.reportProvisioned(a.contract_id, { external_id: 'vm-a', sealed_credentials: forA });
  const sealed = await rig.requester.client.getSealedCredentials(a.contract_id);
  assert.equal(openCredentials(sealed, rig.requester.secretKey, contractAad(a.contract_id)), PASSWORD);
});
