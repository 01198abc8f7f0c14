/**
 * State of the emulated DigitalOcean account and the renderers that turn it into the API's
 * objects. Lifecycles are computed from the emulated clock when read: a droplet is `new` until
 * bootMs after its creation, gets its public address after ipDelayMs, and an action completes
 * actionMs after it started (its effect is applied by `settle`, before any handler reads state).
 */
import { memo, once } from '../engine/cache.js';
import { fixed } from '../engine/json.js';
import type { EmulatorContext } from '../engine/types.js';
import { uuid } from './ids.js';
import { REGION_FEATURES, SEED_IMAGES, SEED_REGIONS, SEED_SIZES, type SeedSize } from './seed.js';

export interface DropletRec {
  id: number;
  name: string;
  region: string;
  size: string;
  imageId: number;
  tags: string[];
  ipv6: boolean;
  createdAt: number;
  /** Set by the power_off / power_on actions when they complete. */
  power: 'on' | 'off';
  snapshotIds: number[];
  octets: [number, number];
  vpcUuid: string;
}

export interface ImageRec {
  id: number;
  slug: string | null;
  name: string;
  distribution: string;
  type: 'base' | 'snapshot';
  regions: string[];
  createdAt: number;
  minDisk: number;
  sizeGb: number;
  /** For snapshots: the droplet it was taken from. */
  dropletId?: number;
}

export interface ActionRec {
  id: number;
  type: string;
  /** The droplet the action runs on; a volume action names the droplet it attaches to or detaches from; null for a reserved IP's. */
  dropletId: number | null;
  /** The resource of an action that runs on no droplet (a reserved IP's: its address as an integer; a volume's: null). */
  resource?: { type: string; id: number | null };
  /** Set for volume actions, whose resource is the volume (resource_id null: volume ids are UUIDs). */
  volumeId?: string;
  region: string;
  startedAt: number;
  /** Emulated ms from start to completion. */
  durationMs: number;
  /** Applied once, when the action completes. */
  effect?: () => void;
  done: boolean;
}

export interface VolumeRec {
  id: string;
  name: string;
  sizeGb: number;
  region: string;
  /** The one droplet it is attached to: set and cleared when attach/detach actions complete. */
  dropletId: number | null;
  tags: string[];
  filesystemType: string;
  createdAt: number;
  description: string;
}

export interface VolumeSnapshotRec {
  id: string;
  name: string;
  volumeId: string;
  region: string;
  /** The source volume's size: the smallest volume made from it. */
  minDiskGb: number;
  /** Billable size: the data the volume held. */
  sizeGb: number;
  tags: string[];
  createdAt: number;
}

export interface ReservedIpRec {
  ip: string;
  region: string;
  /** Set and cleared when assign/unassign actions complete, cleared when the droplet is destroyed. */
  dropletId: number | null;
  projectId: string;
}

export interface FirewallRec {
  id: string;
  name: string;
  createdAt: number;
  /** Kept as sent: the API answers with the rules it was given. */
  inbound: Record<string, unknown>[];
  outbound: Record<string, unknown>[];
  dropletIds: number[];
  tags: string[];
}

export interface VpcRec {
  id: string;
  name: string;
  region: string;
  ipRange: string;
  /** The region's default VPC, which droplets join when none is named; it cannot be deleted. */
  isDefault: boolean;
  createdAt: number;
}

export interface KeyRec {
  id: number;
  name: string;
  publicKey: string;
  fingerprint: string;
}

/**
 * Completed actions kept for GET /v2/actions (the real API keeps the history); beyond this the
 * oldest completed ones are dropped, so a long-running emulator stays bounded.
 */
export const ACTION_HISTORY = 10_000;

export class DoState {
  readonly droplets = new Map<number, DropletRec>();
  readonly images = new Map<number, ImageRec>();
  /** Every kept action by id, oldest first. */
  readonly actions = new Map<number, ActionRec>();
  /** Actions still running, oldest first: what `settle` and the lock checks read. */
  private readonly running = new Map<number, ActionRec>();
  /** Running actions per droplet and per volume: a resource with one is locked. */
  private readonly runningOn = new Map<number | string, number>();
  /** Kept actions per droplet, oldest first, for GET /v2/droplets/{id}/actions. */
  private readonly byDroplet = new Map<number, ActionRec[]>();
  readonly keys = new Map<number, KeyRec>();
  readonly volumes = new Map<string, VolumeRec>();
  readonly firewalls = new Map<string, FirewallRec>();
  private nextId = 400_000_000;
  readonly vpcs = new Map<string, VpcRec>();
  readonly volumeSnapshots = new Map<string, VolumeSnapshotRec>();
  readonly reservedIps = new Map<string, ReservedIpRec>();

