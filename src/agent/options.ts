/** What the agent loop is given and what it counts (apart, so the loop and its worker share them). */
import type { ControlPlaneClient } from '../protocol/client.js';
import type { PollingConfig } from './config.js';
import type { Provisioner } from './provisioners/types.js';
import type { StateFile } from './state.js';

export interface AgentOptions {
  client: ControlPlaneClient;
  provisioner: Provisioner;
  polling: PollingConfig;
  state: StateFile;
  log?: (line: string) => void;
  now?: () => number;
  random?: () => number;
  /** Attempts of a provision whose failures say retry_possible. */
  maxAttempts?: number;
  /** Backoff before retry n (1-based). */
  retryDelayMs?: (attempt: number) => number;
  /**
   * How often the contract lease is renewed while a provision runs (default 60 s; the control
   * plane's lease lasts 5 minutes), so a slow clone is not taken over by another agent.
   */
  leaseRenewMs?: number;
  /** Hook for tests and the crash harness: called at each step of a provision. */
  onStep?: (step: 'locked' | 'started' | 'provisioned' | 'reported', contractId: string) => void;
  /** Applied to every log line and every failure report (see redaction.ts). */
  redact?: (text: string) => string;
  /** Every wait of the loops; injectable so a soak can count requests per interval without spending the wall time. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Pause before a contract whose handling threw unexpectedly is tried again (n = consecutive failures). */
  errorBackoffMs?: (n: number) => number;
}

/** What one poll did: contracts the control plane returned, and those this agent acted on. */
export interface PollResult {
  returned: number;
  /** Locked and provisioned, failed or reported, or torn down: parked and backing-off contracts are not work. */
  worked: number;
  /** Tear-down notices handled (ours or not): they are not sent again, so the next poll can follow at once. */
  noticesHandled: number;
}

export interface AgentStats {
  polls: number;
  provisioned: number;
  failed: number;
  skippedLocked: number;
  /** Contracts whose handling threw unexpectedly (isolated: the others were still handled). */
  errors: number;
  /** Entries of a poll answer that were not contracts (no valid contract_id): ignored. */
  malformed: number;
  /** Instances removed because a poll said their contract ended. */
  tornDown: number;
}
