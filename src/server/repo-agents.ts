/** Agent heartbeats and per-contract health reports, for the dashboard and the status API. */
import type { Db } from '../store/db.js';
import type { AgentStatus, HealthCheckRecord, HeartbeatRequest } from '../protocol/api.js';

export async function recordHeartbeat(db: Db, agent: string, provider: string, hb: HeartbeatRequest, now: number): Promise<void> {
  await db.execute(
    `INSERT INTO cp_agents (agent_pubkey, provider_pubkey, version, provisioner_type, capabilities, active_contracts, last_heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (agent_pubkey) DO UPDATE SET provider_pubkey = excluded.provider_pubkey, version = excluded.version,
       provisioner_type = excluded.provisioner_type, capabilities = excluded.capabilities,
       active_contracts = excluded.active_contracts, last_heartbeat_at = excluded.last_heartbeat_at`,
    [agent, provider, hb.version ?? null, hb.provisionerType ?? null, JSON.stringify(hb.capabilities ?? []), Math.trunc(hb.activeContracts ?? 0), now],
  );
}

/** The provisioner type an agent key last declared in its heartbeat (lower-case), or null. */
export async function agentProvisionerType(db: Db, agent: string): Promise<string | null> {
  const rows = await db.query<{ provisioner_type: string | null }>('SELECT provisioner_type FROM cp_agents WHERE agent_pubkey = $1', [agent]);
  const type = rows[0]?.provisioner_type;
  return type ? type.toLowerCase() : null;
}

/** The provisioner type an offering was published for (removed offerings included), or null. */
export async function offeringProvisionerType(db: Db, offeringId: string): Promise<string | null> {
  const rows = await db.query<{ provisioner_type: string | null }>('SELECT provisioner_type FROM cp_offerings WHERE offering_id = $1', [offeringId]);
  return rows[0]?.provisioner_type || null;
}

/** Whether an agent of `agentType` may provision an offering published for `offeringType` (unset on either side: yes). */
export function provisionerMatches(offeringType: string | null | undefined, agentType: string | null | undefined): boolean {
  if (!offeringType || !agentType) return true;
  return offeringType.toLowerCase() === agentType.toLowerCase();
}

interface AgentRow extends Omit<AgentStatus, 'capabilities'> {
  capabilities: string | null;
}

export async function listAgents(db: Db, provider?: string): Promise<AgentStatus[]> {
  const rows = provider
    ? await db.query<AgentRow>('SELECT * FROM cp_agents WHERE provider_pubkey = $1 ORDER BY last_heartbeat_at DESC', [provider])
    : await db.query<AgentRow>('SELECT * FROM cp_agents ORDER BY last_heartbeat_at DESC');
  return rows.map((r) => ({
    ...r,
    capabilities: r.capabilities ? (JSON.parse(r.capabilities) as string[]) : [],
    active_contracts: Number(r.active_contracts),
    last_heartbeat_at: Number(r.last_heartbeat_at),
  }));
}

export async function recordHealth(
  db: Db,
  contractId: string,
  reporter: string,
  h: { checkedAt: number; status: string; latencyMs?: number | null; details?: string | null },
  now: number,
): Promise<HealthCheckRecord> {
  await db.execute(
    `INSERT INTO cp_health_checks (contract_id, reporter_pubkey, checked_at_ns, status, latency_ms, details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [contractId, reporter, h.checkedAt, h.status, h.latencyMs ?? null, h.details ?? null, now],
  );
  const [latest] = await healthOf(db, contractId, 1);
  return latest!;
}

interface HealthRow {
  id: number;
  contract_id: string;
  checked_at_ns: number;
  status: string;
  latency_ms: number | null;
  details: string | null;
  created_at: number;
}

export async function healthOf(db: Db, contractId: string, limit = 20): Promise<HealthCheckRecord[]> {
  const rows = await db.query<HealthRow>(
    'SELECT * FROM cp_health_checks WHERE contract_id = $1 ORDER BY id DESC LIMIT $2',
    [contractId, limit],
  );
  return rows.map((r) => {
    const rec: HealthCheckRecord = {
      id: Number(r.id),
      contractId: r.contract_id,
      checkedAt: Number(r.checked_at_ns),
      status: r.status,
      createdAt: Number(r.created_at) * 1_000_000,
    };
    if (r.latency_ms !== null) rec.latencyMs = Number(r.latency_ms);
    if (r.details !== null) rec.details = r.details;
    return rec;
  });
}
