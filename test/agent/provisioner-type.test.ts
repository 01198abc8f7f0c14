/** An offering's provisioner type is enforced on both sides: the server dispatches, the agent refuses. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { ScriptProvisioner } from '../../src/agent/provisioners/script.js';
import { StateFile } from '../../src/agent/state.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { offering, SSH_KEY, startRig, type Rig } from '../e2e/support/harness.js';

let rig: Rig;
before(async () => {
  rig = await startRig([]);
});
after(() => rig.close());

const signal = new AbortController().signal;

function scriptAgent(marker: string) {
  const dir = mkdtempSync(join(rig.dir, 'scripts-'));
  const write = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\ncat >/dev/null\n${body}`, { mode: 0o755 });
    return path;
  };
  const provision = write('p.sh', `touch ${marker}\necho '{"success":true,"instance":{"external_id":"vm-1"}}'\n`);
  const ok = write('ok.sh', 'echo \'{"success":true}\'\n');
  const client = new ControlPlaneClient({ baseUrl: rig.server.url, secretKey: rig.provider.secretKey });
  const agent = new Agent({
    client,
    provisioner: new ScriptProvisioner({ type: 'script', provision, terminate: ok, healthCheck: ok, timeoutSeconds: 10, maxOutputBytes: 65536 }),
    polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 1, longPoll: false, orphanGraceSeconds: 1, reconcileIntervalSeconds: 1 },
    state: new StateFile(join(mkdtempSync(join(rig.dir, 'state-')), 'agent.json')),
    retryDelayMs: () => 0,
  });
  return { agent, client };
}

test('a contract on an offering published for proxmox is never provisioned by a script agent', async () => {
  const proxmoxOffering = await offering(rig, 'proxmox');
  const id = (await rig.requester.client.createContract({ offering_id: proxmoxOffering, requester_ssh_pubkey: SSH_KEY })).contract_id;
  const marker = join(mkdtempSync(join(rig.dir, 'marker-')), 'provisioned');
  const { agent, client } = scriptAgent(marker);

  // Before any heartbeat the server does not know the agent's type: the agent itself refuses.
  assert.ok((await client.pendingProvision()).some((c) => c.contract_id === id), 'handed out while the type is unknown');
  await agent.pollOnce(signal);
  assert.equal(existsSync(marker), false, 'the script never ran');
  assert.equal((await rig.requester.client.getContract(id)).status, 'pending_provisioning');

  // Once the heartbeat declared the type, the server hands the contract only to a matching agent.
  await agent.heartbeat();
  assert.equal((await client.pendingProvision()).some((c) => c.contract_id === id), false, 'not dispatched to a script agent');
  assert.equal((await client.acquireLock(id)).acquired, false, 'the lease is refused too');
  await agent.pollOnce(signal);
  assert.equal(existsSync(marker), false);

  // A matching offering is provisioned by the same agent.
  const scriptOffering = await offering(rig, 'script');
  const ok = (await rig.requester.client.createContract({ offering_id: scriptOffering, requester_ssh_pubkey: SSH_KEY })).contract_id;
  await agent.pollOnce(signal);
  assert.equal((await rig.requester.client.getContract(ok)).status, 'provisioned');
  assert.equal((await rig.requester.client.getContract(id)).status, 'pending_provisioning', 'the proxmox contract waits for a proxmox agent');
});
