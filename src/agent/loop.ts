/**
 * The agent loop (Nomad's client: register → heartbeat with jitter → poll → diff → apply →
 * report → persist). Four loops share one AbortSignal: heartbeat, poll/provision, health
 * checks, reconcile. Every wait listens to the signal; an in-flight provision is aborted and
 * left resumable (journaled before it started, its instance found again by its deterministic
 * name on the next run).
 */
import { ProviderError, sleep } from '../core/index.js';
import type { InstanceDetails, PendingContract } from '../protocol/api.js';
import type { ControlPlaneClient } from '../protocol/client.js';
import type { PollingConfig } from './config.js';
import { toProvisionRequest, validatePending } from './contract.js';
import { isStrongPublicKey } from '../protocol/keys.js';
import type { InstanceInfo, Provisioner } from './provisioners/types.js';
import { ProvisionError } from './provisioners/types.js';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { sealForRequester } from './seal.js';
import type { StateFile } from './state.js';

export const AGENT_VERSION = 'ferry-agent/0.1.0';
const MIN_HEARTBEAT_SECONDS = 5;
const MAX_HEARTBEAT_SECONDS = 3600;

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
  /** Locked and provisioned, failed or reported: parked and backing-off contracts are not work. */
  worked: number;
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
}

export function toWireDetails(i: InstanceInfo): InstanceDetails {
  const d: InstanceDetails = { external_id: i.externalId };
  if (i.ipAddress !== undefined) d.ip_address = i.ipAddress;
  if (i.ipv6Address !== undefined) d.ipv6_address = i.ipv6Address;
  if (i.sshPort !== undefined) d.ssh_port = i.sshPort;
  if (i.rootPassword !== undefined) d.root_password = i.rootPassword;
  if (i.additionalDetails !== undefined) d.additional_details = i.additionalDetails;
  return d;
}

const cancelled = (err: unknown, signal: AbortSignal): boolean =>
  signal.aborted || ProviderError.is(err, 'cancelled') || (err instanceof Error && err.name === 'AbortError');

export class Agent {
  readonly stats: AgentStats = { polls: 0, provisioned: 0, failed: 0, skippedLocked: 0, errors: 0, malformed: 0 };
  private readonly log: (line: string) => void;
  private readonly redact: (text: string) => string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private heartbeatSeconds = 60;
  private lastReconcile: ReconcileResult | null = null;
  /** Contracts refused for their provisioner type, logged once each. */
  private readonly refusedType = new Map<string, string>();

  constructor(private readonly o: AgentOptions) {
    this.redact = o.redact ?? ((t) => t);
    const log = o.log ?? (() => undefined);
    this.log = (line) => log(this.redact(line));
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? sleep;
  }

  /** ±20 % so a fleet restarted together does not poll in lockstep. */
  private jitter(ms: number): number {
    return Math.round(ms * (0.8 + 0.4 * this.random()));
  }

  /** Runs until the signal aborts; resolves once every loop has stopped. */
  async run(signal: AbortSignal): Promise<void> {
    await this.heartbeat().catch((err: Error) => this.log(`heartbeat failed: ${err.message}`));
    await this.reconcileOnce(signal).catch((err: Error) => cancelled(err, signal) || this.log(`start-up reconcile failed: ${err.message}`));
    const every = (name: string, intervalMs: () => number, step: () => Promise<unknown>) =>
      (async () => {
        while (!signal.aborted) {
          try {
            await this.sleep(this.jitter(intervalMs()), signal);
            await step();
          } catch (err) {
            if (cancelled(err, signal)) return;
            this.log(`${name} failed: ${(err as Error).message}`);
          }
        }
      })();
    await Promise.all([
      every('heartbeat', () => this.heartbeatSeconds * 1000, () => this.heartbeat()),
      every('health check', () => this.o.polling.healthCheckIntervalSeconds * 1000, () => this.healthChecks(signal)),
      every('reconcile', () => this.o.polling.reconcileIntervalSeconds * 1000, () => this.reconcileOnce(signal)),
      this.pollLoop(signal),
    ]);
  }

