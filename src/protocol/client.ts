/**
 * Signed HTTP client for the control plane (ferry's or Decent Cloud's), used by the agent
 * and the CLI. Every call is signed with the configured key under the right header;
 * failures become ProviderError kinds: 401 → authentication, 403 → forbidden,
 * 404 → not_found, 409 → conflict, 4xx → invalid_config, 429 → rate_limited,
 * 5xx → api (retryable), a failed fetch → network, an abort → cancelled, no answer in time → timeout.
 * Every call is bounded: a timeout (long-polls get their wait on top), a cap on the answer's size,
 * and path segments are percent-encoded. A 503 with Retry-After ("database busy") is re-sent, newly
 * signed, a few times after the suggested pause.
 */
import { ProviderError } from '../core/errors.js';
import type { Fetch, FetchInit, FetchResponse } from '../core/fetch.js';
import { kindForStatus, parseRetryAfter } from '../transport/error-mapping.js';
import { nodeFetch, ResponseTooLargeError } from '../transport/node-fetch.js';
import { signDelegation } from './delegation.js';
import { publicKeyOf } from './keys.js';
import { signRequest, type KeyRole } from './signing.js';
import { defaultSleep, pageQuery } from './client-http.js';
import type * as api from './api.js';

export interface ClientOptions {
  baseUrl: string;
  /** Hex Ed25519 secret seed of the signer. */
  secretKey: string;
  /** 'agent' signs with X-Agent-Pubkey (a delegated key), 'provider' with X-Public-Key. */
  role?: KeyRole;
  /** The provider the agent acts for; defaults to the signer's own public key. */
  providerPubkey?: string;
  /** Sent with the lock, the provisioning reports and the poll, so agents sharing one key hold distinct leases. */
  agentInstanceId?: string;
  /** The transport's node:http client unless given (the global fetch fits too, without the size cap's early stop). */
  fetch?: Fetch;
  /** Per request, beyond any long-poll wait (default 30 s): a hung server cannot hold the caller. */
  timeoutMs?: number;
  /** Largest answer read (default 8 MiB); a bigger one is refused without being buffered. */
  maxResponseBytes?: number;
  /** Re-sends of a request answered 503 with Retry-After (default 3). */
  maxBusyRetries?: number;
  /** Stops every call in flight (the agent's shutdown). */
  signal?: AbortSignal;
  /** Waits between busy retries; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const PROVIDER = 'control-plane';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Longest pause a busy answer may ask for before the client gives up instead. */
const MAX_BUSY_PAUSE_MS = 30_000;

/** One path segment, percent-encoded: an id can never add a segment or a query. */
const seg = (value: string): string => encodeURIComponent(value);

export class ControlPlaneClient {
  readonly publicKey: string;
  readonly providerPubkey: string;
  private readonly base: string;
  private readonly role: KeyRole;
  private readonly fetchFn: Fetch;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: ClientOptions) {
    this.publicKey = publicKeyOf(options.secretKey);
    this.providerPubkey = options.providerPubkey ?? this.publicKey;
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.role = options.role ?? 'provider';
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.fetchFn = options.fetch ?? nodeFetch({ maxResponseBytes: this.maxResponseBytes });
  }

  // ---- agent endpoints (Decent Cloud paths) ----