  constructor(readonly ctx: EmulatorContext) {
    for (const i of SEED_IMAGES) {
      this.images.set(i.id, {
        id: i.id,
        slug: i.slug,
        name: i.name,
        distribution: i.distribution,
        type: 'base',
        regions: SEED_REGIONS.map((r) => r.slug),
        createdAt: Date.parse(i.created_at),
        minDisk: i.min_disk_size,
        sizeGb: i.size_gigabytes,
      });
    }
  }

  /** Every region has a default VPC that droplets join when none is named. */
  defaultVpc(region: string): string {
    const found = [...this.vpcs.values()].find((v) => v.isDefault && v.region === region);
    if (found) return found.id;
    const id = uuid(this.ctx.random);
    this.vpcs.set(id, { id, name: `default-${region}`, region, ipRange: this.nextVpcRange(), isDefault: true, createdAt: this.ctx.clock.now() });
    return id;
  }

  /** A /20 no other VPC of the account uses, as DigitalOcean picks when no ip_range is given. */
  nextVpcRange(): string {
    const used = new Set([...this.vpcs.values()].map((v) => v.ipRange));
    for (let n = 0; ; n++) {
      const range = `10.${100 + (n >> 4)}.${(n & 15) << 4}.0/20`;
      if (!used.has(range)) return range;
    }
  }

  /** Increasing ids with seeded gaps, like the real API's. */
  id(): number {
    this.nextId += 1 + Math.floor(this.ctx.random() * 1000);
    return this.nextId;
  }

  /** Applies the effect of every action whose time has come, in the order they started. */
  settle(): void {
    const now = this.ctx.clock.now();
    for (const a of this.running.values()) {
      if (now - a.startedAt < a.durationMs) continue;
      a.done = true;
      this.running.delete(a.id);
      for (const key of lockKeys(a)) {
        const n = (this.runningOn.get(key) ?? 1) - 1;
        if (n > 0) this.runningOn.set(key, n);
        else this.runningOn.delete(key);
      }
      a.effect?.();
    }
  }

  startAction(type: string, d: DropletRec, durationMs: number, effect?: () => void, volumeId?: string): ActionRec {
    const a: ActionRec = { id: this.id(), type, dropletId: d.id, region: d.region, startedAt: this.ctx.clock.now(), durationMs, done: false };
    if (effect) a.effect = effect;
    if (volumeId !== undefined) a.volumeId = volumeId;
    return this.track(a);
  }

  /**
   * A droplet's create runs from the droplet's own creation time, so it is done as the droplet turns
   * active (a second clock read would be seconds later on a time-scaled clock: a lock after "active").
   */
  startCreate(d: DropletRec): ActionRec {
    return this.track({ id: this.id(), type: 'create', dropletId: d.id, region: d.region, startedAt: d.createdAt, durationMs: this.ctx.config.bootMs, done: false });
  }

  /** Keeps the action, indexes what it locks while it runs and its droplet's history. */
  private track(a: ActionRec): ActionRec {
    this.actions.set(a.id, a);
    this.running.set(a.id, a);
    for (const key of lockKeys(a)) this.runningOn.set(key, (this.runningOn.get(key) ?? 0) + 1);
    if (a.dropletId !== null) {
      const mine = this.byDroplet.get(a.dropletId);
      if (mine) mine.push(a);
      else this.byDroplet.set(a.dropletId, [a]);
    }
    this.pruneActions();
    return a;
  }

  /** An action on a reserved IP, or on a volume alone (resize): it locks that resource, not a droplet. */
  startResourceAction(type: string, region: string, resource: { type: string; id: number | null }, durationMs: number, effect: () => void, volumeId?: string): ActionRec {
    const a: ActionRec = { id: this.id(), type, dropletId: null, resource, region, startedAt: this.ctx.clock.now(), durationMs, effect, done: false };
    if (volumeId !== undefined) a.volumeId = volumeId;
    return this.track(a);
  }

