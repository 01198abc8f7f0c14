/**
 * Crash test: the agent process is SIGKILLed at seeded random moments across 20 runs while
 * contracts keep arriving and some are terminated by their requesters; then a fresh agent
 * reconciles. Afterwards every live contract has exactly one VM and exactly one "provisioned"
 * transition, no VM outlives its contract, and a planted orphan is gone past the grace period.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { agentRun } from '../../src/agent/run.js';
import { seededRandom } from '../../src/emulator/engine/index.js';
import { contractIdFromLabels } from '../../src/agent/contract.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { formatNote, tagsToLabels } from '../../src/providers/proxmox/labels.js';
import { collect, offering, proxmoxSection, SSH_KEY, startRig, writeAgentConfig, type Rig } from './support/harness.js';

const RUNS = Number(process.env.FERRY_CRASH_RUNS ?? 20);
const SEED = Number(process.env.FERRY_CRASH_SEED ?? 20251216);
const childPath = fileURLToPath(new URL('./support/agent-child.js', import.meta.url));

/** The emulator's seeded PRNG, so a failing run can be replayed with FERRY_CRASH_SEED. */
const prng = seededRandom;

let rig: Rig;
let pve: ProxmoxClient;
before(async () => {
  rig = await startRig(['proxmox']);
  pve = new ProxmoxClient({ url: rig.emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'agent-secret', timeouts: { pollIntervalMs: 10 } });
});
after(() => rig.close());

async function agentVms(): Promise<{ vmid: number; contractId: string | null }[]> {
  const all = await pve.clusterVms();
  return all
    .filter((r) => r.type === 'qemu' && r.vmid !== 9000 && r.vmid !== 9001)
    .map((r) => ({ vmid: r.vmid!, contractId: contractIdFromLabels(tagsToLabels(r.tags)) }));
}

/** Runs the agent as a child and SIGKILLs it after killAfterMs. */
function runAndKill(config: string, killAfterMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childPath, config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

test(`agent SIGKILLed at random points across ${RUNS} runs (seed ${SEED}): no double provisioning, no orphan past the grace period`, async () => {
  const random = prng(SEED);
  const config = writeAgentConfig(rig, 'crash-agent', proxmoxSection(rig), { orphan_grace_seconds: 1, interval_seconds: 1 });
  const offeringId = await offering(rig, 'proxmox');

  // An instance nobody claims: made by "an agent" for a contract the control plane never had.
  const ghost = randomBytes(32).toString('hex');
  const ghostVmid = 555_555;
  await pve.waitTask(await pve.clone('pve1', 9000, { newid: ghostVmid, name: `dc-${ghost.slice(0, 20)}`, full: true, description: `${formatNote({ createId: 'x', created: new Date().toISOString(), image: 'template 9000' })}\ncontract: ${ghost}` }), 'planting an orphan');

  const contracts: string[] = [];
  const terminatedByRequester = new Set<string>();
  let killsMidProvision = 0;
  for (let run = 0; run < RUNS; run++) {
    for (let n = 0; n < 2; n++) {
      contracts.push((await rig.requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY })).contract_id);
    }
    // Now and then a requester ends a contract, whatever state it is in.
    if (random() < 0.3) {
      const pick = contracts[Math.floor(random() * contracts.length)]!;
      const c = await rig.requester.client.getContract(pick);
      if (c.status === 'provisioned' || c.status === 'provisioning') {
        await rig.requester.client.terminateContract(pick).then(() => terminatedByRequester.add(pick), () => undefined);
      }
    }
    const log = await runAndKill(config, 150 + Math.floor(random() * 900));
    if (/contract \w+: /.test(log) && !/stopped:/.test(log)) killsMidProvision++;
  }

  // A fresh agent: runs until every live contract is provisioned and only their VMs remain.
  const stop = new AbortController();
  const out = collect();
  const running = agentRun({ config, signal: stop.signal, timeouts: { pollIntervalMs: 10 } }, out);
  const settled = async (): Promise<boolean> => {
    const states = await Promise.all(contracts.map((id) => rig.requester.client.getContract(id)));
    const live = states.filter((c) => c.status !== 'terminated');
    if (live.some((c) => c.status !== 'provisioned')) return false;
    const vms = await agentVms();
    const want = new Set(live.map((c) => c.contract_id));
    return vms.length === want.size && vms.every((v) => v.contractId !== null && want.has(v.contractId));
  };
  // A bound, not a duration: the loop ends as soon as everything settled (a loaded machine needs longer).
  const deadline = Date.now() + 240_000;
  while (!(await settled())) {
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stop.abort();
  await running;

  const vms = await agentVms();
  const byContract = new Map<string, number>();
  for (const v of vms) if (v.contractId) byContract.set(v.contractId, (byContract.get(v.contractId) ?? 0) + 1);
  for (const id of contracts) {
    const c = await rig.requester.client.getContract(id);
    const provisionedSteps = (c.history ?? []).filter((h) => h.to_status === 'provisioned').length;
    if (c.status === 'terminated') {
      // A requester may end a contract while it is still provisioning: then it never reaches provisioned.
      assert.ok(provisionedSteps <= 1, `contract ${id} was provisioned ${provisionedSteps} times`);
      assert.equal(byContract.get(id) ?? 0, 0, `terminated contract ${id} still has a VM`);
    } else {
      assert.equal(c.status, 'provisioned', `contract ${id} ended ${c.status}: ${c.error}\n${out.lines.join("")}`);
      assert.equal(provisionedSteps, 1, `contract ${id} was provisioned ${provisionedSteps} times`);
      assert.equal(byContract.get(id), 1, `contract ${id} has ${byContract.get(id) ?? 0} VMs`);
      assert.equal(c.instance_details?.external_id, String(vms.find((v) => v.contractId === id)?.vmid));
    }
  }
  assert.ok(!vms.some((v) => v.vmid === ghostVmid), 'the planted orphan was terminated after its grace period');
  assert.equal(vms.length, [...byContract.values()].reduce((a, b) => a + b, 0), 'every VM belongs to a contract');
  console.log(`# crash test: ${RUNS} runs, ${contracts.length} contracts, ${terminatedByRequester.size} terminated by requesters, ${killsMidProvision} runs killed after reporting progress, ${vms.length} VMs at the end`);
});