  /** With waitSeconds the server holds the request until a contract is pending or the wait ends. */
  pendingProvision(opts: { waitSeconds?: number; signal?: AbortSignal } = {}): Promise<api.PendingContract[]> {
    return this.poll(opts);
  }
  /**
   * The poll with ferry's extension: the answer also lists the contracts that entered tear-down
   * since the cursor (api.AgentPoll). A Decent Cloud server ignores the cursor and answers the bare list.
   */
  pollWork(opts: { waitSeconds?: number; teardownCursor: number; signal?: AbortSignal }): Promise<api.AgentPoll | api.PendingContract[]> {
    return this.poll(opts);
  }
  private poll<T>(opts: { waitSeconds?: number; teardownCursor?: number; signal?: AbortSignal }): Promise<T> {
    const params = new URLSearchParams();
    if (opts.waitSeconds) params.set('wait', String(Math.floor(opts.waitSeconds)));
    if (this.options.agentInstanceId) params.set('agentInstanceId', this.options.agentInstanceId);
    if (opts.teardownCursor !== undefined) params.set('teardown', String(Math.max(0, Math.floor(opts.teardownCursor))));
    const query = params.toString() ? `?${params.toString()}` : '';
    return this.call('GET', `/api/v1/providers/${seg(this.providerPubkey)}/contracts/pending-provision${query}`, undefined, opts.signal, (opts.waitSeconds ?? 0) * 1000);
  }
  reportStarted(contractId: string): Promise<unknown> {
    return this.provisioning(contractId, { status: 'provisioning', instanceDetails: '' });
  }
  reportProvisioned(contractId: string, instance: api.InstanceDetails): Promise<unknown> {
    return this.provisioning(contractId, { status: 'provisioned', instanceDetails: JSON.stringify(instance) });
  }
  reportFailed(contractId: string, error: string): Promise<unknown> {
    return this.provisioning(contractId, { status: 'provisioning_failed', instanceDetails: error });
  }
  private provisioning(contractId: string, body: api.ProvisioningStatusRequest): Promise<unknown> {
    return this.call('PUT', `/api/v1/provider/rental-requests/${seg(contractId)}/provisioning`, { ...body, ...this.instance() });
  }
  reportHealth(contractId: string, report: api.HealthCheckRequest): Promise<api.HealthCheckRecord> {
    return this.call('POST', `/api/v1/provider/contracts/${seg(contractId)}/health`, report);
  }
  heartbeat(report: api.HeartbeatRequest): Promise<api.HeartbeatResponse> {
    return this.call('POST', `/api/v1/providers/${seg(this.providerPubkey)}/heartbeat`, report);
  }
  reportTerminated(contractId: string): Promise<unknown> {
    return this.call('PUT', `/api/v1/providers/${seg(this.providerPubkey)}/contracts/${seg(contractId)}/terminated`);
  }
  reconcile(request: api.ReconcileRequest): Promise<api.ReconcileResponse> {
    return this.call('POST', `/api/v1/providers/${seg(this.providerPubkey)}/reconcile`, request);
  }
  /** Resolves {acquired:false} when another agent holds a live lease (HTTP 409). */
  async acquireLock(contractId: string): Promise<api.LockResponse> {
    try {
      return await this.call('POST', this.lockPath(contractId), this.lockBody());
    } catch (err) {
      if (ProviderError.is(err, 'conflict')) return { acquired: false, expiresAtNs: 0 };
      throw err;
    }
  }
  releaseLock(contractId: string): Promise<boolean> {
    return this.call('DELETE', this.lockPath(contractId), this.lockBody());
  }
  private instance(): { agentInstanceId?: string } {
    return this.options.agentInstanceId ? { agentInstanceId: this.options.agentInstanceId } : {};
  }
  /** No body at all without an instance id: exactly what a Decent Cloud agent sends. */
  private lockBody(): api.LockRequest | undefined {
    return this.options.agentInstanceId ? this.instance() : undefined;
  }
  private lockPath(contractId: string): string {
    return `/api/v1/providers/${seg(this.providerPubkey)}/contracts/${seg(contractId)}/lock`;
  }

  // ---- provider side ----