  /** The droplet's kept actions (volume actions on it included), oldest first. */
  actionsOf(dropletId: number): readonly ActionRec[] {
    return this.byDroplet.get(dropletId) ?? [];
  }

  /** Drops the oldest completed actions beyond ACTION_HISTORY; running ones always stay. */
  private pruneActions(): void {
    if (this.actions.size <= ACTION_HISTORY) return;
    const touched = new Set<number>();
    for (const a of this.actions.values()) {
      if (this.actions.size <= ACTION_HISTORY) break;
      if (!a.done) continue;
      this.actions.delete(a.id);
      if (a.dropletId !== null) touched.add(a.dropletId);
    }
    for (const id of touched) {
      const kept = this.byDroplet.get(id)!.filter((a) => this.actions.has(a.id));
      if (kept.length) this.byDroplet.set(id, kept);
      else this.byDroplet.delete(id);
    }
  }

  /** A destroyed droplet lets go of its volumes and reserved IP and leaves its firewalls, as on the real API. */
  removeDroplet(id: number): void {
    const d = this.droplets.get(id);
    if (d) this.ctx.ssh?.unregister(`203.0.${d.octets[0]}.${d.octets[1]}`);
    this.droplets.delete(id);
    for (const v of this.volumes.values()) if (v.dropletId === id) v.dropletId = null;
    for (const f of this.firewalls.values()) f.dropletIds = f.dropletIds.filter((x) => x !== id);
    for (const r of this.reservedIps.values()) if (r.dropletId === id) r.dropletId = null;
  }

  /** The droplet has a pending event: an action of its own or a volume action on it still runs. */
  locked(d: DropletRec): boolean {
    return this.runningOn.has(d.id);
  }

  /** An attach or detach of the volume still runs. */
  volumeBusy(volumeId: string): boolean {
    return this.runningOn.has(volumeId);
  }

  /** An action on the resource (a reserved IP, by its integer address, whichever name it was asked by) still runs. */
  resourceBusy(id: number): boolean {
    return this.runningOn.has(`resource:${id}`);
  }
}

/** What a running action locks: its droplet, its volume for volume actions, its resource (a reserved IP). */
function lockKeys(a: ActionRec): (number | string)[] {
  const keys: (number | string)[] = [];
  if (a.dropletId !== null) keys.push(a.dropletId);
  if (a.volumeId !== undefined) keys.push(a.volumeId);
  if (a.resource?.id != null) keys.push(`resource:${a.resource.id}`);
  return keys;
}

const SIZES_BY_SLUG = new Map(SEED_SIZES.map((s) => [s.slug, s]));

export function sizeBySlug(slug: string): SeedSize | undefined {
  return SIZES_BY_SLUG.get(slug);
}

export function sizeRegions(s: SeedSize): string[] {
  return s.regions ?? SEED_REGIONS.map((r) => r.slug);
}

/** The seeded catalog never changes: each size and region is rendered once and shared. */
export const renderSize = memo(sizeWire);
export const renderRegion = memo(regionWire);

/** Every size and every region, as GET /v2/sizes and /v2/regions list them. */
export const allSizes = once(() => SEED_SIZES.map(renderSize));
export const allRegions = once(() => SEED_REGIONS.map((r) => renderRegion(r.slug)));

function sizeWire(s: SeedSize): Record<string, unknown> {
  const out: Record<string, unknown> = {
    slug: s.slug,
    memory: s.memory,
    vcpus: s.vcpus,
    disk: s.disk,
    transfer: s.transfer,
    price_monthly: s.price_monthly,
    price_hourly: s.price_hourly,
    regions: sizeRegions(s),
    available: true,
    description: s.description,
    disk_info: [{ type: 'local', size: { amount: s.disk, unit: 'gib' } }],
  };
  if (s.gpu) out.gpu_info = { count: s.gpu.count, model: s.gpu.model, vram: { amount: s.gpu.vramGib, unit: 'gib' } };
  return out;
}

function regionWire(slug: string): Record<string, unknown> {
  const r = SEED_REGIONS.find((x) => x.slug === slug)!;
  return {
    name: r.name,
    slug: r.slug,
    features: REGION_FEATURES,
    available: true,
    sizes: SEED_SIZES.filter((s) => sizeRegions(s).includes(slug)).map((s) => s.slug),
  };
}

