/**
 * Contract end to end, per provisioner: a requester orders on the real control plane (SQLite),
 * the agent (long-poll) provisions on the emulator, the requester decrypts the credentials
 * the control plane sealed to its key, then asks for termination and the agent tears down.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { agentRun } from '../../src/agent/run.js';
import { derivePassword, passwordSeedFromKey } from '../../src/agent/provisioners/passwords.js';
import { contractAad, openCredentials } from '../../src/protocol/sealed-credentials.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { collect, offering, proxmoxSection, SSH_KEY, startRig, waitStatus, writeAgentConfig, type Rig } from './support/harness.js';

let rig: Rig;
before(async () => {
  rig = await startRig();
});
after(() => rig.close());

const timeouts = { pollIntervalMs: 10 };

async function withAgent<T>(config: string, body: () => Promise<T>): Promise<{ result: T; log: string }> {
  const stop = new AbortController();
  const out = collect();
  const running = agentRun({ config, signal: stop.signal, timeouts }, out);
  try {
    return { result: await body(), log: out.lines.join('') };
  } finally {
    stop.abort();
    assert.equal(await running, 0);
  }
}

async function orderAndCheck(provisionerType: string, config: string): Promise<{ id: string; externalId: string; password: string }> {
  const offeringId = await offering(rig, provisionerType);
  return (
    await withAgent(config, async () => {
      const contract = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      const done = await waitStatus(rig, contract.contract_id, ['provisioned', 'failed']);
      assert.equal(done.status, 'provisioned', `contract ended ${done.status}: ${done.error}`);
      assert.ok(done.instance_details?.external_id);
      assert.equal((done.instance_details as Record<string, unknown>).root_password, undefined, 'no password in clear in the contract');
      const sealed = await rig.requester.client.getSealedCredentials(contract.contract_id);
      const password = openCredentials(sealed, rig.requester.secretKey, contractAad(contract.contract_id));
      await rig.requester.client.terminateContract(contract.contract_id);
      const ended = await waitStatus(rig, contract.contract_id, ['terminated']);
      const steps = (ended.history ?? []).map((h) => h.to_status);
      assert.deepEqual(steps, ['requested', 'pending_provisioning', 'provisioning', 'provisioned', 'terminating', 'terminated']);
      return { id: contract.contract_id, externalId: done.instance_details.external_id, password };
    })
  ).result;
}

test('proxmox: provisioned on the emulated PVE, credentials decrypted by the requester, VM gone after termination', async () => {
  const config = writeAgentConfig(rig, 'pve-agent', proxmoxSection(rig));
  const { id, externalId, password } = await orderAndCheck('proxmox', config);
  assert.equal(password, derivePassword(passwordSeedFromKey(rig.provider.secretKey), id));
  const pve = new ProxmoxClient({ url: rig.emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'agent-secret' });
  assert.equal(await pve.vmStatus('pve1', Number(externalId)), null);
});

test('cloud: provisioned on the emulated Hetzner and deleted after termination', async () => {
  const config = writeAgentConfig(rig, 'cloud-agent', `[provisioner]
type = "cloud"

[provisioner.cloud]
provider = "hetzner"
region = "fsn1"
default_size = "cx22"
endpoint = "${rig.emulator.urls.hetzner}"

[provisioner.cloud.credentials]
token = "hetzner-token"
`);
  const { externalId } = await orderAndCheck('cloud', config);
  const res = await fetch(`${rig.emulator.urls.hetzner}/v1/servers/${externalId}`, { headers: { authorization: 'Bearer t' } });
  assert.equal(res.status, 404);
});

test('script: shell scripts keep instances as files; provisioned, then terminated through reconcile', async () => {
  const dir = join(rig.dir, 'script-vms');
  mkdirSync(dir);
  const script = (name: string, body: string) => {
    const p = join(rig.dir, name);
    writeFileSync(p, `#!/bin/sh\nset -e\nin=$(cat)\n${body}`, { mode: 0o755 });
    return p;
  };
  const provision = script('provision.sh', `id=$(printf '%s' "$in" | sed -n 's/.*"contract_id":"\\([0-9a-f]*\\)".*/\\1/p')
echo "$id" > ${dir}/vm-$id
printf '{"success":true,"instance":{"external_id":"vm-%s","ip_address":"192.0.2.10","ssh_port":22,"root_password":"pw-%s"}}\\n' "$id" "$id"
`);
  const terminate = script('terminate.sh', `ext=$(printf '%s' "$in" | sed -n 's/.*"external_id":"\\([^"]*\\)".*/\\1/p')
rm -f ${dir}/$ext
echo '{"success":true}'
`);
  const health = script('health.sh', `echo '{"success":true,"health":{"status":"healthy","uptime_seconds":5}}'\n`);
  const list = script('list.sh', `printf '{"success":true,"instances":['
sep=''
for f in ${dir}/vm-*; do [ -e "$f" ] || continue; printf '%s{"external_id":"%s","contract_id":"%s"}' "$sep" "$(basename $f)" "$(cat $f)"; sep=','; done
echo ']}'
`);
  const config = writeAgentConfig(rig, 'script-agent', `[provisioner]
type = "script"

[provisioner.script]
provision = "${provision}"
terminate = "${terminate}"
health_check = "${health}"
list = "${list}"
timeout_seconds = 10
`);
  const { id, password } = await orderAndCheck('script', config);
  assert.equal(password, `pw-${id}`);
  assert.deepEqual(readdirSync(dir), []);
});

test('manual: the webhook is notified and the contract waits in provisioning for the operator', async () => {
  const received: Record<string, unknown>[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const config = writeAgentConfig(rig, 'manual-agent', `[provisioner]\ntype = "manual"\n\n[provisioner.manual]\nnotification_webhook = "${url}"\n`);
    const offeringId = await offering(rig, 'manual');
    const { result: contract } = await withAgent(config, async () => {
      const c = await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      await waitStatus(rig, c.contract_id, ['provisioning']);
      while (received.length === 0) await new Promise((r) => setTimeout(r, 20));
      return c;
    });
    assert.equal(received.length, 1, 'one notification, not one per poll');
    assert.equal(received[0]!.contract_id, contract.contract_id);
    assert.equal(received[0]!.dashboard_url, `${rig.server.url}/dashboard/contracts/${contract.contract_id}`);
    assert.equal((await rig.requester.client.getContract(contract.contract_id)).status, 'provisioning');
  } finally {
    await new Promise<void>((r) => hook.close(() => r()));
  }
});