  /** Delegates an agent key, proving possession of it with its signature (see protocol/delegation). */
  delegateAgent(agentSecretKey: string, o: { label?: string; expiresAtNs?: number } = {}): Promise<api.AgentDelegation> {
    const agentPubkey = publicKeyOf(agentSecretKey);
    return this.registerAgent({ agentPubkey, agentSignature: signDelegation(agentSecretKey, this.providerPubkey, agentPubkey), ...o });
  }
  registerAgent(req: api.AgentDelegationRequest): Promise<api.AgentDelegation> {
    return this.call('POST', `/api/v1/providers/${seg(this.providerPubkey)}/agent-delegations`, req);
  }
  listAgentDelegations(): Promise<api.AgentDelegation[]> {
    return this.call('GET', `/api/v1/providers/${seg(this.providerPubkey)}/agent-delegations`);
  }
  revokeAgent(agentPubkey: string): Promise<boolean> {
    return this.call('DELETE', `/api/v1/providers/${seg(this.providerPubkey)}/agent-delegations/${seg(agentPubkey)}`);
  }
  agentStatus(): Promise<api.AgentStatus[]> {
    return this.call('GET', `/api/v1/providers/${seg(this.providerPubkey)}/agent-status`);
  }
  addOffering(offering: api.OfferingInput): Promise<api.Offering> {
    return this.call('POST', `/api/v1/providers/${seg(this.providerPubkey)}/offerings`, offering);
  }
  /** All offerings, or one provider's: the public fields, one page (?limit, ?after = last offering id). */
  listOfferings(providerPubkey?: string, page: { limit?: number; after?: string } = {}): Promise<api.PublicOffering[]> {
    const base = providerPubkey ? `/api/v1/providers/${seg(providerPubkey)}/offerings` : '/api/v1/offerings';
    return this.call('GET', base + pageQuery(page));
  }
  /** The signer's own offerings with their private fields (provisioner settings, script, acceptance budget). */
  listOwnOfferings(page: { limit?: number; after?: string } = {}): Promise<api.Offering[]> {
    return this.call('GET', `/api/v1/providers/${seg(this.providerPubkey)}/offerings/full${pageQuery(page)}`);
  }
  removeOffering(offeringId: string): Promise<boolean> {
    return this.call('DELETE', `/api/v1/providers/${seg(this.providerPubkey)}/offerings/${seg(offeringId)}`);
  }
  respond(contractId: string, req: api.RentalResponseRequest): Promise<api.Contract> {
    return this.call('POST', `/api/v1/provider/rental-requests/${seg(contractId)}/respond`, req);
  }

  // ---- requester side ----

  createContract(req: api.ContractCreateRequest): Promise<api.Contract> {
    return this.call('POST', '/api/v1/contracts', req);
  }
  /** Contracts where the signer is the requester, or the provider with role 'provider'. */
  listContracts(as: 'requester' | 'provider' = 'requester', page: { limit?: number; before?: string } = {}): Promise<api.Contract[]> {
    const q = new URLSearchParams({ as });
    if (page.limit !== undefined) q.set('limit', String(page.limit));
    if (page.before) q.set('before', page.before);
    return this.call('GET', `/api/v1/contracts?${q.toString()}`);
  }
  /** Every contract, page by page (newest first), up to max. */
  async listAllContracts(as: 'requester' | 'provider' = 'requester', max = 10_000): Promise<api.Contract[]> {
    const out: api.Contract[] = [];
    let before: string | undefined;
    while (out.length < max) {
      const page = await this.listContracts(as, { limit: 500, ...(before ? { before } : {}) });
      out.push(...page);
      const last = page[page.length - 1];
      if (!last || page.length < 500) break;
      before = `${last.created_at}:${last.contract_id}`;
    }
    return out.slice(0, max);
  }
  getContract(contractId: string): Promise<api.Contract> {
    return this.call('GET', `/api/v1/contracts/${seg(contractId)}`);
  }
  cancelContract(contractId: string): Promise<api.Contract> {
    return this.call('POST', `/api/v1/contracts/${seg(contractId)}/cancel`);
  }
  terminateContract(contractId: string): Promise<api.Contract> {
    return this.call('POST', `/api/v1/contracts/${seg(contractId)}/terminate`);
  }
  /** The sealed credentials; open them locally with openCredentials(sealed, secret, contractAad(id)). */
  getSealedCredentials(contractId: string): Promise<import('./sealed-credentials.js').SealedCredentials> {
    return this.call('GET', `/api/v1/contracts/${seg(contractId)}/credentials`);
  }

