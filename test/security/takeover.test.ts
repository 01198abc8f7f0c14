/**
 * Finding class 6: after a second agent takes a contract over (the first died mid-provision),
 * the password the requester receives must be the one that opens the server. Each agent derives
 * its own; the instance records which one it was built with, so the second agent either makes
 * its own the real one (before the first boot) or reports none (the SSH key still opens it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ProxmoxProvisionerConfig } from '../../src/agent/config.js';
import type { ProvisionRequest } from '../../src/agent/contract.js';
import { ProxmoxProvisioner } from '../../src/agent/provisioners/proxmox.js';
import { randomPasswordSeed } from '../../src/agent/provisioners/passwords.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SSH_KEY } from '../server/helpers.js';
import { Tally } from './support.js';

describe('takeover by a second agent (Proxmox, emulated)', () => {
  let emulator: Emulator;
  let config: ProxmoxProvisionerConfig;
  const timeouts = { pollIntervalMs: 10 };
  const tally = new Tally('takeover-password', 'agent');

  before(async () => {
    emulator = await startEmulator({ providers: ['proxmox'], timeScale: 2000, seed: 11 });
    config = { type: 'proxmox', apiUrl: emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'secret', node: 'pve1', templateVmid: 9000, storage: 'local-lvm', verifySsl: true, fullClone: true, ipConfig: 'ip=dhcp' };
  });
  after(async () => {
    console.log(tally.summary());
    await emulator?.close();
  });

  const request = (): ProvisionRequest => ({
    contractId: randomBytes(32).toString('hex'),
    offeringId: 'off-1',
    requesterSshPubkey: SSH_KEY,
    cpuCores: 1,
    memoryMb: 1024,
    storageGb: 10,
    instanceConfig: null,
    provisionerConfig: null,
    postProvisionScript: null,
  });
  const client = () => new ProxmoxClient({ url: config.apiUrl, tokenId: config.tokenId, tokenSecret: config.tokenSecret, verifyTls: true, timeouts });
  const agentWith = (c?: ProxmoxClient) => new ProxmoxProvisioner(config, { passwordSeed: randomPasswordSeed(), timeouts, ...(c ? { client: c } : {}) });
  const builtWith = async (vmid: string) => String((await client().vmConfig(config.node, Number(vmid)))?.cipassword);

  it('the first agent died after configuring but before the first boot: the second makes its password the real one', async () => {
    /** The first agent dies right before starting the VM. */
    class DiesBeforeStart extends ProxmoxClient {
      override async start(): Promise<string> {
        throw new Error('agent killed');
      }
    }
    const first = agentWith(new DiesBeforeStart({ url: config.apiUrl, tokenId: config.tokenId, tokenSecret: config.tokenSecret, verifyTls: true, timeouts }));
    const req = request();
    await assert.rejects(first.provision(req), /agent killed/);
    const out = await agentWith().provision(req);
    assert.ok(out.kind === 'provisioned');
    const reported = out.instance.rootPassword;
    const real = await builtWith(out.instance.externalId);
    tally.record('password reported after a takeover before boot opens the server', reported === real);
    assert.equal(reported, real);
  });

  it('the first agent died after the VM booted: the second reports no password rather than a wrong one', async () => {
    const first = agentWith();
    const req = request();
    const original = await first.provision(req);
    assert.ok(original.kind === 'provisioned');
    const real = await builtWith(original.instance.externalId);
    assert.equal(original.instance.rootPassword, real, 'the builder reports its own password');
    const out = await agentWith().provision(req);
    assert.ok(out.kind === 'provisioned');
    tally.record('no wrong password after a takeover of a running VM', out.instance.rootPassword === undefined || out.instance.rootPassword === real);
    assert.equal(out.instance.rootPassword, undefined);
    assert.match(JSON.stringify(out.instance.additionalDetails), /SSH key/);
    // The builder itself, resuming, still reports the real one.
    const again = await first.provision(req);
    assert.ok(again.kind === 'provisioned');
    assert.equal(again.instance.rootPassword, real);
  });
});
