import type { Capabilities } from './capabilities.js';
import { requireCapability } from './capabilities.js';
import { buildServices, capabilitiesOf, type BatchCreated, type OptionalFeature, type ServiceDeclarations, type ServiceMap, type Services } from './services.js';
import { ProviderError } from './errors.js';
import { CREATE_ID_KEY, normaliseRequest } from './labels.js';
import { pollUntil, sleep, type ProviderTimeouts } from './timeouts.js';
import type {
  CreateOptions,
  Firewall,
  Image,
  Instance,
  InstanceRequest,
  ListOptions,
  Network,
  Offer,
  OperationOptions,
  Region,
  Size,
  Snapshot,
  SshKey,
  Volume,
  VolumeRequest,
} from './types.js';

/** The one contract every driver implements (spuff's Provider trait plus nvoi's infrastructure). */
export interface Provider {
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly timeouts: ProviderTimeouts;

  /** Checks a request against the provider's regions, sizes and images (UserError naming valid choices); creates nothing. */
  validateRequest(req: InstanceRequest, o?: OperationOptions): Promise<InstanceRequest & { createId: string }>;
  createInstance(req: InstanceRequest, o?: CreateOptions): Promise<Instance>;
  /** Idempotent: a missing instance is success. */
  destroyInstance(id: string, o?: OperationOptions): Promise<void>;
  /** null when the instance does not exist. */
  getInstance(id: string, o?: OperationOptions): Promise<Instance | null>;
  /** ferry's instances (managed-by=ferry), every page; `all` for the whole account. */
  listInstances(o?: ListOptions): Promise<Instance[]>;
  /** Until active with a public address, or the instance-ready timeout. */
  waitReady(id: string, o?: OperationOptions): Promise<Instance>;

  supportsSnapshots(): boolean;
  createSnapshot(instanceId: string, name: string, o?: OperationOptions): Promise<Snapshot>;
  /** ferry's snapshots only. */
  listSnapshots(o?: OperationOptions): Promise<Snapshot[]>;
  /** Deletes only one of ferry's snapshots: an id naming none of them (gone, or someone else's) is left alone. Idempotent. */
  deleteSnapshot(id: string, o?: OperationOptions): Promise<void>;

  getSshKeys(o?: OperationOptions): Promise<SshKey[]>;

  listRegions(o?: OperationOptions): Promise<Region[]>;
  listSizes(o?: OperationOptions): Promise<Size[]>;
  listImages(o?: OperationOptions): Promise<Image[]>;
  /** Priced offers from the provider's own price endpoints. */
  listOffers(o?: OperationOptions): Promise<Offer[]>;

  validateInstanceType(size: string, o?: OperationOptions): Promise<void>;
  validateRegion(region: string, o?: OperationOptions): Promise<void>;
  validateCredentials(o?: OperationOptions): Promise<void>;

  findOrCreateNetwork(name: string, o?: OperationOptions): Promise<Network>;
  getNetworkByName(name: string, o?: OperationOptions): Promise<Network | null>;
  deleteNetwork(id: string, o?: OperationOptions): Promise<void>;

  /** Creates with an inbound SSH rule (tcp/22 from anywhere). */
  findOrCreateFirewall(name: string, o?: OperationOptions): Promise<Firewall>;
  getFirewallByName(name: string, o?: OperationOptions): Promise<Firewall | null>;
  deleteFirewall(id: string, o?: OperationOptions): Promise<void>;

