/**
 * Contracts and their history. A status change is one conditional UPDATE (WHERE status = the
 * status we read) plus its transition row, in one transaction, so two replicas racing on the
 * same contract cannot both move it.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Contract, ContractStatus, ContractTransition, InstanceDetails, PendingContract, TeardownNotice } from '../protocol/api.js';
import { AWAITING_TEARDOWN, canTransition, DISPATCHABLE } from './contract-states.js';

interface Row {
  contract_id: string;
  offering_id: string;
  provider_pubkey: string;
  requester_pubkey: string;
  requester_ssh_pubkey: string;
  instance_config: string | null;
  status: ContractStatus;
  instance_details: string | null;
  sealed_credentials: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

function toContract(r: Row): Contract {
  return {
    contract_id: r.contract_id,
    offering_id: r.offering_id,
    provider_pubkey: r.provider_pubkey,
    requester_pubkey: r.requester_pubkey,
    requester_ssh_pubkey: r.requester_ssh_pubkey,
    instance_config: r.instance_config,
    status: r.status,
    instance_details: r.instance_details === null ? null : (JSON.parse(r.instance_details) as Contract['instance_details']),
    has_credentials: r.sealed_credentials !== null,
    error: r.error,
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

/** What a requester key may still do, checked inside the creating transaction (so replicas racing cannot overshoot). */
export interface CreateLimits {
  maxOpen: number;
  perMinute: number;
}

export type CreateResult = { ok: true; contract: Contract } | { ok: false; reason: 'open_quota' | 'rate'; retryAfterMs: number };

/** Statuses in which a contract still counts against its requester's quota. */
const OPEN = ['requested', 'pending_provisioning', 'provisioning', 'provisioned', 'terminating'];
/** Statuses in which an accepted contract still costs its provider money. */
const ACCEPTED_OPEN = ['pending_provisioning', 'provisioning', 'provisioned', 'terminating'];
const RATE_WINDOW_MS = 60_000;

