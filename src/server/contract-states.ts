/** The contract state machine: the only transitions the control plane will record. */
import type { ContractStatus } from '../protocol/api.js';

const NEXT: Readonly<Record<ContractStatus, readonly ContractStatus[]>> = {
  requested: ['pending_provisioning', 'rejected', 'cancelled'],
  pending_provisioning: ['provisioning', 'failed', 'cancelled'],
  provisioning: ['provisioned', 'failed', 'terminating'],
  provisioned: ['terminating'],
  // A failed attempt may have left a partial instance behind, so it is torn down like any other.
  failed: ['terminating', 'terminated'],
  terminating: ['terminated'],
  terminated: [],
  cancelled: [],
  rejected: [],
};

export function canTransition(from: ContractStatus, to: ContractStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses an agent can still provision from (a lapsed lease on 'provisioning' means its agent died). */
export const DISPATCHABLE: readonly ContractStatus[] = ['pending_provisioning', 'provisioning'];

/** The status of a contract whose instance an agent must remove now (a cancelled running contract). */
export const AWAITING_TEARDOWN: ContractStatus = 'terminating';

/** Statuses in which the requester no longer wants a running instance. */
export const TEAR_DOWN: readonly ContractStatus[] = ['terminating', 'terminated', 'cancelled', 'rejected', 'failed'];

export function isTerminal(status: ContractStatus): boolean {
  return NEXT[status].length === 0;
}
