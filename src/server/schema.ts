/**
 * Control-plane tables. Every piece of shared state lives here so several replicas can run
 * behind a load balancer: nonces (replay protection), contract leases, transitions, heartbeats.
 * Times are Unix milliseconds (BIGINT) unless the column name says _ns.
 */
import type { Migration } from '../store/db.js';

const tables = `
CREATE TABLE IF NOT EXISTS cp_parties (
  pubkey TEXT PRIMARY KEY,
  first_seen_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS cp_agent_delegations (
  agent_pubkey TEXT PRIMARY KEY,
  provider_pubkey TEXT NOT NULL,
  label TEXT,
  expires_at_ns BIGINT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE TABLE IF NOT EXISTS cp_offerings (
  offering_id TEXT PRIMARY KEY,
  provider_pubkey TEXT NOT NULL,
  name TEXT NOT NULL,
  cpu_cores INTEGER NOT NULL,
  memory_amount TEXT NOT NULL,
  storage_capacity TEXT NOT NULL,
  bandwidth_mbps INTEGER,
  monthly_price DOUBLE PRECISION NOT NULL,
  currency TEXT NOT NULL,
  provisioner_type TEXT,
  provisioner_config TEXT,
  post_provision_script TEXT,
  auto_accept INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  removed_at BIGINT
);
CREATE INDEX IF NOT EXISTS cp_offerings_provider ON cp_offerings (provider_pubkey);
CREATE TABLE IF NOT EXISTS cp_contracts (
  contract_id TEXT PRIMARY KEY,
  offering_id TEXT NOT NULL REFERENCES cp_offerings (offering_id),
  provider_pubkey TEXT NOT NULL,
  requester_pubkey TEXT NOT NULL,
  requester_ssh_pubkey TEXT NOT NULL,
  instance_config TEXT,
  status TEXT NOT NULL,
  instance_details TEXT,
  sealed_credentials TEXT,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS cp_contracts_provider_status ON cp_contracts (provider_pubkey, status);
CREATE INDEX IF NOT EXISTS cp_contracts_requester ON cp_contracts (requester_pubkey);
CREATE TABLE IF NOT EXISTS cp_contract_locks (
  contract_id TEXT PRIMARY KEY,
  holder_pubkey TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS cp_nonces (
  signer_pubkey TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (signer_pubkey, nonce)
);
CREATE INDEX IF NOT EXISTS cp_nonces_expiry ON cp_nonces (expires_at);
CREATE TABLE IF NOT EXISTS cp_agents (
  agent_pubkey TEXT PRIMARY KEY,
  provider_pubkey TEXT NOT NULL,
  version TEXT,
  provisioner_type TEXT,
  capabilities TEXT,
  active_contracts INTEGER NOT NULL,
  last_heartbeat_at BIGINT NOT NULL
);
`;

const withIdentity = (idColumn: string) => ({
  sqlite: `${idColumn} INTEGER PRIMARY KEY AUTOINCREMENT`,
  postgres: `${idColumn} BIGSERIAL PRIMARY KEY`,
});

function serialTables(dialect: 'sqlite' | 'postgres'): string {
  const id = withIdentity('id')[dialect];
  return `
CREATE TABLE IF NOT EXISTS cp_contract_transitions (
  ${id},
  contract_id TEXT NOT NULL REFERENCES cp_contracts (contract_id),
  from_status TEXT,
  to_status TEXT NOT NULL,
  actor TEXT NOT NULL,
  detail TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS cp_transitions_contract ON cp_contract_transitions (contract_id, id);
CREATE TABLE IF NOT EXISTS cp_health_checks (
  ${id},
  contract_id TEXT NOT NULL REFERENCES cp_contracts (contract_id),
  reporter_pubkey TEXT NOT NULL,
  checked_at_ns BIGINT NOT NULL,
  status TEXT NOT NULL,
  latency_ms INTEGER,
  details TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS cp_health_contract ON cp_health_checks (contract_id, id);
`;
}

export const controlPlaneMigrations: readonly Migration[] = [
  {
    id: 'cp_001_control_plane',
    sql: { sqlite: tables + serialTables('sqlite'), postgres: tables + serialTables('postgres') },
  },
  {
    // Automatic acceptance has a spending ceiling; signed-out dashboard sessions stay revoked on every replica.
    id: 'cp_002_market_hardening',
    sql: `
ALTER TABLE cp_offerings ADD COLUMN auto_accept_budget DOUBLE PRECISION;
CREATE TABLE IF NOT EXISTS cp_revoked_sessions (
  session_hash TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS cp_contracts_offering_status ON cp_contracts (offering_id, status);
CREATE INDEX IF NOT EXISTS cp_contracts_requester_created ON cp_contracts (requester_pubkey, created_at);
`,
  },
];