  async heartbeat(): Promise<void> {
    const r = await this.o.client.heartbeat({
      version: AGENT_VERSION,
      provisionerType: this.o.provisioner.type,
      capabilities: this.o.polling.longPoll ? ['long-poll'] : [],
      activeContracts: this.activeInstances().size,
    });
    // The control plane suggests the pace, within bounds: 0.001 s must not become a tight loop.
    const next = Number(r?.nextHeartbeatSeconds);
    if (Number.isFinite(next) && next > 0) this.heartbeatSeconds = Math.min(Math.max(next, MIN_HEARTBEAT_SECONDS), MAX_HEARTBEAT_SECONDS);
  }

  /**
   * Polls until shutdown. It sleeps one interval after every poll that brought no work: parked
   * contracts (an operator's manual provisioning, a retry backoff, another agent's lease) come back
   * in every answer, and re-asking at once would cost hundreds of requests a second. Only a
   * long-poll that waited its full time and came back empty is re-issued straight away.
   */
  private async pollLoop(signal: AbortSignal): Promise<void> {
    const intervalMs = this.o.polling.intervalSeconds * 1000;
    while (!signal.aborted) {
      const started = this.now();
      try {
        const { returned, worked } = await this.pollOnce(signal);
        const heldFull = this.o.polling.longPoll && returned === 0 && this.now() - started >= intervalMs / 2;
        if (worked === 0 && !heldFull) await this.sleep(this.jitter(intervalMs), signal);
      } catch (err) {
        if (cancelled(err, signal)) return;
        this.log(`poll failed: ${(err as Error).message}`);
        // Retry-After is the server's to suggest, within bounds (a timer past 2^31 ms fires at once).
        const wait = err instanceof ProviderError && err.retryAfterMs ? Math.min(Math.max(err.retryAfterMs, 1000), 3_600_000) : intervalMs;
        await this.sleep(this.jitter(wait), signal).catch(() => undefined);
      }
    }
  }

  /** One poll and the provisioning of what it returned. One contract failing never stops the others. */
  async pollOnce(signal: AbortSignal): Promise<PollResult> {
    const wait = this.o.polling.longPoll ? Math.min(60, this.o.polling.intervalSeconds) : 0;
    const answer: unknown = await this.o.client.pendingProvision({ waitSeconds: wait, signal });
    this.stats.polls++;
    if (!Array.isArray(answer)) throw new ProviderError({ kind: 'api', provider: 'control-plane', message: 'pending-provision answered something other than a list' });
    let worked = 0;
    for (const entry of answer) {
      if (signal.aborted) break;
      const c = validatePending(entry);
      if (typeof c === 'string') {
        this.stats.malformed++;
        this.log(`ignored a pending entry: ${c}`);
        continue;
      }
      try {
        if (await this.handle(c, signal)) worked++;
      } catch (err) {
        if (cancelled(err, signal)) break;
        this.isolate(c.contract_id, err);
      }
    }
    return { returned: answer.length, worked };
  }

  /** Records an unexpected failure on one contract and parks it with a growing backoff; the lease goes back. */
  private isolate(id: string, err: unknown): void {
    this.stats.errors++;
    const known = this.o.state.contract(id);
    const streak = (known?.errors ?? 0) + 1;
    // From one poll interval, doubling with each consecutive failure: a transient error costs one
    // interval, a contract that always fails ends up tried about once an hour.
    const intervalMs = this.o.polling.intervalSeconds * 1000;
    const delay = Math.min((this.o.errorBackoffMs ?? ((n) => intervalMs * 2 ** (n - 1)))(streak), 3_600_000);
    const message = this.redact(err instanceof Error ? err.message : String(err));
    this.o.state.setContract(id, {
      phase: 'retry_wait',
      attempts: known?.attempts ?? 0,
      errors: streak,
      nextAttemptAt: this.now() + delay,
      lastError: message,
      updatedAt: this.now(),
      ...(known?.externalId ? { externalId: known.externalId } : {}),
    });
    this.log(`contract ${id}: ${message}; set aside for ${Math.round(delay / 1000)} s (failure ${streak} in a row), the others carry on`);
    void this.o.client.releaseLock(id).catch(() => undefined);
  }