  createVolume(req: VolumeRequest, o?: OperationOptions): Promise<Volume>;
  getVolume(id: string, o?: OperationOptions): Promise<Volume | null>;
  getVolumeByName(name: string, o?: OperationOptions): Promise<Volume | null>;
  attachVolume(volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume>;
  detachVolume(volumeId: string, o?: OperationOptions): Promise<Volume>;
  deleteVolume(id: string, o?: OperationOptions): Promise<void>;

  /** Power management: each waits for the provider's action or task and returns the instance then. */
  startInstance(id: string, o?: OperationOptions): Promise<Instance>;
  stopInstance(id: string, o?: OperationOptions): Promise<Instance>;
  rebootInstance(id: string, o?: OperationOptions): Promise<Instance>;

  /** Bare metal: reboot into an iPXE script fetched from `ipxeUrl`. */
  reinstallIpxe(id: string, ipxeUrl: string, o?: OperationOptions): Promise<void>;

  /** Batch creation (capability batchCreate): the batches one call each can create, then one call per batch. */
  planBatches(requests: readonly InstanceRequest[]): InstanceRequest[][];
  createBatch(batch: readonly InstanceRequest[], o?: OperationOptions): Promise<BatchCreated>;
  /**
   * Batch destruction (capability batchDestroy): `instances` are every instance carrying `labels`,
   * just listed and checked to be ferry's own; as few calls as the API allows.
   */
  destroyBatch(labels: Readonly<Record<string, string>>, instances: readonly Instance[], o?: OperationOptions): Promise<void>;
}

/**
 * Errors after which a create may or may not have happened provider-side: the connection broke,
 * or the server failed (5xx). An api error without an HTTP status is a definite failure the
 * driver observed itself (a failed task or action).
 */
export function isAmbiguousCreateFailure(err: unknown): boolean {
  if (!(err instanceof ProviderError)) return false;
  return err.kind === 'network' || err.kind === 'timeout' || (err.kind === 'api' && err.status !== undefined && err.status >= 500);
}

export interface BaseProviderOptions<C = unknown> {
  name: string;
  timeouts: ProviderTimeouts;
  /**
   * Every optional service, provided or refused with a reason; capabilities are derived from it.
   * Services are built on first use with the driver object itself (its client, timeouts, settings).
   */
  services: ServiceDeclarations<C>;
  /** Attempts of a create (the first included); each ambiguous failure is looked up first. */
  createAttempts?: number;
  /** Backoff before re-sending a create; injectable so tests run at zero delay. */
  createBackoffMs?: (attempt: number) => number;
}

/**
 * Shared behaviour: capability checks for optional features, the idempotent create
 * (look the create id up after an ambiguous failure before sending again), waitReady.
 * A driver implements sendCreate and the operations its capabilities declare.
 */
export abstract class BaseProvider<C = unknown, Plan = void> implements Provider {
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly timeouts: ProviderTimeouts;
  private readonly declarations: ServiceDeclarations<C>;
  private built: Services | undefined;
  private readonly createAttempts: number;
  private readonly createBackoffMs: (attempt: number) => number;

  constructor(o: BaseProviderOptions<C>) {
    this.name = o.name;
    this.capabilities = capabilitiesOf(o.services);
    this.declarations = o.services;
    this.timeouts = o.timeouts;
    this.createAttempts = o.createAttempts ?? 4;
    this.createBackoffMs = o.createBackoffMs ?? ((n) => Math.min(8_000, 500 * 2 ** n) * (0.5 + Math.random() / 2));
  }

  /**
   * Validate what needs the provider's lists (region, size, image) and throw UserError naming choices.
   * Reads only: nothing is created here. What it resolved (key ids, an image id) is the plan it
   * returns, handed to every send of the same create.
   */
  protected abstract preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Plan>;
  /** One create request with the preflight's plan; must put ferryLabels(req) on the instance. */
  protected abstract sendCreate(req: InstanceRequest & { createId: string }, o: OperationOptions | undefined, plan: Plan): Promise<Instance>;
  abstract destroyInstance(id: string, o?: OperationOptions): Promise<void>;
  abstract getInstance(id: string, o?: OperationOptions): Promise<Instance | null>;
  abstract listInstances(o?: ListOptions): Promise<Instance[]>;
  abstract listRegions(o?: OperationOptions): Promise<Region[]>;
  abstract listSizes(o?: OperationOptions): Promise<Size[]>;
  abstract listImages(o?: OperationOptions): Promise<Image[]>;

