/**
 * The Proxmox provisioner against the emulated PVE API, or against a real Proxmox VE when
 * PROXMOX_TEST_URL (+ PROXMOX_TEST_TOKEN_ID, PROXMOX_TEST_TOKEN_SECRET, PROXMOX_TEST_NODE,
 * PROXMOX_TEST_TEMPLATE_VMID, optional PROXMOX_TEST_STORAGE) is set: the same tests either way.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ProxmoxProvisionerConfig } from '../../src/agent/config.js';
import type { ProvisionRequest } from '../../src/agent/contract.js';
import { ProxmoxProvisioner } from '../../src/agent/provisioners/proxmox.js';
import { derivePassword, randomPasswordSeed } from '../../src/agent/provisioners/passwords.js';
import { ProvisionError } from '../../src/agent/provisioners/types.js';
import { ProxmoxClient, type ConfigUpdate } from '../../src/providers/proxmox/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const real = process.env.PROXMOX_TEST_URL;
let emulator: Emulator | undefined;
let config: ProxmoxProvisionerConfig;
const timeouts = real ? { pollIntervalMs: 2000 } : { pollIntervalMs: 10 };
const seed = randomPasswordSeed();

before(async () => {
  if (real) {
    config = {
      type: 'proxmox',
      apiUrl: real,
      tokenId: process.env.PROXMOX_TEST_TOKEN_ID ?? '',
      tokenSecret: process.env.PROXMOX_TEST_TOKEN_SECRET ?? '',
      node: process.env.PROXMOX_TEST_NODE ?? 'pve',
      templateVmid: Number(process.env.PROXMOX_TEST_TEMPLATE_VMID ?? 9000),
      verifySsl: false,
      fullClone: true,
      ipConfig: 'ip=dhcp',
      ...(process.env.PROXMOX_TEST_STORAGE ? { storage: process.env.PROXMOX_TEST_STORAGE } : {}),
    };
    console.log(`# proxmox provisioner tests against the real Proxmox VE at ${real}`);
  } else {
    emulator = await startEmulator({ providers: ['proxmox'], timeScale: 2000, seed: 7 });
    config = { type: 'proxmox', apiUrl: emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'secret', node: 'pve1', templateVmid: 9000, storage: 'local-lvm', verifySsl: true, fullClone: true, ipConfig: 'ip=dhcp' };
    console.log('# proxmox provisioner tests against the emulated PVE API (set PROXMOX_TEST_URL for a real one)');
  }
});
after(async () => {
  await emulator?.close();
});

function request(): ProvisionRequest {
  return {
    contractId: randomBytes(32).toString('hex'),
    offeringId: 'off-1',
    requesterSshPubkey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1dGVzdGtleWZvcmZlcnJ5YWdlbnR0ZXN0cw requester@laptop',
    cpuCores: 2,
    memoryMb: 3072,
    storageGb: 20,
    instanceConfig: null,
    provisionerConfig: null,
    postProvisionScript: null,
  };
}

const provisioner = (client?: ProxmoxClient) => new ProxmoxProvisioner(config, { passwordSeed: seed, timeouts, ...(client ? { client } : {}) });

test('provision clones the template with cloud-init, cores and memory from the contract; terminate removes it', async () => {
  const p = provisioner();
  const req = request();
  const out = await p.provision(req);
  assert.equal(out.kind, 'provisioned');
  if (out.kind !== 'provisioned') return;
  const vmid = Number(out.instance.externalId);
  assert.ok(vmid >= 100_000, `deterministic id in ferry's range, got ${vmid}`);
  assert.equal(out.instance.rootPassword, derivePassword(seed, req.contractId));
  if (!real) assert.match(out.instance.ipAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);

  const conf = await p.client.vmConfig(config.node, vmid);
  assert.equal(conf?.cores, 2);
  assert.equal(Number(conf?.memory), 3072);
  assert.equal(conf?.ciuser, 'root');
  assert.equal(decodeURIComponent(String(conf?.sshkeys)).trim(), req.requesterSshPubkey);
  assert.ok(conf?.cipassword, 'a root password was set');
  assert.match(String(conf?.tags), new RegExp(`dc-contract-0\\+${req.contractId.slice(0, 32)}`));

  assert.deepEqual((await p.listRunning()).filter((r) => r.contractId === req.contractId), [{ externalId: String(vmid), contractId: req.contractId }]);
  assert.equal((await p.healthCheck(String(vmid))).status, 'healthy');

  await p.terminate(String(vmid));
  assert.equal(await p.client.vmStatus(config.node, vmid), null);
  await p.terminate(String(vmid)); // already gone: success
  assert.equal((await p.healthCheck(String(vmid))).status, 'unhealthy');
});

test('a second provision of the same contract finds the first VM instead of cloning another', async () => {
  const p = provisioner();
  const req = request();
  const first = await p.provision(req);
  const second = await p.provision(req);
  assert.ok(first.kind === 'provisioned' && second.kind === 'provisioned');
  assert.equal(second.instance.externalId, first.instance.externalId);
  assert.equal(second.instance.rootPassword, first.instance.rootPassword);
  assert.equal((await p.listRunning()).filter((r) => r.contractId === req.contractId).length, 1);
  await p.terminate(first.instance.externalId);
});

/** Fails the config write once, as if the agent died right after the clone. */
class CrashAfterClone extends ProxmoxClient {
  crashed = false;
  override async updateConfig(node: string, vmid: number, params: ConfigUpdate, o?: { signal?: AbortSignal }): Promise<void> {
    if (!this.crashed) {
      this.crashed = true;
      throw new Error('agent killed');
    }
    return super.updateConfig(node, vmid, params, o);
  }
}

