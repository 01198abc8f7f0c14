/**
 * One pending contract, from lease to report: the type check, the lease (renewed while the
 * provision runs), the journal entry before any work, the provision itself, retries with backoff,
 * the clean-up after a final failure, and the report with credentials sealed to the requester.
 */
import { ProviderError } from '../core/index.js';
import type { InstanceDetails, PendingContract } from '../protocol/api.js';
import { isStrongPublicKey } from '../protocol/keys.js';
import { toProvisionRequest } from './contract.js';
import type { AgentOptions, AgentStats } from './options.js';
import type { InstanceInfo } from './provisioners/types.js';
import { ProvisionError } from './provisioners/types.js';
import { sealForRequester } from './seal.js';

export function toWireDetails(i: InstanceInfo): InstanceDetails {
  const d: InstanceDetails = { external_id: i.externalId };
  if (i.ipAddress !== undefined) d.ip_address = i.ipAddress;
  if (i.ipv6Address !== undefined) d.ipv6_address = i.ipv6Address;
  if (i.sshPort !== undefined) d.ssh_port = i.sshPort;
  if (i.rootPassword !== undefined) d.root_password = i.rootPassword;
  if (i.additionalDetails !== undefined) d.additional_details = i.additionalDetails;
  return d;
}

/** True when an error only says the agent is shutting down. */
export const cancelled = (err: unknown, signal: AbortSignal): boolean =>
  signal.aborted || ProviderError.is(err, 'cancelled') || (err instanceof Error && err.name === 'AbortError');

export interface WorkerDeps {
  o: AgentOptions;
  stats: AgentStats;
  log: (line: string) => void;
  redact: (text: string) => string;
  now: () => number;
  /** A full reconcile, run when the control plane refuses an instance just made. */
  reconcile: (signal: AbortSignal) => Promise<unknown>;
}

export class ContractWorker {
  private readonly o: AgentOptions;
  private readonly stats: AgentStats;
  private readonly log: (line: string) => void;
  private readonly redact: (text: string) => string;
  private readonly now: () => number;
  /** Contracts refused for their provisioner type, logged once each. */
  private readonly refusedType = new Map<string, string>();

  constructor(private readonly d: WorkerDeps) {
    ({ o: this.o, stats: this.stats, log: this.log, redact: this.redact, now: this.now } = d);
  }

  /** Records an unexpected failure on one contract and parks it with a growing backoff; the lease goes back. */
  isolate(id: string, err: unknown): void {
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
  async handle(c: PendingContract, signal: AbortSignal): Promise<boolean> {
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
      await this.d.reconcile(signal).catch((e: Error) => cancelled(e, signal) || this.log(`reconcile after refusal failed: ${e.message}`));
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
      for (const r of running ?? []) if (r.contractId === id) await this.o.provisioner.terminate(r.externalId, { signal }, id);
    } catch (err) {
      this.log(`contract ${id}: cleanup after failure: ${(err as Error).message}`);
    }
  }
}