  /** True when this agent did work on the contract (as opposed to finding it parked or locked). */
  private async handle(c: PendingContract, signal: AbortSignal): Promise<boolean> {
    const id = c.contract_id;
    const known = this.o.state.contract(id);
    if (known?.phase === 'manual') return false;
    if (known?.phase === 'retry_wait' && (known.nextAttemptAt ?? 0) > this.now()) return false;
    // An offering published for another provisioner is never provisioned here (an agent of its type takes it).
    const wanted = c.provisioner_type?.trim().toLowerCase();
    if (wanted && wanted !== this.o.provisioner.type) {
      if (this.refusedType.get(id) !== wanted) this.log(`contract ${id}: its offering is for the ${wanted} provisioner, this agent runs ${this.o.provisioner.type}; left to another agent`);
      this.refusedType.set(id, wanted);
      return false;
    }
    const lock = await this.o.client.acquireLock(id);
    if (!lock.acquired) {
      this.stats.skippedLocked++;
      return false;
    }
    this.o.onStep?.('locked', id);
    // Credentials are sealed to this key: one that is no real Ed25519 key (small-order, non-canonical) cannot be served.
    if (c.requester_pubkey !== undefined && !isStrongPublicKey(c.requester_pubkey)) {
      await this.o.client.reportFailed(id, 'the requester key is not a valid Ed25519 public key: credentials cannot be sealed to it');
      this.o.state.deleteContract(id);
      this.stats.failed++;
      this.log(`contract ${id}: refused, the requester key cannot receive sealed credentials`);
      return true;
    }
    const attempts = (known?.attempts ?? 0) + 1;
    // Journal first: if the agent dies from here on, the next run knows this contract is its own.
    this.o.state.setContract(id, { phase: 'provisioning', attempts, updatedAt: this.now() });
    try {
      await this.o.client.reportStarted(id);
    } catch (err) {
      if (ProviderError.is(err, 'conflict') || ProviderError.is(err, 'not_found') || ProviderError.is(err, 'forbidden')) {
        this.log(`contract ${id}: not startable any more (${(err as Error).message}); skipped`);
        this.o.state.deleteContract(id);
        await this.o.client.releaseLock(id).catch(() => undefined);
        return true;
      }
      throw err;
    }
    this.o.onStep?.('started', id);
    let outcome;
    const renewal = this.renewLease(id);
    try {
      outcome = await this.o.provisioner.provision(toProvisionRequest(c), { signal });
    } catch (err) {
      if (cancelled(err, signal) || (err instanceof ProvisionError && signal.aborted)) return true; // resumable
      await this.failed(id, err, attempts, signal);
      return true;
    } finally {
      clearInterval(renewal);
    }
    if (outcome.kind === 'pending_manual') {
      this.o.state.setContract(id, { phase: 'manual', attempts, updatedAt: this.now() });
      this.log(`contract ${id}: ${outcome.message}`);
      return true;
    }
    this.o.onStep?.('provisioned', id);
    // Journaled before the report: whatever the answer, the instance is known by its id from here on.
    this.o.state.setContract(id, { phase: 'provisioned', attempts, externalId: outcome.instance.externalId, updatedAt: this.now() });
    try {
      await this.o.client.reportProvisioned(id, sealForRequester(toWireDetails(outcome.instance), c));
    } catch (err) {
      if (!ProviderError.is(err, 'conflict') && !ProviderError.is(err, 'not_found')) throw err;
      // The contract moved on while we worked (the requester ended it, or another agent holds it):
      // reconcile now, so an instance nobody wants is torn down at once.
      this.log(`contract ${id}: the control plane refused the instance (${(err as Error).message}); reconciling`);
      await this.reconcileOnce(signal).catch((e: Error) => cancelled(e, signal) || this.log(`reconcile after refusal failed: ${e.message}`));
      return true;
    }
    this.stats.provisioned++;
    this.o.onStep?.('reported', id);
    this.log(`contract ${id}: provisioned as ${outcome.instance.externalId}${outcome.instance.ipAddress ? ` (${outcome.instance.ipAddress})` : ''}`);
    return true;
  }

