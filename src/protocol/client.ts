/**
 * Signed HTTP client for the control plane (ferry's or Decent Cloud's), used by the agent
 * and the CLI. Every call is signed with the configured key under the right header;
 * failures become ProviderError kinds: 401 → authentication, 403 → forbidden,
 * 404 → not_found, 409 → conflict, 4xx → invalid_config, 429 → rate_limited,
 * 5xx → api (retryable), a failed fetch → network, an abort → cancelled.
 */
import { ProviderError } from '../core/errors.js';
import { kindForStatus, parseRetryAfter } from '../transport/error-mapping.js';
import { publicKeyOf } from './keys.js';
import { signRequest, type KeyRole } from './signing.js';
import type * as api from './api.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

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
  fetch?: FetchLike;
}

const PROVIDER = 'control-plane';

export class ControlPlaneClient {
  readonly publicKey: string;
  readonly providerPubkey: string;
  private readonly base: string;
  private readonly role: KeyRole;
  private readonly fetchFn: FetchLike;

  constructor(private readonly options: ClientOptions) {
    this.publicKey = publicKeyOf(options.secretKey);
    this.providerPubkey = options.providerPubkey ?? this.publicKey;
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.role = options.role ?? 'provider';
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  }

  // ---- agent endpoints (Decent Cloud paths) ----

  /** With waitSeconds the server holds the request until a contract is pending or the wait ends. */
  pendingProvision(opts: { waitSeconds?: number; signal?: AbortSignal } = {}): Promise<api.PendingContract[]> {
    const params = new URLSearchParams();
    if (opts.waitSeconds) params.set('wait', String(Math.floor(opts.waitSeconds)));
    if (this.options.agentInstanceId) params.set('agentInstanceId', this.options.agentInstanceId);
    const query = params.toString() ? `?${params.toString()}` : '';
    return this.call('GET', `/api/v1/providers/${this.providerPubkey}/contracts/pending-provision${query}`, undefined, opts.signal);
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
    return this.call('PUT', `/api/v1/provider/rental-requests/${contractId}/provisioning`, { ...body, ...this.instance() });
  }
  reportHealth(contractId: string, report: api.HealthCheckRequest): Promise<api.HealthCheckRecord> {
    return this.call('POST', `/api/v1/provider/contracts/${contractId}/health`, report);
  }
  heartbeat(report: api.HeartbeatRequest): Promise<api.HeartbeatResponse> {
    return this.call('POST', `/api/v1/providers/${this.providerPubkey}/heartbeat`, report);
  }
  reportTerminated(contractId: string): Promise<unknown> {
    return this.call('PUT', `/api/v1/providers/${this.providerPubkey}/contracts/${contractId}/terminated`);
  }
  reconcile(request: api.ReconcileRequest): Promise<api.ReconcileResponse> {
    return this.call('POST', `/api/v1/providers/${this.providerPubkey}/reconcile`, request);
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
    return `/api/v1/providers/${this.providerPubkey}/contracts/${contractId}/lock`;
  }

  // ---- provider side ----

  registerAgent(req: api.AgentDelegationRequest): Promise<api.AgentDelegation> {
    return this.call('POST', `/api/v1/providers/${this.providerPubkey}/agent-delegations`, req);
  }
  listAgentDelegations(): Promise<api.AgentDelegation[]> {
    return this.call('GET', `/api/v1/providers/${this.providerPubkey}/agent-delegations`);
  }
  revokeAgent(agentPubkey: string): Promise<boolean> {
    return this.call('DELETE', `/api/v1/providers/${this.providerPubkey}/agent-delegations/${agentPubkey}`);
  }
  agentStatus(): Promise<api.AgentStatus[]> {
    return this.call('GET', `/api/v1/providers/${this.providerPubkey}/agent-status`);
  }
  addOffering(offering: api.OfferingInput): Promise<api.Offering> {
    return this.call('POST', `/api/v1/providers/${this.providerPubkey}/offerings`, offering);
  }
  /** All offerings, or one provider's. */
  listOfferings(providerPubkey?: string): Promise<api.Offering[]> {
    return this.call('GET', providerPubkey ? `/api/v1/providers/${providerPubkey}/offerings` : '/api/v1/offerings');
  }
  removeOffering(offeringId: string): Promise<boolean> {
    return this.call('DELETE', `/api/v1/providers/${this.providerPubkey}/offerings/${offeringId}`);
  }
  respond(contractId: string, req: api.RentalResponseRequest): Promise<api.Contract> {
    return this.call('POST', `/api/v1/provider/rental-requests/${contractId}/respond`, req);
  }

  // ---- requester side ----

  createContract(req: api.ContractCreateRequest): Promise<api.Contract> {
    return this.call('POST', '/api/v1/contracts', req);
  }
  /** Contracts where the signer is the requester, or the provider with role 'provider'. */
  listContracts(as: 'requester' | 'provider' = 'requester'): Promise<api.Contract[]> {
    return this.call('GET', `/api/v1/contracts?as=${as}`);
  }
  getContract(contractId: string): Promise<api.Contract> {
    return this.call('GET', `/api/v1/contracts/${contractId}`);
  }
  cancelContract(contractId: string): Promise<api.Contract> {
    return this.call('POST', `/api/v1/contracts/${contractId}/cancel`);
  }
  terminateContract(contractId: string): Promise<api.Contract> {
    return this.call('POST', `/api/v1/contracts/${contractId}/terminate`);
  }
  /** The sealed credentials; open them locally with openCredentials(sealed, secret, contractAad(id)). */
  getSealedCredentials(contractId: string): Promise<import('./sealed-credentials.js').SealedCredentials> {
    return this.call('GET', `/api/v1/contracts/${contractId}/credentials`);
  }

  // ---- transport ----

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = signRequest(this.options.secretKey, method, path, payload, { role: this.role });
    if (payload) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      const init: RequestInit = { method, headers };
      if (payload) init.body = payload;
      if (signal) init.signal = signal;
      res = await this.fetchFn(this.base + path, init);
    } catch (err) {
      const aborted = signal?.aborted === true;
      throw new ProviderError({
        kind: aborted ? 'cancelled' : 'network',
        provider: PROVIDER,
        message: aborted ? `${method} ${path} was cancelled` : `${method} ${path} failed: ${(err as Error).message}`,
        cause: err,
      });
    }
    const text = await res.text();
    let envelope: api.Envelope<T> | undefined;
    try {
      envelope = text ? (JSON.parse(text) as api.Envelope<T>) : undefined;
    } catch {
      envelope = undefined;
    }
    if (!res.ok || !envelope || envelope.success !== true) {
      const message = envelope?.error ?? (text.slice(0, 200) || res.statusText);
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