test('a clone left unconfigured by a crash is listed with its contract and adopted by the next provision', async () => {
  const client = new CrashAfterClone({ url: config.apiUrl, tokenId: config.tokenId, tokenSecret: config.tokenSecret, verifyTls: config.verifySsl, timeouts });
  const p = provisioner(client);
  const req = request();
  await assert.rejects(p.provision(req), /agent killed/);
  const listed = (await p.listRunning()).filter((r) => r.contractId === req.contractId);
  assert.equal(listed.length, 1, 'the half-made VM is found through its clone note');
  const out = await p.provision(req);
  assert.ok(out.kind === 'provisioned');
  assert.equal(out.instance.externalId, listed[0]!.externalId);
  const conf = await p.client.vmConfig(config.node, Number(out.instance.externalId));
  assert.match(String(conf?.tags), /managed-by\+ferry/);
  await p.terminate(out.instance.externalId);
});

test('VMs the agent did not make are never destroyed; a missing template is a clear failure', async () => {
  const p = provisioner();
  await assert.rejects(p.terminate(String(config.templateVmid)), (err: unknown) => err instanceof ProvisionError && /not made by the ferry agent/.test(err.message));
  const broken = new ProxmoxProvisioner({ ...config, templateVmid: 987_654_321 }, { passwordSeed: seed, timeouts });
  await assert.rejects(broken.provision(request()), (err: unknown) => err instanceof ProvisionError && /template VM 987654321 not found/.test(err.message) && !err.retryPossible);
});

test('a bad token is an authentication failure that is not retried', { skip: Boolean(real) }, async () => {
  const p = new ProxmoxProvisioner({ ...config, tokenSecret: 'invalid-secret' }, { passwordSeed: seed, timeouts });
  await assert.rejects(p.provision(request()), (err: unknown) => err instanceof ProvisionError && !err.retryPossible && /auth/i.test(err.message));
});

test('terminate for a contract whose VMID now names another contract\'s VM leaves that VM alone', async () => {
  const p = provisioner();
  const req = request();
  const out = await p.provision(req);
  assert.ok(out.kind === 'provisioned');
  const vmid = out.instance.externalId;
  await p.terminate(vmid, {}, request().contractId);
  assert.ok((await p.listRunning()).some((r) => r.externalId === vmid), 'another contract\'s VM is never destroyed');
  await p.terminate(vmid, {}, req.contractId);
  assert.equal((await p.listRunning()).some((r) => r.externalId === vmid), false, 'its own contract\'s VM is');
});