  /** Re-takes the lease (the holder extends its own) until the provision settles. */
  private renewLease(id: string): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.o.client
        .acquireLock(id)
        .then((l) => l.acquired || this.log(`contract ${id}: lease lost to another agent while provisioning`))
        .catch((e: Error) => this.log(`contract ${id}: lease renewal failed: ${e.message}`));
    }, this.o.leaseRenewMs ?? 60_000);
    timer.unref();
    return timer;
  }

  private async failed(id: string, err: unknown, attempts: number, signal: AbortSignal): Promise<void> {
    // The failure's text reaches the requester: nothing of the provider's secrets goes with it,
    // and operator-side detail (a script's stderr) stays in this agent's log.
    const message = this.redact(err instanceof Error ? err.message : String(err));
    if (err instanceof ProvisionError && err.operatorDetail) this.log(`contract ${id}: attempt ${attempts}: ${err.operatorDetail}`);
    const retry = err instanceof ProvisionError && err.retryPossible;
    const max = this.o.maxAttempts ?? 3;
    if (retry && attempts < max) {
      const delay = (this.o.retryDelayMs ?? ((n) => 30_000 * 2 ** (n - 1)))(attempts);
      this.o.state.setContract(id, { phase: 'retry_wait', attempts, nextAttemptAt: this.now() + delay, lastError: message, updatedAt: this.now() });
      // Let another agent of this provider try meanwhile.
      await this.o.client.releaseLock(id).catch(() => undefined);
      this.log(`contract ${id}: attempt ${attempts}/${max} failed, retrying in ${Math.round(delay / 1000)} s: ${message}`);
      return;
    }
    // Whatever a failed attempt left behind is removed now; reconcile would catch it later anyway.
    await this.cleanup(id, signal);
    const reason = retry ? `${message} (gave up after ${attempts} attempts)` : message;
    try {
      await this.o.client.reportFailed(id, reason);
    } catch (err) {
      // A report the control plane refuses (400) must not leave the contract re-provisioning for ever: say less.
      if (!ProviderError.is(err, 'invalid_config')) throw err;
      await this.o.client.reportFailed(id, 'provisioning failed (the details stay in the provider agent\'s log)');
    }
    this.o.state.deleteContract(id);
    this.stats.failed++;
    this.log(`contract ${id}: failed: ${reason}`);
  }

  private async cleanup(id: string, signal: AbortSignal): Promise<void> {
    try {
      const running = await this.o.provisioner.listRunning({ signal });
      for (const r of running ?? []) if (r.contractId === id) await this.o.provisioner.terminate(r.externalId, { signal });
    } catch (err) {
      this.log(`contract ${id}: cleanup after failure: ${(err as Error).message}`);
    }
  }

  /** Contract id → external id of instances worth a health check. */
  activeInstances(): Map<string, string> {
    const out = new Map(this.lastReconcile?.keep ?? []);
    for (const [id, r] of this.o.state.contracts()) if (r.phase === 'provisioned' && r.externalId && !out.has(id)) out.set(id, r.externalId);
    return out;
  }

  async healthChecks(signal: AbortSignal): Promise<number> {
    let n = 0;
    for (const [contractId, externalId] of this.activeInstances()) {
      if (signal.aborted) break;
      const h = await this.o.provisioner.healthCheck(externalId, { signal }, contractId).catch((err: Error) => ({ status: 'unknown' as const, details: err.message, latencyMs: undefined }));
      const report = { checkedAt: this.now() * 1_000_000, status: h.status, ...(h.latencyMs !== undefined ? { latencyMs: Math.round(h.latencyMs) } : {}), ...(h.details ? { details: h.details } : {}) };
      await this.o.client.reportHealth(contractId, report).then(() => n++, (err: Error) => this.log(`health report for ${contractId} failed: ${err.message}`));
    }
    return n;
  }

  async reconcileOnce(signal: AbortSignal): Promise<ReconcileResult> {
    const r = await reconcile({
      client: this.o.client,
      provisioner: this.o.provisioner,
      state: this.o.state,
      orphanGraceMs: this.o.polling.orphanGraceSeconds * 1000,
      now: this.now,
      log: this.log,
      signal,
    });
    if (r.listed) this.lastReconcile = r;
    return r;
  }
}
