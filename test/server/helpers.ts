/** Test helpers: a fresh database per server, parties with keys, raw signed requests for attack tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../src/store/db.js';
import { openDb } from '../../src/store/open.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair, type KeyPair } from '../../src/protocol/keys.js';
import { signRequest, type SignOptions } from '../../src/protocol/signing.js';

export type DbFactory = () => Promise<{ db: Db; url: string; cleanup(): Promise<void> }>;

export const sqliteFactory: DbFactory = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cp-'));
  const url = `sqlite:${join(dir, 'cp.db')}`;
  const db = await openDb(url, { env: {} });
  return { db, url, cleanup: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
};

export interface Party extends KeyPair {
  client: ControlPlaneClient;
}

export function party(baseUrl: string): Party {
  const keys = generateKeyPair();
  return { ...keys, client: new ControlPlaneClient({ baseUrl, secretKey: keys.secretKey }) };
}

/** An agent key delegated by provider: signs with X-Agent-Pubkey on the provider's paths. */
export async function agentOf(baseUrl: string, provider: Party, label = 'agent'): Promise<Party> {
  const keys = generateKeyPair();
  await provider.client.delegateAgent(keys.secretKey, { label });
  return { ...keys, client: new ControlPlaneClient({ baseUrl, secretKey: keys.secretKey, role: 'agent', providerPubkey: provider.publicKey }) };
}

export interface RawResult {
  status: number;
  body: { success: boolean; data: unknown; error: string | null };
}

/** Sends a request whose signed parts and sent parts may differ, to test rejections. */
export async function rawSigned(
  baseUrl: string,
  secretKey: string,
  req: { method: string; path: string; body?: string; sendPath?: string; sendBody?: string; sign?: SignOptions; headers?: Record<string, string> },
): Promise<RawResult> {
  const headers = { ...signRequest(secretKey, req.method, req.path, req.body ?? '', req.sign ?? {}), ...req.headers };
  const sendBody = req.sendBody ?? req.body;
  const res = await fetch(baseUrl + (req.sendPath ?? req.path), {
    method: req.method,
    headers: sendBody ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(sendBody ? { body: sendBody } : {}),
  });
  return { status: res.status, body: (await res.json()) as RawResult['body'] };
}

export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA test@ferry';

export const OFFERING = {
  name: 'small-vm',
  cpu_cores: 2,
  memory_amount: '4 GB',
  storage_capacity: '50 GB',
  bandwidth_mbps: 100,
  monthly_price: 9.5,
  currency: 'EUR',
  provisioner_type: 'manual',
  provisioner_config: { note: 'dc-1' },
  post_provision_script: '#!/bin/sh\necho ready\n',
  auto_accept: true,
  auto_accept_budget: 100_000,
};

/** Quotas out of the way for suites that create many contracts from one key (the quota tests set their own). */
export const LOOSE_QUOTAS = { openContractsPerRequester: 100_000, contractsPerMinutePerRequester: 100_000 };
