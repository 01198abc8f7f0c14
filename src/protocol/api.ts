/**
 * Wire types of the control-plane API. Agent endpoints follow Decent Cloud exactly:
 * responses wrap in {success, data, error}; pending contracts are snake_case
 * (ContractWithSpecs); agent request bodies and lock/heartbeat/reconcile replies are
 * camelCase (dcc_common::api_types). ferry's own market endpoints use snake_case.
 */
import type { SealedCredentials } from './sealed-credentials.js';

export interface Envelope<T> {
  success: boolean;
  data?: T | null;
  error?: string | null;
}

export const CONTRACT_STATUSES = [
  'requested',
  'pending_provisioning',
  'provisioning',
  'provisioned',
  'failed',
  'terminating',
  'terminated',
  'cancelled',
  'rejected',
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** GET /api/v1/providers/{pubkey}/contracts/pending-provision → data: PendingContract[] */
export interface PendingContract {
  contract_id: string;
  offering_id: string;
  requester_ssh_pubkey: string;
  /** A JSON document as a string, as Decent Cloud sends it. */
  instance_config?: string;
  cpu_cores?: number;
  /** e.g. "16 GB" */
  memory_amount?: string;
  /** e.g. "100 GB" */
  storage_capacity?: string;
  provisioner_type?: string;
  /** A JSON document as a string. */
  provisioner_config?: string;
  post_provision_script?: string;
  /** ferry extension: pending_provisioning, or provisioning when a crashed agent's lease lapsed. */
  status?: ContractStatus;
  /** ferry extension: the requester's Ed25519 key (hex), so the agent seals credentials before they leave it. */
  requester_pubkey?: string;
}

/**
 * ferry extension: a contract of this provider whose instance must go (the requester or the
 * provider ended it), sent with the poll so the agent tears it down without waiting to reconcile.
 */
export interface TeardownNotice {
  contract_id: string;
  status: ContractStatus;
}

/**
 * ferry extension: the answer to pending-provision?teardown=<cursor>. A Decent Cloud server ignores
 * the parameter and answers the bare PendingContract list; an agent that does not send it gets the list too.
 */
export interface AgentPoll {
  pending: PendingContract[];
  /** Contracts that entered tear-down at or after the cursor sent (all of them for cursor 0). */
  teardown: TeardownNotice[];
  /** The control plane's clock (ms) when it looked: send it back as the next poll's cursor. */
  cursor: number;
}

/** What an agent reports once an instance exists (dc-agent's Instance, snake_case). */
export interface InstanceDetails {
  external_id: string;
  ip_address?: string | null;
  ipv6_address?: string | null;
  public_ip?: string | null;
  ssh_port?: number;
  /** In clear (Decent Cloud agents): the server seals it to the requester on arrival and never stores it. */
  root_password?: string | null;
  /** ferry extension: the password already sealed by the agent (version 2, AAD = contract id); excludes root_password. */
  sealed_credentials?: SealedCredentials | null;
  additional_details?: unknown;
}

/** PUT|POST /api/v1/provider/rental-requests/{id}/provisioning */
export interface ProvisioningStatusRequest {
  /** "provisioning" (started), "provisioned", or "provisioning_failed" ("failed" accepted too). */
  status: string;
  /** JSON InstanceDetails for provisioned; the error message for failed. */
  instanceDetails?: string | null;
  /** ferry extension: the reporting agent process (see LockRequest); absent = the signing key alone. */
  agentInstanceId?: string;
}

/** POST /api/v1/provider/contracts/{id}/health */
export interface HealthCheckRequest {
  /** Nanoseconds since the epoch. */
  checkedAt: number;
  status: 'healthy' | 'unhealthy' | 'unknown' | string;
  latencyMs?: number;
  details?: string;
}

export interface HealthCheckRecord {
  id: number;
  contractId: string;
  checkedAt: number;
  status: string;
  latencyMs?: number;
  details?: string;
  createdAt: number;
}

/** POST /api/v1/providers/{pubkey}/heartbeat */
export interface HeartbeatRequest {
  version?: string | null;
  provisionerType?: string | null;
  capabilities?: string[] | null;
  activeContracts: number;
}

export interface HeartbeatResponse {
  acknowledged: boolean;
  nextHeartbeatSeconds: number;
}

/** POST /api/v1/providers/{pubkey}/reconcile */
export interface ReconcileRequest {
  runningInstances: { externalId: string; contractId?: string | null }[];
}

export interface ReconcileResponse {
  keep: { externalId: string; contractId: string; endsAt: number }[];
  terminate: { externalId: string; contractId: string; reason: string }[];
  unknown: { externalId: string; message: string }[];
  pause: { externalId: string; contractId: string; reason: string }[];
}

/**
 * POST|DELETE /api/v1/providers/{pubkey}/contracts/{id}/lock body (ferry extension, optional).
 * Agents sharing one key are told apart by a stable per-process id: the lease holder is the
 * key plus this id. Without it (Decent Cloud agents) the key alone holds the lease.
 */
export interface LockRequest {
  agentInstanceId?: string;
}

/** Allowed agent instance ids: a UUID fits, and so does any short token-safe name. */
export const AGENT_INSTANCE_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export interface LockResponse {
  acquired: boolean;
  expiresAtNs: number;
}

/** POST /api/v1/providers/{pubkey}/agent-delegations (camelCase, as Decent Cloud's AgentDelegation) */
export interface AgentDelegationRequest {
  agentPubkey: string;
  /** Hex Ed25519 signature by the agent key of delegationMessage(provider, agent): proof the delegator holds it. */
  agentSignature: string;
  label?: string;
  /** Nanoseconds; absent = no expiry. */
  expiresAtNs?: number;
}

export interface AgentDelegation {
  agentPubkey: string;
  providerPubkey: string;
  label?: string | null;
  expiresAtNs?: number | null;
  createdAtNs: number;
  revoked: boolean;
}

/** POST /api/v1/providers/{pubkey}/offerings */
export interface OfferingInput {
  name: string;
  cpu_cores: number;
  memory_amount: string;
  storage_capacity: string;
  bandwidth_mbps?: number;
  monthly_price: number;
  currency?: string;
  provisioner_type?: string;
  /** A JSON document (object or string). */
  provisioner_config?: unknown;
  post_provision_script?: string;
  /**
   * Default false: contracts wait for the provider's answer. true accepts them automatically, and
   * needs auto_accept_budget: while the open contracts on this offering plus the new one cost at
   * most that much per month; past it, new contracts wait for an answer again.
   */
  auto_accept?: boolean;
  /** Monthly spending ceiling (in the offering's currency) of automatic acceptance. */
  auto_accept_budget?: number;
}

export interface Offering {
  offering_id: string;
  provider_pubkey: string;
  name: string;
  cpu_cores: number;
  memory_amount: string;
  storage_capacity: string;
  bandwidth_mbps: number | null;
  monthly_price: number;
  currency: string;
  provisioner_type: string | null;
  provisioner_config: string | null;
  post_provision_script: string | null;
  auto_accept: boolean;
  auto_accept_budget: number | null;
  created_at: number;
}

/** What anyone may read of an offering: the provider's provisioner settings and script stay private. */
export type PublicOffering = Omit<Offering, 'provisioner_config' | 'post_provision_script' | 'auto_accept_budget'>;

/** POST /api/v1/contracts */
export interface ContractCreateRequest {
  offering_id: string;
  requester_ssh_pubkey: string;
  /** A JSON document (object or string). */
  instance_config?: unknown;
}

export interface ContractTransition {
  from_status: ContractStatus | null;
  to_status: ContractStatus;
  actor: string;
  detail: string | null;
  at: number;
}

export interface Contract {
  contract_id: string;
  offering_id: string;
  provider_pubkey: string;
  requester_pubkey: string;
  requester_ssh_pubkey: string;
  instance_config: string | null;
  status: ContractStatus;
  /** Instance details without secrets. */
  instance_details: Omit<InstanceDetails, 'root_password'> | null;
  has_credentials: boolean;
  error: string | null;
  created_at: number;
  updated_at: number;
  history?: ContractTransition[];
}

/** POST /api/v1/provider/rental-requests/{id}/respond (Decent Cloud's RentalResponseRequest) */
export interface RentalResponseRequest {
  accept: boolean;
  memo?: string;
}

export interface AgentStatus {
  agent_pubkey: string;
  provider_pubkey: string;
  version: string | null;
  provisioner_type: string | null;
  capabilities: string[];
  active_contracts: number;
  last_heartbeat_at: number;
}