export async function createContract(
  db: Db,
  c: {
    offeringId: string;
    provider: string;
    requester: string;
    sshPubkey: string;
    instanceConfig: string | null;
    /** Automatic acceptance, with its monthly ceiling for the open contracts on this offering. */
    autoAccept: { budget: number; monthlyPrice: number } | null;
  },
  now: number,
  limits: CreateLimits = { maxOpen: Infinity, perMinute: Infinity },
): Promise<CreateResult> {
  const id = randomBytes(32).toString('hex');
  const refused = await db.transaction(async (tx): Promise<CreateResult | null> => {
    const [recent] = await tx.query<{ n: number; oldest: number | null }>(
      'SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM cp_contracts WHERE requester_pubkey = $1 AND created_at > $2',
      [c.requester, now - RATE_WINDOW_MS],
    );
    if (Number(recent?.n ?? 0) >= limits.perMinute) {
      const oldest = Number(recent?.oldest ?? now);
      return { ok: false, reason: 'rate', retryAfterMs: Math.max(1000, oldest + RATE_WINDOW_MS - now) };
    }
    const [open] = await tx.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM cp_contracts WHERE requester_pubkey = $1 AND status IN (${OPEN.map((_, i) => `$${i + 2}`).join(', ')})`,
      [c.requester, ...OPEN],
    );
    if (Number(open?.n ?? 0) >= limits.maxOpen) return { ok: false, reason: 'open_quota', retryAfterMs: 0 };
    await tx.execute(
      `INSERT INTO cp_contracts (contract_id, offering_id, provider_pubkey, requester_pubkey, requester_ssh_pubkey, instance_config,
         status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7, $7)`,
      [id, c.offeringId, c.provider, c.requester, c.sshPubkey, c.instanceConfig, now],
    );
    await recordTransition(tx, id, null, 'requested', `requester:${c.requester}`, null, now);
    if (c.autoAccept && (await withinBudget(tx, c.offeringId, c.autoAccept))) {
      await tx.execute("UPDATE cp_contracts SET status = 'pending_provisioning' WHERE contract_id = $1", [id]);
      await recordTransition(tx, id, 'requested', 'pending_provisioning', 'system:auto-accept', null, now);
    }
    return null;
  });
  if (refused) return refused;
  return { ok: true, contract: (await getContract(db, id))! };
}

/** True while the accepted, unfinished contracts on the offering plus one more stay within the provider's ceiling. */
async function withinBudget(db: Db, offeringId: string, a: { budget: number; monthlyPrice: number }): Promise<boolean> {
  const [row] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM cp_contracts WHERE offering_id = $1 AND status IN (${ACCEPTED_OPEN.map((_, i) => `$${i + 2}`).join(', ')})`,
    [offeringId, ...ACCEPTED_OPEN],
  );
  return (Number(row?.n ?? 0) + 1) * a.monthlyPrice <= a.budget;
}

async function recordTransition(
  db: Db,
  id: string,
  from: ContractStatus | null,
  to: ContractStatus,
  actor: string,
  detail: string | null,
  now: number,
): Promise<void> {
  await db.execute(
    'INSERT INTO cp_contract_transitions (contract_id, from_status, to_status, actor, detail, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, from, to, actor, detail, now],
  );
}

export async function getContract(db: Db, id: string, withHistory = false): Promise<Contract | null> {
  const rows = await db.query<Row>('SELECT * FROM cp_contracts WHERE contract_id = $1', [id]);
  if (!rows[0]) return null;
  const contract = toContract(rows[0]);
  if (withHistory) contract.history = await history(db, id);
  return contract;
}

export async function sealedCredentialsOf(db: Db, id: string): Promise<string | null> {
  const rows = await db.query<{ sealed_credentials: string | null }>(
    'SELECT sealed_credentials FROM cp_contracts WHERE contract_id = $1',
    [id],
  );
  return rows[0]?.sealed_credentials ?? null;
}

export async function history(db: Db, id: string): Promise<ContractTransition[]> {
  const rows = await db.query<ContractTransition>(
    'SELECT from_status, to_status, actor, detail, at FROM cp_contract_transitions WHERE contract_id = $1 ORDER BY id',
    [id],
  );
  return rows.map((r) => ({ ...r, at: Number(r.at) }));
}

/**
 * One page of contracts, newest first, cut short once it reaches maxBytes (at least one row is
 * always returned). `before` is the cursor "<created_at>:<contract_id>" of the last row of the previous page.
 */
export async function listContracts(
  db: Db,
  by: { requester?: string; provider?: string; limit?: number; before?: { createdAt: number; contractId: string }; maxBytes?: number },
): Promise<Contract[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (by.requester) where.push(`requester_pubkey = $${params.push(by.requester)}`);
  else if (by.provider) where.push(`provider_pubkey = $${params.push(by.provider)}`);
  if (by.before) {
    const t = params.push(by.before.createdAt);
    const id = params.push(by.before.contractId);
    where.push(`(created_at < $${t} OR (created_at = $${t} AND contract_id > $${id}))`);
  }
  const rows = await db.query<Row>(
    `SELECT * FROM cp_contracts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, contract_id LIMIT $${params.push(by.limit ?? 100)}`,
    params,
  );
  return withinBytes(rows.map(toContract), by.maxBytes ?? Infinity);
}

/** The leading items whose JSON adds up to at most maxBytes; never fewer than one. */
export function withinBytes<T>(items: T[], maxBytes: number): T[] {
  if (!Number.isFinite(maxBytes)) return items;
  let total = 0;
  const out: T[] = [];
  for (const item of items) {
    total += Buffer.byteLength(JSON.stringify(item));
    if (out.length > 0 && total > maxBytes) break;
    out.push(item);
  }
  return out;
}

export type TransitionResult =
  | { ok: true; contract: Contract }
  | { ok: false; reason: 'not_found' | 'invalid'; status?: ContractStatus };

export interface TransitionChange {
  to: ContractStatus;
  actor: string;
  detail?: string | null;
  /** Columns set together with the status. */
  set?: { instance_details?: string | null; sealed_credentials?: string | null; error?: string | null };
  /** Same-status reports (a repeated "started") succeed without a new history row. */
  idempotent?: boolean;
}

/** Moves a contract along the state machine; every step is recorded with time and actor. */
export async function transition(db: Db, id: string, steps: readonly TransitionChange[], now: number): Promise<TransitionResult> {
  const result = await db.transaction(async (tx): Promise<TransitionResult> => {
    const rows = await tx.query<{ status: ContractStatus }>('SELECT status FROM cp_contracts WHERE contract_id = $1', [id]);
    if (!rows[0]) return { ok: false, reason: 'not_found' };
    let current = rows[0].status;
    for (const step of steps) {
      if (step.idempotent && current === step.to) continue;
      if (!canTransition(current, step.to)) return { ok: false, reason: 'invalid', status: current };
      const set = step.set ?? {};
      const columns = Object.keys(set) as (keyof typeof set)[];
      const extra = columns.map((c, i) => `, ${c} = $${i + 5}`).join('');
      const { changes } = await tx.execute(
        `UPDATE cp_contracts SET status = $1, updated_at = $2${extra} WHERE contract_id = $3 AND status = $4`,
        [step.to, now, id, current, ...columns.map((c) => set[c] ?? null)],
      );
      if (changes !== 1) return { ok: false, reason: 'invalid', status: current };
      await recordTransition(tx, id, current, step.to, step.actor, step.detail ?? null, now);
      current = step.to;
    }
    return { ok: true, contract: null as unknown as Contract };
  });
  if (!result.ok) return result;
  return { ok: true, contract: (await getContract(db, id, true))! };
}

interface PendingRow {
  contract_id: string;
  offering_id: string;
  requester_pubkey: string;
  requester_ssh_pubkey: string;
  instance_config: string | null;
  status: ContractStatus;
  cpu_cores: number;
  memory_amount: string;
  storage_capacity: string;
  provisioner_type: string | null;
  provisioner_config: string | null;
  post_provision_script: string | null;
}

/**
 * The offering `o` may go to the agent whose key is bound to `param`: either side without a
 * provisioner type matches anything (no agent key: no filter). The agent's type is read inside the
 * query, saving every poll a round trip.
 */
function offeringFitsAgent(param: string): string {
  return `(o.provisioner_type IS NULL OR o.provisioner_type = ''
          OR COALESCE((SELECT LOWER(a.provisioner_type) FROM cp_agents a WHERE a.agent_pubkey = ${param}), '') IN ('', LOWER(o.provisioner_type)))`;
}

/**
 * Contracts an agent of this provider may start: pending, or 'provisioning' whose lease lapsed
 * (its agent died) — never one another holder (see leaseHolder) has a live lease on, and only
 * those whose offering's provisioner type is the agent's (when both are known).
 */
export async function pendingForProvider(
  db: Db,
  provider: string,
  holder: string,
  now: number,
  bounds: { rows: number; bytes: number } = { rows: 50, bytes: 1024 * 1024 },
  agent: string | null = null,
): Promise<PendingContract[]> {
  const rows = await db.query<PendingRow>(
    `SELECT c.contract_id, c.offering_id, c.requester_pubkey, c.requester_ssh_pubkey, c.instance_config, c.status,
            o.cpu_cores, o.memory_amount, o.storage_capacity, o.provisioner_type, o.provisioner_config, o.post_provision_script
       FROM cp_contracts c
       JOIN cp_offerings o ON o.offering_id = c.offering_id
       LEFT JOIN cp_contract_locks l ON l.contract_id = c.contract_id
      WHERE c.provider_pubkey = $1 AND c.status IN ($2, $3)
        AND (l.contract_id IS NULL OR l.expires_at < $4 OR l.holder_pubkey = $5)
        AND ${offeringFitsAgent('$7')}
      ORDER BY c.created_at, c.contract_id
      LIMIT $6`,
    [provider, DISPATCHABLE[0], DISPATCHABLE[1], now, holder, bounds.rows, agent ?? ''],
  );
  const contracts = rows.map((r) => {
    const p: PendingContract = {
      contract_id: r.contract_id,
      offering_id: r.offering_id,
      requester_ssh_pubkey: r.requester_ssh_pubkey,
      cpu_cores: Number(r.cpu_cores),
      memory_amount: r.memory_amount,
      storage_capacity: r.storage_capacity,
      status: r.status,
      requester_pubkey: r.requester_pubkey,
    };
    if (r.instance_config !== null) p.instance_config = r.instance_config;
    if (r.provisioner_type !== null) p.provisioner_type = r.provisioner_type;
    if (r.provisioner_config !== null) p.provisioner_config = r.provisioner_config;
    if (r.post_provision_script !== null) p.post_provision_script = r.post_provision_script;
    return p;
  });
  return withinBytes(contracts, bounds.bytes);
}

/**
 * Contracts of this provider waiting for their instance to be torn down that entered that state at
 * or after `since` (the agent's cursor), oldest first, for offerings of the agent's provisioner type.
 * When there are more than `rows`, `resumeAt` is where the next page starts.
 */
export async function teardownForProvider(
  db: Db,
  provider: string,
  since: number,
  rows: number,
  agent: string | null = null,
): Promise<{ notices: TeardownNotice[]; resumeAt: number | null }> {
  const found = await db.query<{ contract_id: string; status: ContractStatus; updated_at: number }>(
    `SELECT c.contract_id, c.status, c.updated_at
       FROM cp_contracts c
       JOIN cp_offerings o ON o.offering_id = c.offering_id
      WHERE c.provider_pubkey = $1 AND c.status = $2 AND c.updated_at >= $3
        AND ${offeringFitsAgent('$5')}
      ORDER BY c.updated_at, c.contract_id
      LIMIT $4`,
    [provider, AWAITING_TEARDOWN, since, rows, agent ?? ''],
  );
  return {
    notices: found.map((r) => ({ contract_id: r.contract_id, status: r.status })),
    resumeAt: found.length === rows ? Number(found[found.length - 1]!.updated_at) : null,
  };
}

/** Splits reported instance details: the credentials are stored sealed elsewhere, the rest as is. */
export function publicDetails(details: InstanceDetails): string {
  const { root_password: _secret, sealed_credentials: _sealed, ...rest } = details;
  return JSON.stringify(rest);
}
