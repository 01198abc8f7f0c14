/**
 * End-to-end rig: the real control plane (startServer on a throwaway SQLite), the emulated
 * provider APIs, a provider and a requester with their own keys, and agent configuration
 * files written the way an operator would (secret key in a 0600 file).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerHandle } from '../../../src/server/server.js';
import { openDb } from '../../../src/store/open.js';
import type { Db } from '../../../src/store/db.js';
import { ControlPlaneClient } from '../../../src/protocol/client.js';
import { generateKeyPair, type KeyPair } from '../../../src/protocol/keys.js';
import type { Contract, ContractStatus } from '../../../src/protocol/api.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';

export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA requester@laptop';

export interface Party extends KeyPair {
  client: ControlPlaneClient;
}

export interface Rig {
  dir: string;
  server: ServerHandle;
  db: Db;
  emulator: Emulator;
  provider: Party;
  requester: Party;
  close(): Promise<void>;
}

export async function startRig(providers: string[] = ['proxmox', 'hetzner']): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-e2e-'));
  const db = await openDb(`sqlite:${join(dir, 'cp.db')}`, { env: {} });
  const server = await startServer({ db, host: '127.0.0.1', port: 0, operatorToken: 'operator-token', longPollIntervalMs: 50, quotas: { openContractsPerRequester: 100_000, contractsPerMinutePerRequester: 100_000 } });
  const emulator = await startEmulator({ providers, timeScale: 2000, seed: 11 });
  const mk = (): Party => {
    const k = generateKeyPair();
    return { ...k, client: new ControlPlaneClient({ baseUrl: server.url, secretKey: k.secretKey }) };
  };
  return {
    dir,
    server,
    db,
    emulator,
    provider: mk(),
    requester: mk(),
    close: async () => {
      await server.close();
      await emulator.close();
      await db.close();
    },
  };
}

/** The provider's secret in a 0600 file and an agent.toml pointing at it; returns the config path. */
export function writeAgentConfig(rig: Rig, name: string, provisioner: string, polling: Record<string, number | boolean> = {}): string {
  const keyFile = join(rig.dir, `${name}.key`);
  writeFileSync(keyFile, `${rig.provider.secretKey}\n`, { mode: 0o600 });
  const poll = { interval_seconds: 2, long_poll: true, health_check_interval_seconds: 1, reconcile_interval_seconds: 1, orphan_grace_seconds: 2, ...polling };
  const path = join(rig.dir, `${name}.toml`);
  writeFileSync(
    path,
    `[api]
endpoint = "${rig.server.url}"
provider_pubkey = "${rig.provider.publicKey}"
provider_secret_key_file = "${keyFile}"

[polling]
${Object.entries(poll).map(([k, v]) => `${k} = ${v}`).join('\n')}

[agent]
state_dir = "${join(rig.dir, `${name}-state`)}"

${provisioner}
`,
    { mode: 0o600 },
  );
  return path;
}

export function proxmoxSection(rig: Rig): string {
  return `[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "${rig.emulator.urls.proxmox}"
api_token_id = "root@pam!agent"
api_token_secret = "agent-secret"
node = "pve1"
template_vmid = 9000
storage = "local-lvm"
`;
}

export async function offering(rig: Rig, provisionerType: string): Promise<string> {
  const o = await rig.provider.client.addOffering({
    name: `${provisionerType}-small`,
    cpu_cores: 2,
    memory_amount: '4 GB',
    storage_capacity: '50 GB',
    monthly_price: 10,
    currency: 'EUR',
    provisioner_type: provisionerType,
    auto_accept: true,
    auto_accept_budget: 10_000,
  });
  return o.offering_id;
}

/** Polls the contract until its status is one of `statuses`. */
export async function waitStatus(rig: Rig, id: string, statuses: ContractStatus[], limitMs = 30_000): Promise<Contract> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const c = await rig.requester.client.getContract(id);
    if (statuses.includes(c.status)) return c;
    if (Date.now() > deadline) throw new Error(`contract ${id} stayed ${c.status}, expected ${statuses.join(' or ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const collect = () => {
  const lines: string[] = [];
  return { lines, write: (t: string) => void lines.push(t) };
};
