/**
 * The agent loop (Nomad's client: register → heartbeat with jitter → poll → diff → apply →
 * report → persist). Four loops share one AbortSignal: heartbeat, poll/provision, health
 * checks, reconcile. Every wait listens to the signal; an in-flight provision is aborted and
 * left resumable (journaled before it started, its instance found again by its deterministic
 * name on the next run). A poll brings both new work and the contracts ended meanwhile, so a
 * cancellation is torn down within a poll round; reconcile is the safety net. Each contract's
 * provisioning is worker.ts's.
 */
import { ProviderError, sleep } from '../core/index.js';
import { validatePending } from './contract.js';
import { readPollAnswer } from './poll-answer.js';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { cancelled, ContractWorker } from './worker.js';

export const AGENT_VERSION = 'ferry-agent/0.1.0';
const MIN_HEARTBEAT_SECONDS = 5;
const MAX_HEARTBEAT_SECONDS = 3600;

import type { AgentOptions, AgentStats, PollResult } from './options.js';

export type { AgentOptions, AgentStats, PollResult };

export class Agent {
  readonly stats: AgentStats = { polls: 0, provisioned: 0, failed: 0, skippedLocked: 0, errors: 0, malformed: 0, tornDown: 0 };
  private readonly log: (line: string) => void;
  private readonly redact: (text: string) => string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private heartbeatSeconds = 60;
  private lastReconcile: ReconcileResult | null = null;
  private readonly worker: ContractWorker;
  /** Where the control plane's tear-down notices resume (its clock); 0 asks for every pending tear-down. */
  private teardownCursor = 0;

  constructor(private readonly o: AgentOptions) {
    this.redact = o.redact ?? ((t) => t);
    const log = o.log ?? (() => undefined);
    this.log = (line) => log(this.redact(line));
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? sleep;
    this.worker = new ContractWorker({ o, stats: this.stats, log: this.log, redact: this.redact, now: this.now, reconcile: (signal) => this.reconcileOnce(signal) });
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
        const { returned, worked, noticesHandled } = await this.pollOnce(signal);
        const heldFull = this.o.polling.longPoll && returned === 0 && this.now() - started >= intervalMs / 2;
        if (worked === 0 && noticesHandled === 0 && !heldFull) await this.sleep(this.jitter(intervalMs), signal);
      } catch (err) {
        if (cancelled(err, signal)) return;
        this.log(`poll failed: ${(err as Error).message}`);
        // Retry-After is the server's to suggest, within bounds (a timer past 2^31 ms fires at once).
        const wait = err instanceof ProviderError && err.retryAfterMs ? Math.min(Math.max(err.retryAfterMs, 1000), 3_600_000) : intervalMs;
        await this.sleep(this.jitter(wait), signal).catch(() => undefined);
      }
    }
  }

  /**
   * One poll: the contracts it says must go are torn down first, then what it returned is
   * provisioned. One contract failing never stops the others.
   */
  async pollOnce(signal: AbortSignal): Promise<PollResult> {
    const wait = this.o.polling.longPoll ? Math.min(60, this.o.polling.intervalSeconds) : 0;
    const answer = readPollAnswer(await this.o.client.pollWork({ waitSeconds: wait, teardownCursor: this.teardownCursor, signal }));
    this.stats.polls++;
    for (const why of answer.malformed) {
      this.stats.malformed++;
      this.log(`ignored a tear-down entry: ${why}`);
    }
    const torn = await this.tearDown(answer.teardown, answer.cursor, signal);
    let worked = torn.tornDown;
    for (const entry of answer.pending) {
      if (signal.aborted) break;
      const c = validatePending(entry);
      if (typeof c === 'string') {
        this.stats.malformed++;
        this.log(`ignored a pending entry: ${c}`);
        continue;
      }
      try {
        if (await this.worker.handle(c, signal)) worked++;
      } catch (err) {
        if (cancelled(err, signal)) break;
        this.worker.isolate(c.contract_id, err);
      }
    }
    return { returned: answer.pending.length + answer.teardown.length, worked, noticesHandled: torn.handled };
  }

  /**
   * The contracts the poll says ended lose their instances now, not at the next reconcile: the same
   * reconcile, asked about these contracts only, so the control plane confirms each and only this
   * agent's instances are touched. The cursor moves on once that is done; a failure leaves it, so the
   * next poll brings the notices again.
   */
  private async tearDown(ids: string[], cursor: number | undefined, signal: AbortSignal): Promise<{ tornDown: number; handled: number }> {
    let tornDown = 0;
    if (ids.length > 0) {
      try {
        tornDown = (await this.reconcileOnce(signal, new Set(ids))).terminated.length;
        this.stats.tornDown += tornDown;
      } catch (err) {
        if (cancelled(err, signal)) throw err;
        this.log(`tear-down of ${ids.length} ended contract(s) failed, retried with the next poll: ${(err as Error).message}`);
        return { tornDown: 0, handled: 0 };
      }
    }
    // Only a cursor that moved on counts: a control plane sending the same notices again cannot make the loop spin.
    const advanced = cursor !== undefined && cursor > this.teardownCursor;
    if (cursor !== undefined) this.teardownCursor = cursor;
    return { tornDown, handled: advanced ? ids.length : 0 };
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

  /** A full reconcile, or (with only) one about the contracts a poll said ended. */
  async reconcileOnce(signal: AbortSignal, only?: ReadonlySet<string>): Promise<ReconcileResult> {
    const r = await reconcile({
      client: this.o.client,
      provisioner: this.o.provisioner,
      state: this.o.state,
      orphanGraceMs: this.o.polling.orphanGraceSeconds * 1000,
      now: this.now,
      log: this.log,
      signal,
      ...(only ? { only } : {}),
    });
    if (r.listed && !only) this.lastReconcile = r;
    return r;
  }
}
