/**
 * Contract leases. Acquire is one atomic upsert: it inserts, or takes over a lapsed lease, or
 * extends the caller's own — so among concurrent attempts from any number of replicas exactly
 * one wins (the database's unique key decides, not process memory). A holder is a signing key,
 * or a key plus an agent instance id when several agent processes share one key.
 */
import type { Db } from '../store/db.js';

export const LEASE_MS = 5 * 60 * 1000;

export async function acquireLock(db: Db, contractId: string, holder: string, now: number, leaseMs = LEASE_MS): Promise<{ acquired: boolean; expiresAt: number }> {
  const expiresAt = now + leaseMs;
  const { changes } = await db.execute(
    `INSERT INTO cp_contract_locks (contract_id, holder_pubkey, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (contract_id) DO UPDATE SET holder_pubkey = excluded.holder_pubkey, expires_at = excluded.expires_at
     WHERE cp_contract_locks.expires_at < $4 OR cp_contract_locks.holder_pubkey = excluded.holder_pubkey`,
    [contractId, holder, expiresAt, now],
  );
  if (changes === 1) return { acquired: true, expiresAt };
  const rows = await db.query<{ expires_at: number }>('SELECT expires_at FROM cp_contract_locks WHERE contract_id = $1', [contractId]);
  return { acquired: false, expiresAt: Number(rows[0]?.expires_at ?? 0) };
}

export async function releaseLock(db: Db, contractId: string, holder: string): Promise<boolean> {
  const { changes } = await db.execute('DELETE FROM cp_contract_locks WHERE contract_id = $1 AND holder_pubkey = $2', [contractId, holder]);
  return changes === 1;
}

/** Drops the lease once the contract no longer needs one (provisioned, failed, terminated). */
export async function clearLock(db: Db, contractId: string): Promise<void> {
  await db.execute('DELETE FROM cp_contract_locks WHERE contract_id = $1', [contractId]);
}

export async function lockHolder(db: Db, contractId: string, now: number): Promise<string | null> {
  const rows = await db.query<{ holder_pubkey: string }>(
    'SELECT holder_pubkey FROM cp_contract_locks WHERE contract_id = $1 AND expires_at >= $2',
    [contractId, now],
  );
  return rows[0]?.holder_pubkey ?? null;
}
