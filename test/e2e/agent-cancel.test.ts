/**
 * A cancelled contract's server is deleted on the emulated Hetzner within a poll round: the agent
 * long-polls, its reconcile is an hour away, so only the poll's tear-down notice can have done it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentRun } from '../../src/agent/run.js';
import { collect, offering, SSH_KEY, startRig, waitStatus, writeAgentConfig, type Rig } from './support/harness.js';

let rig: Rig;
before(async () => {
  rig = await startRig(['hetzner']);
});
after(() => rig.close());

test('cloud: cancelling a provisioned contract deletes its server through the held poll, not the hourly reconcile', async () => {
  const config = writeAgentConfig(rig, 'cancel-agent', `[provisioner]
type = "cloud"

[provisioner.cloud]
provider = "hetzner"
region = "fsn1"
default_size = "cx22"
endpoint = "${rig.emulator.urls.hetzner}"

[provisioner.cloud.credentials]
token = "hetzner-token"
`, { interval_seconds: 30, long_poll: true, reconcile_interval_seconds: 3600, health_check_interval_seconds: 3600, orphan_grace_seconds: 3600 });
  const offeringId = await offering(rig, 'cloud');
  const stop = new AbortController();
  const out = collect();
  const running = agentRun({ config, signal: stop.signal, timeouts: { pollIntervalMs: 10 } }, out);
  try {
    const contract = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
    const done = await waitStatus(rig, contract.contract_id, ['provisioned', 'failed']);
    assert.equal(done.status, 'provisioned', `contract ended ${done.status}: ${done.error}`);
    const externalId = done.instance_details!.external_id;
    const server = () => fetch(`${rig.emulator.urls.hetzner}/v1/servers/${externalId}`, { headers: { authorization: 'Bearer t' } });
    assert.equal((await server()).status, 200);

    await rig.requester.client.terminateContract(contract.contract_id);
    const ended = await waitStatus(rig, contract.contract_id, ['terminated']);
    assert.deepEqual((ended.history ?? []).map((h) => h.to_status).slice(-2), ['terminating', 'terminated']);
    assert.equal((await server()).status, 404, 'the emulated server is gone');
    assert.match(out.lines.join(''), new RegExp(`contract ${contract.contract_id} is terminating: instance ${externalId} terminated`));
  } finally {
    stop.abort();
    assert.equal(await running, 0);
  }
});
