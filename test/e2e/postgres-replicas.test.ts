/**
 * The market on PostgreSQL with replicas: a throwaway cluster, two control-plane replicas
 * (startServer) on one database, three agents of one provider (each with its own delegated
 * agent key, so the contract lease tells them apart) spread over the replicas, all on one
 * emulated Proxmox. Contracts are created through both replicas; every one must be provisioned
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

describe(`${CONTRACTS} contracts, two replicas on one PostgreSQL, ${AGENTS} agents of one provider`, { skip: cluster ? false : skipReason() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-replicas-'));
  const dbs: Db[] = [];
  const replicas: ServerHandle[] = [];
  const exchanges: Exchange[] = [];
  const stops: AbortController[] = [];
  const agentExits: Promise<number>[] = [];
  const agentLogs: string[][] = [];
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
      replicas.push(await startServer({ db, longPollIntervalMs: 50 }));
    }
    emulator = await startEmulator({ providers: ['proxmox'], timeScale: 2000, seed: 3, observe: (x) => exchanges.push(x) });
    pve = new ProxmoxClient({ url: emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'agent-secret' });
    provider = generateKeyPair();
    requester = generateKeyPair();
    const providerClient = new ControlPlaneClient({ baseUrl: replicas[0]!.url, secretKey: provider.secretKey });
    for (let i = 0; i < AGENTS; i++) {
      const agentKey = generateKeyPair();
      await providerClient.registerAgent({ agentPubkey: agentKey.publicKey, label: `agent-${i}` });
      const keyFile = join(dir, `agent-${i}.key`);
      writeFileSync(keyFile, `${agentKey.secretKey}\n`, { mode: 0o600 });
      const config = join(dir, `agent-${i}.toml`);
      writeFileSync(config, `[api]
endpoint = "${replicas[i % 2]!.url}"
provider_pubkey = "${provider.publicKey}"
agent_secret_key_file = "${keyFile}"

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
      agentExits.push(agentRun({ config, signal: stop.signal, timeouts: { pollIntervalMs: 10 } }, { write: (t) => void lines.push(t) }));
    }
  });

  after(async () => {
    for (const s of stops) s.abort();
    for (const code of await Promise.all(agentExits)) assert.equal(code, 0);
    for (const r of replicas) await r.close();
    for (const db of dbs) await db.close();
    await emulator?.close();
    await cluster?.stop();
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
    const offering = await providerOnB.addOffering({ name: 'pve-small', cpu_cores: 1, memory_amount: '1 GB', storage_capacity: '10 GB', monthly_price: 5, provisioner_type: 'proxmox' });
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
      assert.match(starts[0]!.actor, /^agent:[0-9a-f]{64}$/);
      byAgent.set(starts[0]!.actor, (byAgent.get(starts[0]!.actor) ?? 0) + 1);
    }
    console.log(`contracts per agent: ${[...byAgent.values()].join(', ')} (${byAgent.size} of ${AGENTS} agents took some)`);

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
