/**
 * The optional services of a driver. Each is declared once, either with the code that provides
 * it or with `no(reason)`: capabilities are derived from that declaration, so a driver cannot
 * claim a service it does not implement, nor implement one its capability matrix hides.
 */
import type { Capabilities, Capability, Feature } from './capabilities.js';
import type {
  Firewall,
  Instance,
  InstanceRequest,
  Network,
  Offer,
  OperationOptions,
  Snapshot,
  SshKey,
  Volume,
  VolumeRequest,
} from './types.js';

export interface SnapshotService {
  create(instanceId: string, name: string, o?: OperationOptions): Promise<Snapshot>;
  /** ferry's snapshots only. */
  list(o?: OperationOptions): Promise<Snapshot[]>;
  /** Idempotent. */
  delete(id: string, o?: OperationOptions): Promise<void>;
}

export interface SshKeyService {
  list(o?: OperationOptions): Promise<SshKey[]>;
}

export interface NetworkService {
  findOrCreate(name: string, o?: OperationOptions): Promise<Network>;
  getByName(name: string, o?: OperationOptions): Promise<Network | null>;
  /** Idempotent. */
  delete(id: string, o?: OperationOptions): Promise<void>;
}

export interface FirewallService {
  /** Creates with an inbound SSH rule (tcp/22 from anywhere). */
  findOrCreate(name: string, o?: OperationOptions): Promise<Firewall>;
  getByName(name: string, o?: OperationOptions): Promise<Firewall | null>;
  /** Idempotent. */
  delete(id: string, o?: OperationOptions): Promise<void>;
}

export interface VolumeService {
  create(req: VolumeRequest, o?: OperationOptions): Promise<Volume>;
  get(id: string, o?: OperationOptions): Promise<Volume | null>;
  getByName(name: string, o?: OperationOptions): Promise<Volume | null>;
  attach(volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume>;
  detach(volumeId: string, o?: OperationOptions): Promise<Volume>;
  /** Idempotent. */
  delete(id: string, o?: OperationOptions): Promise<void>;
}

/** Each call returns once the provider's action or task finished, with the instance as it is then. */
export interface PowerService {
  start(id: string, o?: OperationOptions): Promise<Instance>;
  stop(id: string, o?: OperationOptions): Promise<Instance>;
  reboot(id: string, o?: OperationOptions): Promise<Instance>;
}

export interface OfferService {
  /** Priced offers from the provider's own price endpoints. */
  list(o?: OperationOptions): Promise<Offer[]>;
}

export interface ValidationService {
  instanceType(size: string, o?: OperationOptions): Promise<void>;
  region(region: string, o?: OperationOptions): Promise<void>;
  credentials(o?: OperationOptions): Promise<void>;
}

/** Bare metal (and clouds that can): reboot into an iPXE script fetched from a URL. */
export interface IpxeService {
  reinstall(id: string, ipxeUrl: string, o?: OperationOptions): Promise<void>;
}

/** What one batch call made: an instance per request it created (each with its own create id), and the requests it did not. */
export interface BatchCreated {
  instances: Instance[];
  failed: { request: InstanceRequest; error: unknown }[];
}

/**
 * Many servers in one call, where the API has one (DigitalOcean's `names`, EC2's MinCount/MaxCount).
 * Every server keeps its own create id: a failed or ambiguous call is looked up by the create ids
 * before anything is re-sent, and only what is missing is sent again.
 */
export interface BatchCreateService {
  /** Splits requests into batches one call each can create (one launch spec, at most the API's maximum), in order. */
  plan(requests: readonly InstanceRequest[]): InstanceRequest[][];
  create(batch: readonly InstanceRequest[], o?: OperationOptions): Promise<BatchCreated>;
}

/**
 * Many servers destroyed in one call, where the API has one (DigitalOcean's delete by tag, EC2's
 * TerminateInstances with many ids). The caller has just listed every instance carrying `labels`,
 * checked each is its own and passes them all: a call may reach every server with those labels.
 */
export interface BatchDestroyService {
  destroy(labels: Readonly<Record<string, string>>, instances: readonly Instance[], o?: OperationOptions): Promise<void>;
}

export interface ServiceMap {
  snapshots: SnapshotService;
  sshKeys: SshKeyService;
  networks: NetworkService;
  firewalls: FirewallService;
  volumes: VolumeService;
  power: PowerService;
  offers: OfferService;
  validation: ValidationService;
  reinstallIpxe: IpxeService;
  batchCreate: BatchCreateService;
  batchDestroy: BatchDestroyService;
}

export type OptionalFeature = keyof ServiceMap;

export interface Unsupported {
  supported: false;
  reason: string;
}

/** A provided service: the note says how the provider does it (and what it costs, e.g. "a stopped server still bills"). */
export interface Provided<S, C> {
  note: string;
  make(ctx: C): S;
}

export type ServiceDeclaration<S, C> = Provided<S, C> | Unsupported;

/** Every optional service, each provided or refused: leaving one out does not compile. */
export type ServiceDeclarations<C> = { [F in OptionalFeature]: ServiceDeclaration<ServiceMap[F], C> };

export type Services = { [F in OptionalFeature]?: ServiceMap[F] };

export function provide<S, C>(note: string, make: (ctx: C) => S): Provided<S, C> {
  return { note, make };
}

/** The matrix `ferry providers --capabilities` shows, readable without credentials. */
export function capabilitiesOf<C>(decl: ServiceDeclarations<C>): Capabilities {
  const caps = { instances: { supported: true } } as Record<Feature, Capability>;
  for (const [feature, d] of Object.entries(decl) as [OptionalFeature, ServiceDeclaration<unknown, C>][]) {
    caps[feature] = 'make' in d ? { supported: true, note: d.note } : { supported: false, reason: d.reason };
  }
  return caps as Capabilities;
}

/** The services a provider object holds, built from the declaration with its context. */
export function buildServices<C>(decl: ServiceDeclarations<C>, ctx: C): Services {
  const out: Record<string, unknown> = {};
  for (const [feature, d] of Object.entries(decl) as [OptionalFeature, ServiceDeclaration<unknown, C>][]) {
    if ('make' in d) out[feature] = d.make(ctx);
  }
  return out as Services;
}
