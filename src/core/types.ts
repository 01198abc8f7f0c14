/** Provider-agnostic domain types. Wire shapes live in each driver's schema.ts. */

/** What to boot: a distribution version the driver maps to its own slug, or an id passed through. */
export type ImageSpec =
  | { kind: 'ubuntu'; version: string }
  | { kind: 'debian'; version: string }
  | { kind: 'custom'; id: string }
  | { kind: 'snapshot'; id: string };

export type InstanceState = 'new' | 'active' | 'off' | 'archive' | 'unknown';

/** The normalised state plus the provider's own word for it (kept for `unknown`). */
export interface InstanceStatus {
  state: InstanceState;
  raw: string;
}

export interface Instance {
  provider: string;
  id: string;
  name: string;
  status: InstanceStatus;
  /** Public IPv4 (or the reachable address for Proxmox); null until assigned. */
  ipv4: string | null;
  ipv6: string | null;
  region: string;
  size: string;
  image: string | null;
  labels: Record<string, string>;
  /** ISO 8601. */
  createdAt: string;
  /**
   * Only on what createInstance returns, when the provider generated a root password because no
   * SSH key was given (Hetzner Cloud): the one chance to see it. ferry never stores it.
   */
  initialRootPassword?: string;
}

export interface InstanceRequest {
  /** Unique within the account; also the provider-side display name. */
  name: string;
  region: string;
  size: string;
  image: ImageSpec;
  /** Raw cloud-init user data; drivers encode it as their API needs. */
  userData?: string;
  /** SSH keys: provider key ids/fingerprints, or public keys ("ssh-ed25519 AAAA…"). */
  sshKeys?: string[];
  /** Extra labels; drivers add managed-by=ferry and the create id. */
  labels?: Record<string, string>;
  /**
   * Idempotency key carried as a label. Generated when absent; the caller sets it when it
   * journals the create first, so a crash can be traced back to the server it made.
   */
  createId?: string;
}

export interface Snapshot {
  provider: string;
  id: string;
  name: string;
  /** ISO 8601, when the provider says. */
  createdAt: string | null;
  sizeGb?: number | null;
  instanceId?: string | null;
}

export interface SshKey {
  id: string;
  name: string;
  fingerprint: string | null;
  publicKey: string | null;
}

export interface Network {
  id: string;
  name: string;
  ipRange: string | null;
}

export interface Firewall {
  id: string;
  name: string;
}

export interface Volume {
  id: string;
  name: string;
  sizeGb: number;
  region: string;
  status: string;
  instanceId: string | null;
  devicePath: string | null;
}

export interface VolumeRequest {
  name: string;
  sizeGb: number;
  region: string;
  /** Attach right after creation. */
  instanceId?: string;
  labels?: Record<string, string>;
}

export interface Region {
  id: string;
  name: string;
  available: boolean;
}

export interface Size {
  id: string;
  vcpus: number;
  memoryGb: number;
  diskGb: number;
  gpu: string | null;
  gpuCount: number;
  /** Regions this size can be ordered in; empty means unknown. */
  regions: string[];
  priceHourly: number | null;
  priceMonthly: number | null;
  currency: string;
}

export interface Image {
  id: string;
  name: string;
  distribution: string | null;
  version: string | null;
}

/** One normalised catalog row (SkyPilot's catalog schema). */
export interface Offer {
  provider: string;
  plan: string;
  region: string;
  vcpus: number;
  memoryGb: number;
  diskGb: number;
  gpu: string | null;
  gpuCount: number;
  priceHourly: number;
  priceMonthly: number;
  currency: string;
  bareMetal: boolean;
  /** Hours from order to ready for bare metal; 0 for cloud. */
  leadTimeHours: number;
  /** custom: from the user's price file (on-premise cost, a negotiated price). */
  source: 'live' | 'cache' | 'bundled' | 'custom';
  /** ISO 8601 time the prices were read. */
  fetchedAt: string;
  /** CPU architecture; absent means x86. Placement never picks arm unless asked (`--arch arm`). */
  arch?: CpuArch;
  /** Memory of one GPU in GB, when the provider says. `gpu` is the provider's model name; the catalog normalises it. */
  gpuMemoryGb?: number | null;
  /** Whether the prices include VAT (absent: net, before VAT). */
  pricesIncludeVat?: boolean;
  /** One-off setup fee, in `currency` (bare metal). */
  setupFee?: number;
  /** How the provider bills: by the hour (capped monthly) or by the month only. Absent: hourly. */
  billing?: 'hourly' | 'monthly';
  /** Minimum commitment in months (0 or absent: none). */
  minimumTermMonths?: number;
  /** Servers in stock at this site, when the provider says (bare metal). */
  stock?: number | null;
  /** Costs the driver adds when it creates the server (e.g. Hetzner's primary IPv4): placement adds them. */
  extras?: OfferExtra[];
}

export type CpuArch = 'x86' | 'arm';

export interface OfferExtra {
  what: string;
  priceHourly: number;
  priceMonthly: number;
}

/** Progress of a long operation, for progress displays. */
export interface Progress {
  phase: string;
  message: string;
  /** 0..1 when known. */
  fraction?: number;
}

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface CreateOptions extends OperationOptions {
  /**
   * The request's create id was made for this create and never sent before: nothing can carry it
   * yet, so the lookup a caller's create id gets before the first send is skipped.
   */
  freshCreateId?: boolean;
}

/** A paged listing's options: what every operation takes, and how many items the caller expects. */
export interface PagedOptions extends OperationOptions {
  /**
   * About how many items the listing holds (a fleet knows its size): a listing of numbered pages
   * asks for that many pages at once instead of learning the count from the first (one round trip
   * instead of two). A hint only: more are still read, and a page past the end is empty.
   */
  expected?: number;
}

export interface ListOptions extends PagedOptions {
  /** Every instance in the account, not only ferry's. */
  all?: boolean;
  /** Only instances carrying all these labels. */
  labels?: Record<string, string>;
  /**
   * Only these regions need be listed: a hint for providers that list region by region (a fleet
   * knows where its servers are). Others may still return instances elsewhere.
   */
  regions?: readonly string[];
}
