/** The one interface every provisioner implements (the seed's Provisioner trait, plus listing for reconcile). */
import type { ProvisionerType } from '../config.js';
import type { ProvisionRequest } from '../contract.js';

/** What the agent reports once an instance exists (mirrors the wire InstanceDetails). */
export interface InstanceInfo {
  externalId: string;
  ipAddress?: string | null;
  ipv6Address?: string | null;
  sshPort?: number;
  /** Leaves the agent only sealed to the requester (see seal.ts), or in clear to a control plane that does not name the requester's key. */
  rootPassword?: string | null;
  additionalDetails?: unknown;
}

export type ProvisionOutcome =
  | { kind: 'provisioned'; instance: InstanceInfo }
  /** The manual provisioner: an operator completes the contract in the dashboard. */
  | { kind: 'pending_manual'; message: string };

export interface HealthResult {
  status: 'healthy' | 'unhealthy' | 'unknown';
  details?: string;
  latencyMs?: number;
}

export interface RunningInstance {
  externalId: string;
  /** The contract the instance was made for, when it says (labels, tags, the list script). */
  contractId: string | null;
}

export interface OpOptions {
  signal?: AbortSignal;
}

/** A failed provisioning step; retryPossible tells the agent a later attempt may succeed. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  /** Operator-side detail (a script's stderr): logged by the agent, never reported to the control plane. */
  readonly operatorDetail: string | undefined;
  constructor(
    message: string,
    readonly retryPossible: boolean,
    options?: { cause?: unknown; operatorDetail?: string },
  ) {
    super(message, options);
    this.operatorDetail = options?.operatorDetail;
  }
}

export interface Provisioner {
  readonly type: ProvisionerType;
  /** Idempotent per contract: after a crash the same call finds and finishes the first attempt. */
  provision(req: ProvisionRequest, o?: OpOptions): Promise<ProvisionOutcome>;
  /**
   * Idempotent: an instance already gone is success. With `contractId`, an id that now names
   * another contract's server (reused) means this contract's is gone: success, and nothing is touched.
   */
  terminate(externalId: string, o?: OpOptions, contractId?: string): Promise<void>;
  /**
   * With `contractId`, a server that vanished or whose id now names another server (not this
   * contract's) is unhealthy, and the details say so.
   */
  healthCheck(externalId: string, o?: OpOptions, contractId?: string): Promise<HealthResult>;
  /** The instances this provisioner made that still exist; null when it cannot tell (manual, script without `list`). */
  listRunning(o?: OpOptions): Promise<RunningInstance[] | null>;
}