  // ---- transport ----

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal, extraMs = 0): Promise<T> {
    const maxRetries = this.options.maxBusyRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body, signal, extraMs);
      } catch (err) {
        // Only a 503 that says when to come back: the server refused before doing anything.
        const pause = err instanceof ProviderError && err.status === 503 ? err.retryAfterMs : undefined;
        if (pause === undefined || attempt >= maxRetries || pause > MAX_BUSY_PAUSE_MS) throw err;
        const stop = this.stopSignal(signal);
        await (this.options.sleep ?? defaultSleep)(Math.max(pause, 1000), stop);
        if (stop?.aborted) throw err;
      }
    }
  }

  private stopSignal(signal?: AbortSignal): AbortSignal | undefined {
    const signals = [signal, this.options.signal].filter((s): s is AbortSignal => s !== undefined);
    return signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  }

  private async once<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined, extraMs: number): Promise<T> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = signRequest(this.options.secretKey, method, path, payload, { role: this.role });
    if (payload) headers['Content-Type'] = 'application/json';
    const timeoutMs = (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + extraMs;
    const stop = this.stopSignal(signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = stop ? AbortSignal.any([stop, timeout]) : timeout;
    const failed = (err: unknown, what: string): ProviderError => {
      const kind = stop?.aborted ? 'cancelled' : timeout.aborted ? 'timeout' : 'network';
      const message = kind === 'cancelled' ? `${method} ${path} was cancelled` : kind === 'timeout' ? `${method} ${path}: no answer within ${Math.round(timeoutMs / 1000)} s` : `${method} ${path} ${what}: ${(err as Error).message}`;
      return new ProviderError({ kind, provider: PROVIDER, message, cause: err });
    };
    const tooLarge = (status: number) =>
      new ProviderError({ kind: 'api', provider: PROVIDER, status, message: `the control plane answered more than ${this.maxResponseBytes} bytes; refused` });
    let res: FetchResponse;
    let text: string;
    try {
      const init: FetchInit = { method, headers, signal: combined };
      if (payload) init.body = payload;
      res = await this.fetchFn(this.base + path, init);
      text = await res.text();
    } catch (err) {
      if (err instanceof ResponseTooLargeError) throw tooLarge(err.status);
      throw failed(err, 'failed');
    }
    // The transport's fetch stopped reading at the cap; a fetch of the caller's may have read it all, and it is refused all the same.
    if (this.options.fetch && Buffer.byteLength(text) > this.maxResponseBytes) throw tooLarge(res.status);
    let envelope: api.Envelope<T> | undefined;
    try {
      envelope = text ? (JSON.parse(text) as api.Envelope<T>) : undefined;
    } catch {
      envelope = undefined;
    }
    if (!res.ok || !envelope || typeof envelope !== 'object' || envelope.success !== true) {
      const error = envelope && typeof envelope === 'object' && typeof envelope.error === 'string' ? envelope.error : undefined;
      const message = (error ?? (text.slice(0, 200) || res.statusText)).slice(0, 500);
      throw new ProviderError({
        kind: res.ok ? 'api' : controlPlaneKind(res.status),
        provider: PROVIDER,
        status: res.status,
        message: `${method} ${path}: ${message}`,
        retryable: res.status >= 500 || res.status === 429,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()),
      });
    }
    return envelope.data as T;
  }
}

/** The transport's status mapping, except that any other refusal (4xx) is the request's fault. */
function controlPlaneKind(status: number) {
  const kind = kindForStatus(status);
  return kind === 'api' && status >= 400 && status < 500 ? 'invalid_config' : kind;
}