  /** The instance a create id made, if any. Drivers with server-side label filters override. */
  protected async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await this.listInstances({ ...o, labels: { [CREATE_ID_KEY]: createId } });
    return found[0] ?? null;
  }

  async validateRequest(request: InstanceRequest, o?: OperationOptions): Promise<InstanceRequest & { createId: string }> {
    const req = normaliseRequest(request);
    await this.preflight(req, o);
    return req;
  }

  async createInstance(request: InstanceRequest, o?: CreateOptions): Promise<Instance> {
    const req = normaliseRequest(request);
    const plan = await this.preflight(req, o);
    // A create id the caller chose may have been sent before (a resumed journal entry, a retry
    // after the lookup itself failed): the instance it made is the answer, never a second one.
    if (request.createId !== undefined && !o?.freshCreateId) {
      const existing = await this.findByCreateId(req.createId, o);
      if (existing) return existing;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendCreate(req, o, plan);
      } catch (err) {
        const last = attempt + 1 >= this.createAttempts;
        if (isAmbiguousCreateFailure(err)) {
          o?.onProgress?.({ phase: 'create', message: `create of ${req.name} failed ambiguously; looking it up by create id` });
          const existing = await this.lookupAfter(err as ProviderError, req.createId, o);
          if (existing) return existing;
        } else if (!ProviderError.is(err, 'rate_limited')) {
          throw err;
        }
        if (last) throw err;
        const wait = (err as ProviderError).retryAfterMs ?? this.createBackoffMs(attempt);
        await sleep(wait, o?.signal);
      }
    }
  }

  /**
   * The lookup after an ambiguous failure. When it fails too (a 429, a revoked token), the
   * create can still not be ruled out: the caller hears the ambiguous failure (so a journal
   * entry stays pending for gc), with the lookup's failure in its message.
   */
  private async lookupAfter(sent: ProviderError, createId: string, o?: OperationOptions): Promise<Instance | null> {
    try {
      return await this.findByCreateId(createId, o);
    } catch (lookup) {
      const why = lookup instanceof ProviderError ? `${lookup.kind}: ${lookup.message}` : String(lookup);
      throw new ProviderError({
        kind: sent.kind,
        provider: sent.provider ?? this.name,
        status: sent.status,
        requestId: sent.requestId,
        subject: sent.subject,
        retryable: false,
        message: `${sent.message}; the server may exist, and looking it up by create id ${createId} failed (${why})`,
        cause: lookup,
      });
    }
  }

  async waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    return pollUntil({
      provider: this.name,
      operation: `waiting for instance ${id} to be ready`,
      timeoutMs: this.timeouts.instanceReadyMs,
      intervalMs: this.timeouts.pollIntervalMs,
      signal: o?.signal,
      check: async () => {
        const inst = await this.getInstance(id, o);
        if (!inst) {
          throw new ProviderError({ kind: 'not_found', provider: this.name, subject: id, message: `instance ${id} disappeared while waiting for it` });
        }
        if (inst.status.state === 'archive') {
          throw new ProviderError({ kind: 'api', provider: this.name, subject: id, message: `instance ${id} ended up ${inst.status.raw} while waiting for it` });
        }
        if (inst.status.state === 'active' && (inst.ipv4 || inst.ipv6)) return inst;
        o?.onProgress?.({ phase: 'boot', message: `${inst.name}: ${inst.status.raw}${inst.ipv4 ? '' : ', no address yet'}` });
        return undefined;
      },
    });
  }

  supportsSnapshots(): boolean {
    return this.capabilities.snapshots.supported;
  }

  /** The declared service, or the typed not_supported error with the driver's reason. */
  protected service<F extends OptionalFeature>(feature: F): ServiceMap[F] {
    this.built ??= buildServices(this.declarations, this as unknown as C);
    const svc = this.built[feature];
    if (svc) return svc as ServiceMap[F];
    requireCapability(this.name, this.capabilities, feature);
    throw ProviderError.notSupported(this.name, feature, 'not declared by the driver');
  }

  async createSnapshot(instanceId: string, name: string, o?: OperationOptions): Promise<Snapshot> {
    return this.service('snapshots').create(instanceId, name, o);
  }
  async listSnapshots(o?: OperationOptions): Promise<Snapshot[]> {
    return this.service('snapshots').list(o);
  }
  async deleteSnapshot(id: string, o?: OperationOptions): Promise<void> {
    const svc = this.service('snapshots');
    // Never touch what is not ours: re-read, and delete only an id that names a snapshot with ferry's marker.
    if (!(await svc.list(o)).some((s) => s.id === id)) return;
    return svc.delete(id, o);
  }
  async getSshKeys(o?: OperationOptions): Promise<SshKey[]> {
    return this.service('sshKeys').list(o);
  }
  async listOffers(o?: OperationOptions): Promise<Offer[]> {
    return this.service('offers').list(o);
  }
  async validateInstanceType(size: string, o?: OperationOptions): Promise<void> {
    return this.service('validation').instanceType(size, o);
  }
  async validateRegion(region: string, o?: OperationOptions): Promise<void> {
    return this.service('validation').region(region, o);
  }
  async validateCredentials(o?: OperationOptions): Promise<void> {
    return this.service('validation').credentials(o);
  }
  async findOrCreateNetwork(name: string, o?: OperationOptions): Promise<Network> {
    return this.service('networks').findOrCreate(name, o);
  }
  async getNetworkByName(name: string, o?: OperationOptions): Promise<Network | null> {
    return this.service('networks').getByName(name, o);
  }
  async deleteNetwork(id: string, o?: OperationOptions): Promise<void> {
    return this.service('networks').delete(id, o);
  }
  async findOrCreateFirewall(name: string, o?: OperationOptions): Promise<Firewall> {
    return this.service('firewalls').findOrCreate(name, o);
  }
  async getFirewallByName(name: string, o?: OperationOptions): Promise<Firewall | null> {
    return this.service('firewalls').getByName(name, o);
  }
  async deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    return this.service('firewalls').delete(id, o);
  }
  async createVolume(req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
    return this.service('volumes').create(req, o);
  }
  async getVolume(id: string, o?: OperationOptions): Promise<Volume | null> {
    return this.service('volumes').get(id, o);
  }
  async getVolumeByName(name: string, o?: OperationOptions): Promise<Volume | null> {
    return this.service('volumes').getByName(name, o);
  }
  async attachVolume(volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
    return this.service('volumes').attach(volumeId, instanceId, o);
  }
  async detachVolume(volumeId: string, o?: OperationOptions): Promise<Volume> {
    return this.service('volumes').detach(volumeId, o);
  }
  async deleteVolume(id: string, o?: OperationOptions): Promise<void> {
    return this.service('volumes').delete(id, o);
  }
  async startInstance(id: string, o?: OperationOptions): Promise<Instance> {
    return this.service('power').start(id, o);
  }
  async stopInstance(id: string, o?: OperationOptions): Promise<Instance> {
    return this.service('power').stop(id, o);
  }
  async rebootInstance(id: string, o?: OperationOptions): Promise<Instance> {
    return this.service('power').reboot(id, o);
  }
  async reinstallIpxe(id: string, ipxeUrl: string, o?: OperationOptions): Promise<void> {
    return this.service('reinstallIpxe').reinstall(id, ipxeUrl, o);
  }
  planBatches(requests: readonly InstanceRequest[]): InstanceRequest[][] {
    return this.service('batchCreate').plan(requests);
  }
  async createBatch(batch: readonly InstanceRequest[], o?: OperationOptions): Promise<BatchCreated> {
    return this.service('batchCreate').create(batch, o);
  }
  async destroyBatch(labels: Readonly<Record<string, string>>, instances: readonly Instance[], o?: OperationOptions): Promise<void> {
    return this.service('batchDestroy').destroy(labels, instances, o);
  }
}
