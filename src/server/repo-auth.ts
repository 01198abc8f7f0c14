/** Shared auth state: nonces (replay protection across replicas), parties and agent delegations. */
import type { Db } from '../store/db.js';
import type { AgentDelegation } from '../protocol/api.js';

/** Records a nonce; false when this signer already used it inside the window (a replay). */
export async function claimNonce(db: Db, signer: string, nonce: string, expiresAt: number): Promise<boolean> {
  const { changes } = await db.execute(
    'INSERT INTO cp_nonces (signer_pubkey, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [signer, nonce, expiresAt],
  );
  return changes === 1;
}

export async function purgeExpiredNonces(db: Db, now: number): Promise<number> {
  return (await db.execute('DELETE FROM cp_nonces WHERE expires_at < $1', [now])).changes;
}

export async function notePartyKey(db: Db, pubkey: string, now: number): Promise<void> {
  await db.execute('INSERT INTO cp_parties (pubkey, first_seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [pubkey, now]);
}

interface DelegationRow {
  agent_pubkey: string;
  provider_pubkey: string;
  label: string | null;
  expires_at_ns: number | null;
  created_at: number;
  revoked_at: number | null;
}

function toDelegation(r: DelegationRow): AgentDelegation {
  return {
    agentPubkey: r.agent_pubkey,
    providerPubkey: r.provider_pubkey,
    label: r.label,
    expiresAtNs: r.expires_at_ns === null ? null : Number(r.expires_at_ns),
    createdAtNs: Number(r.created_at) * 1_000_000,
    revoked: r.revoked_at !== null,
  };
}

/** The provider an agent key acts for, if its delegation is live. */
async function activeDelegation(db: Db, agentPubkey: string, nowMs: number): Promise<string | null> {
  const rows = await db.query<LiveRow>(
    'SELECT provider_pubkey, expires_at_ns FROM cp_agent_delegations WHERE agent_pubkey = $1 AND revoked_at IS NULL',
    [agentPubkey],
  );
  return liveProvider(rows[0], nowMs);
}

/**
 * An agent's request: the provider its key acts for (if live) and whether its nonce is fresh. On
 * PostgreSQL one statement does both, a round trip and a statement fewer on every poll; SQLite runs
 * in process, and its INSERT cannot sit in a WITH.
 */
export async function claimAgentNonce(
  db: Db,
  agentPubkey: string,
  nonce: string,
  expiresAt: number,
  nowMs: number,
): Promise<{ provider: string | null; fresh: boolean }> {
  if (db.dialect !== 'postgres') {
    const [provider, fresh] = await Promise.all([activeDelegation(db, agentPubkey, nowMs), claimNonce(db, agentPubkey, nonce, expiresAt)]);
    return { provider, fresh };
  }
  const [row] = await db.query<Partial<LiveRow> & { fresh: boolean }>(
    `WITH claimed AS (
       INSERT INTO cp_nonces (signer_pubkey, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM claimed) AS fresh, d.provider_pubkey, d.expires_at_ns
     FROM (SELECT 1) AS one LEFT JOIN cp_agent_delegations d ON d.agent_pubkey = $1 AND d.revoked_at IS NULL`,
    [agentPubkey, nonce, expiresAt],
  );
  return { provider: row?.provider_pubkey ? liveProvider(row as LiveRow, nowMs) : null, fresh: row?.fresh === true };
}

type LiveRow = Pick<DelegationRow, 'provider_pubkey' | 'expires_at_ns'>;

function liveProvider(row: LiveRow | undefined, nowMs: number): string | null {
  if (!row) return null;
  if (row.expires_at_ns !== null && Number(row.expires_at_ns) / 1_000_000 < nowMs) return null;
  return row.provider_pubkey;
}

/** Registers (or re-activates) an agent key for a provider. A key serves one provider at a time. */
export async function upsertDelegation(
  db: Db,
  d: { agentPubkey: string; providerPubkey: string; label: string | null; expiresAtNs: number | null },
  now: number,
  maxPerProvider = Infinity,
): Promise<AgentDelegation | null | 'quota'> {
  const [count] = await db.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM cp_agent_delegations WHERE provider_pubkey = $1 AND agent_pubkey <> $2',
    [d.providerPubkey, d.agentPubkey],
  );
  if (Number(count?.n ?? 0) >= maxPerProvider) return 'quota';
  const { changes } = await db.execute(
    `INSERT INTO cp_agent_delegations (agent_pubkey, provider_pubkey, label, expires_at_ns, created_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5, NULL)
     ON CONFLICT (agent_pubkey) DO UPDATE SET label = excluded.label, expires_at_ns = excluded.expires_at_ns, revoked_at = NULL
     WHERE cp_agent_delegations.provider_pubkey = excluded.provider_pubkey`,
    [d.agentPubkey, d.providerPubkey, d.label, d.expiresAtNs, now],
  );
  if (changes === 0) return null;
  const rows = await db.query<DelegationRow>('SELECT * FROM cp_agent_delegations WHERE agent_pubkey = $1', [d.agentPubkey]);
  return rows[0] ? toDelegation(rows[0]) : null;
}

export async function listDelegations(db: Db, providerPubkey: string): Promise<AgentDelegation[]> {
  const rows = await db.query<DelegationRow>(
    'SELECT * FROM cp_agent_delegations WHERE provider_pubkey = $1 ORDER BY created_at, agent_pubkey',
    [providerPubkey],
  );
  return rows.map(toDelegation);
}

export async function revokeDelegation(db: Db, providerPubkey: string, agentPubkey: string, now: number): Promise<boolean> {
  const { changes } = await db.execute(
    'UPDATE cp_agent_delegations SET revoked_at = $1 WHERE provider_pubkey = $2 AND agent_pubkey = $3 AND revoked_at IS NULL',
    [now, providerPubkey, agentPubkey],
  );
  return changes === 1;
}