/** Images never change once made: each is rendered once (a droplet list embeds one per droplet). */
const renderedImages = new WeakMap<ImageRec, Record<string, unknown>>();

export function renderImage(ctx: EmulatorContext, i: ImageRec): Record<string, unknown> {
  let out = renderedImages.get(i);
  if (!out) renderedImages.set(i, (out = fixed(imageWire(ctx, i))));
  return out;
}

function imageWire(ctx: EmulatorContext, i: ImageRec): Record<string, unknown> {
  return {
    id: i.id,
    name: i.name,
    distribution: i.distribution,
    slug: i.slug,
    public: i.type === 'base',
    regions: [...i.regions],
    created_at: ctx.clock.iso(i.createdAt),
    type: i.type,
    min_disk_size: i.minDisk,
    size_gigabytes: i.sizeGb,
    description: '',
    tags: [],
    status: 'available',
    error_message: '',
  };
}

/** The parts of a droplet that follow from what never changes (its size, its addresses), made once and shared. */
const diskInfo = memo((disk: number) => [{ type: 'local', size: { amount: disk, unit: 'gib' } }]);
const DROPLET_FEATURES = { v4: fixed(['droplet_agent', 'private_networking']), v6: fixed(['droplet_agent', 'private_networking', 'ipv6']) };
const NO_NETWORKS = fixed({ v4: [], v6: [] });
const renderedNetworks = new WeakMap<DropletRec, { ipv6: boolean; networks: Record<string, unknown> }>();

function networksOf(d: DropletRec): Record<string, unknown> {
  const known = renderedNetworks.get(d);
  if (known?.ipv6 === d.ipv6) return known.networks;
  const [a, b] = d.octets;
  const networks = fixed({
    v4: [
      { ip_address: `10.110.${a}.${b}`, netmask: '255.255.240.0', gateway: '10.110.0.1', type: 'private' },
      { ip_address: `203.0.${a}.${b}`, netmask: '255.255.240.0', gateway: `203.0.${a}.1`, type: 'public' },
    ],
    v6: d.ipv6 ? [{ ip_address: `2604:a880:400:d1::${(a * 256 + b).toString(16)}:1`, netmask: 64, gateway: '2604:a880:400:d1::1', type: 'public' }] : [],
  });
  renderedNetworks.set(d, { ipv6: d.ipv6, networks });
  return networks;
}

export function renderDroplet(state: DoState, d: DropletRec): Record<string, unknown> {
  const { ctx } = state;
  const age = ctx.clock.now() - d.createdAt;
  const size = sizeBySlug(d.size)!;
  const image = state.images.get(d.imageId);
  const status = age < ctx.config.bootMs ? 'new' : d.power === 'on' ? 'active' : 'off';
  return {
    id: d.id,
    name: d.name,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    disk_info: diskInfo(size.disk),
    locked: status === 'new' || state.locked(d),
    status,
    kernel: null,
    created_at: ctx.clock.iso(d.createdAt),
    features: d.ipv6 ? DROPLET_FEATURES.v6 : DROPLET_FEATURES.v4,
    backup_ids: [],
    next_backup_window: null,
    snapshot_ids: d.snapshotIds,
    image: image ? renderImage(ctx, image) : {},
    volume_ids: [...state.volumes.values()].filter((v) => v.dropletId === d.id).map((v) => v.id),
    size: renderSize(size),
    size_slug: d.size,
    networks: age >= ctx.config.ipDelayMs ? networksOf(d) : NO_NETWORKS,
    region: renderRegion(d.region),
    tags: d.tags,
    vpc_uuid: d.vpcUuid,
    ...(size.gpu ? { gpu_info: renderSize(size).gpu_info } : {}),
  };
}

export function renderAction(state: DoState, a: ActionRec): Record<string, unknown> {
  const { ctx } = state;
  return {
    id: a.id,
    status: a.done ? 'completed' : 'in-progress',
    type: a.type,
    started_at: ctx.clock.iso(a.startedAt),
    completed_at: a.done ? ctx.clock.iso(a.startedAt + a.durationMs) : null,
    resource_id: a.resource ? a.resource.id : a.volumeId === undefined ? a.dropletId : null,
    resource_type: a.resource?.type ?? (a.volumeId === undefined ? 'droplet' : 'volume'),
    region: renderRegion(a.region),
    region_slug: a.region,
  };
}
