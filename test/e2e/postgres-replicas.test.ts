/**
 * The market on PostgreSQL with replicas: a throwaway cluster, two control-plane replicas
 * (startServer) on one database, three agents of one provider spread over the replicas, all on
 * one emulated Proxmox — once with a delegated agent key each, once all three signing with the
 * one provider key (only their instance ids tell their leases apart). Contracts are created through both replicas; every one must be provisioned
 * exactly once — one transition to provisioning and one to provisioned in its history, one
 * clone request and one VM on the emulator per contract — and after termination nothing is
 * left on the emulator. Skips loudly without Postgres binaries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentRun } from '../../src/agent/run.js';
import { startEmulator, type Emulator, type Exchange } from '../../src/emulator/index.js';
import type { Contract, ContractStatus } from '../../src/protocol/api.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair, type KeyPair } from '../../src/protocol/keys.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import type { Db } from '../../src/store/db.js';
import { openDb } from '../../src/store/open.js';
import { skipReason, startPostgres, type PgCluster } from '../support/postgres.js';

const CONTRACTS = 12;
const AGENTS = 3;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA requester@laptop';

const cluster: PgCluster | null = await startPostgres({ database: 'ferry_replicas' });
if (!cluster) console.warn(`\n*** postgres-replicas: ${skipReason()} ***\n`);

type KeyMode = 'delegated agent keys' | 'one shared provider key';

for (const mode of ['delegated agent keys', 'one shared provider key'] as KeyMode[]) {
describe(`${CONTRACTS} contracts, two replicas on one PostgreSQL, ${AGENTS} agents of one provider (${mode})`, { skip: cluster ? false : skipReason() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-replicas-'));
  const dbs: Db[] = [];
  const replicas: ServerHandle[] = [];
  const exchanges: Exchange[] = [];
  const stops: AbortController[] = [];
  const agentExits: Promise<number>[] = [];
  const agentLogs: string[][] = [];
  /** "<step> <contract id>" → the agents (by index) that reached that step, once per time. */
  const steps = new Map<string, number[]>();
  let emulator: Emulator;
  let provider: KeyPair;
  let requester: KeyPair;
  let pve: ProxmoxClient;
  /** The requester's client on replica i. */
  const requesterOn = (i: number) => new ControlPlaneClient({ baseUrl: replicas[i % replicas.length]!.url, secretKey: requester.secretKey });

  before(async () => {
    for (let i = 0; i < 2; i++) {
      const db = await openDb(cluster!.url, { env: {} });
      dbs.push(db);
      replicas.push(await startServer({ db, longPollIntervalMs: 50, quotas: { openContractsPerRequester: 100_000, contractsPerMinutePerRequester: 100_000 } }));
    }
    emulator = await startEmulator({ providers: ['proxmox'], timeScale: 2000, seed: 3, observe: (x) => exchanges.push(x) });
    pve = new ProxmoxClient({ url: emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'agent-secret' });
    provider = generateKeyPair();
    requester = generateKeyPair();
    const providerClient = new ControlPlaneClient({ baseUrl: replicas[0]!.url, secretKey: provider.secretKey });
    const shared = mode === 'one shared provider key';
    for (let i = 0; i < AGENTS; i++) {
      const agentKey = shared ? provider : generateKeyPair();
      if (!shared) await providerClient.delegateAgent(agentKey.secretKey, { label: `agent-${i}` });
      const keyFile = join(dir, `agent-${i}.key`);
      writeFileSync(keyFile, `${agentKey.secretKey}\n`, { mode: 0o600 });
      const config = join(dir, `agent-${i}.toml`);
      writeFileSync(config, `[api]
endpoint = "${replicas[i % 2]!.url}"
provider_pubkey = "${provider.publicKey}"
${shared ? 'provider_secret_key_file' : 'agent_secret_key_file'} = "${keyFile}"

[polling]
interval_seconds = 2
long_poll = true
health_check_interval_seconds = 1
reconcile_interval_seconds = 1
orphan_grace_seconds = 60

[agent]
state_dir = "${join(dir, `agent-${i}-state`)}"

[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "${emulator.urls.proxmox}"
api_token_id = "root@pam!agent"
api_token_secret = "agent-secret"
node = "pve1"
template_vmid = 9000
storage = "local-lvm"
`, { mode: 0o600 });
      const stop = new AbortController();
      const lines: string[] = [];
      stops.push(stop);
      agentLogs.push(lines);
      const onStep = (step: string, contractId: string) => {
        const key = `${step} ${contractId}`;
        steps.set(key, [...(steps.get(key) ?? []), i]);
      };
      agentExits.push(agentRun({ config, signal: stop.signal, timeouts: { pollIntervalMs: 10 }, onStep }, { write: (t) => void lines.push(t) }));
    }
  });

  after(async () => {
    for (const s of stops) s.abort();
    for (const code of await Promise.all(agentExits)) assert.equal(code, 0);
    for (const r of replicas) await r.close();
    for (const db of dbs) await db.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitAll(ids: string[], statuses: ContractStatus[], limitMs = 60_000): Promise<Contract[]> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const all = await Promise.all(ids.map((id, i) => requesterOn(i).getContract(id)));
      if (all.every((c) => statuses.includes(c.status))) return all;
      if (Date.now() > deadline) {
        const stuck = all.filter((c) => !statuses.includes(c.status)).map((c) => `${c.contract_id.slice(0, 8)}:${c.status}`);
        throw new Error(`still waiting for ${statuses.join('/')}: ${stuck.join(' ')}\n${agentLogs.map((l) => l.join('')).join('\n---\n')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const userVms = async () => (await pve.listVms('pve1')).filter((v) => !v.template);

  it('provisions every contract exactly once, then tears every VM down', async () => {
    const providerOnB = new ControlPlaneClient({ baseUrl: replicas[1]!.url, secretKey: provider.secretKey });
    const offering = await providerOnB.addOffering({ name: 'pve-small', cpu_cores: 1, memory_amount: '1 GB', storage_capacity: '10 GB', monthly_price: 5, provisioner_type: 'proxmox', auto_accept: true, auto_accept_budget: 10_000 });
    const created = await Promise.all(
      Array.from({ length: CONTRACTS }, (_, i) => requesterOn(i).createContract({ offering_id: offering.offering_id, requester_ssh_pubkey: SSH_KEY })),
    );
    const ids = created.map((c) => c.contract_id);
    const done = await waitAll(ids, ['provisioned', 'failed']);
    assert.deepEqual(done.filter((c) => c.status !== 'provisioned').map((c) => `${c.contract_id}: ${c.error}`), []);

    const byAgent = new Map<string, number>();
    for (const c of done) {
      const steps = c.history ?? [];
      const starts = steps.filter((h) => h.to_status === 'provisioning');
      const ends = steps.filter((h) => h.to_status === 'provisioned');
      assert.equal(starts.length, 1, `contract ${c.contract_id} started once`);
      assert.equal(ends.length, 1, `contract ${c.contract_id} provisioned once`);
      assert.equal(starts[0]!.actor, ends[0]!.actor, 'the agent that started it finished it');
      if (mode === 'delegated agent keys') {
        assert.match(starts[0]!.actor, /^agent:[0-9a-f]{64}$/);
        byAgent.set(starts[0]!.actor, (byAgent.get(starts[0]!.actor) ?? 0) + 1);
      } else {
        assert.equal(starts[0]!.actor, `provider:${provider.publicKey}`);
      }
    }
    // The server records "provisioned" a moment before the agent's step hook runs: let the hooks catch up.
    for (let n = 0; n < 200 && !ids.every((id) => steps.has(`reported ${id}`)); n++) await new Promise((r) => setTimeout(r, 25));
    // Every contract was provisioned once: no agent finished a contract another agent held.
    // (A lease may pass between agents after a retryable failure, so 'locked' may repeat.)
    for (const id of ids) {
      assert.deepEqual(steps.get(`provisioned ${id}`)?.length, 1, `contract ${id} provisioned by agents ${steps.get(`provisioned ${id}`)}`);
      assert.deepEqual(steps.get(`reported ${id}`)?.length, 1, `contract ${id}: one provisioning report accepted`);
    }
    if (mode === 'one shared provider key') {
      // One actor for all: the agents' own logs tell who provisioned what, and no contract twice.
      const claimed = agentLogs.map((l) => l.join('').match(/contract [0-9a-f]{64}: provisioned/g) ?? []);
      const all = claimed.flat().map((line) => line.slice(9, 73));
      assert.equal(all.length, CONTRACTS, 'one provisioning per contract across the agents');
      assert.deepEqual(new Set(all), new Set(ids));
      const instances = new Set(agentLogs.map((l) => /instance ([0-9a-f-]{36})/.exec(l.join(''))?.[1]));
      assert.equal(instances.size, AGENTS, 'each agent has its own instance id');
      claimed.forEach((c, i) => byAgent.set(`agent-${i}`, c.length));
    }
    console.log(`${mode}: contracts per agent: ${[...byAgent.values()].join(', ')} (${[...byAgent.values()].filter(Boolean).length} of ${AGENTS} agents took some)`);

    const clones = exchanges.filter((x) => x.method === 'POST' && /\/clone$/.test(x.path) && x.status < 300);
    assert.equal(clones.length, CONTRACTS, 'one clone request per contract');
    const vms = await userVms();
    assert.equal(vms.length, CONTRACTS, 'one VM per contract');
    const externalIds = new Set(done.map((c) => c.instance_details!.external_id));
    assert.equal(externalIds.size, CONTRACTS);
    assert.deepEqual(new Set(vms.map((v) => String(v.vmid))), externalIds);

    await Promise.all(ids.map((id, i) => requesterOn(i + 1).terminateContract(id)));
    const ended = await waitAll(ids, ['terminated']);
    for (const c of ended) assert.equal(c.history!.filter((h) => h.to_status === 'terminated').length, 1);
    assert.deepEqual(await userVms(), [], 'nothing left on the emulator');
  });
});
}

after(async () => {
  await cluster?.stop();
});
