/** Renders emulator state as the API's JSON objects, every field the spec requires included. */
import { memo } from '../engine/index.js';
import { fixed } from '../engine/json.js';
import { SEED_IMAGES, SEED_LOCATIONS, SEED_SERVER_TYPES, seedPrices, type SeedImage, type SeedLocation, type SeedServerType } from './seed.js';
import type { ActionRec, FirewallRec, HetznerState, NetworkRec, ServerRec, SnapshotRec, SshKeyRec, VolumeRec } from './state.js';

const LOCATIONS_BY_NAME = new Map(SEED_LOCATIONS.map((l) => [l.name, l]));
const TYPES_BY_NAME = new Map(SEED_SERVER_TYPES.map((t) => [t.name, t]));
const SYSTEM_IMAGES_BY_ID = new Map(SEED_IMAGES.map((i) => [i.id, i]));

/** The seed catalog never changes: each of its objects is rendered once and shared by every answer. */
export const renderLocation = memo(locationWire);
export const renderDatacenter = memo(datacenterWire);
export const renderServerType = memo(serverTypeWire);
export const renderSystemImage = memo(systemImageWire);
/** Traffic included with a type in a location, from its price there. */
const includedTraffic = memo((key: string) => {
  const [typeName, location] = key.split('@') as [string, string];
  return seedPrices(TYPES_BY_NAME.get(typeName)!).find((p) => p.location === location)?.included_traffic ?? 0;
});

function locationWire(l: SeedLocation) {
  const { datacenter: _dc, ...rest } = l;
  return { ...rest };
}

const ALL_TYPE_IDS = SEED_SERVER_TYPES.map((t) => t.id);

function datacenterWire(l: SeedLocation) {
  const sold = SEED_SERVER_TYPES.filter((t) => t.locations.includes(l.name)).map((t) => t.id);
  return {
    id: l.datacenter.id,
    name: l.datacenter.name,
    description: l.datacenter.description,
    location: renderLocation(l),
    server_types: { supported: ALL_TYPE_IDS.filter((id) => sold.includes(id)), available: sold, available_for_migration: sold },
  };
}

function serverTypeWire(t: SeedServerType) {
  return {
    id: t.id,
    name: t.name,
    description: t.name.toUpperCase(),
    category: t.category,
    cores: t.cores,
    memory: t.memory,
    disk: t.disk,
    cpu_type: t.cpu_type,
    architecture: t.architecture,
    storage_type: 'local',
    deprecated: false,
    deprecation: null,
    locations: t.locations.map((name) => ({ id: locationByName(name)!.id, name, deprecation: null })),
    prices: seedPrices(t),
  };
}

function systemImageWire(i: SeedImage) {
  return {
    id: i.id,
    type: 'system',
    status: 'available',
    name: i.name,
    description: i.description,
    image_size: null,
    disk_size: 5,
    created: i.created,
    created_from: null,
    bound_to: null,
    os_flavor: i.os_flavor,
    os_version: i.os_version,
    architecture: i.architecture,
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: {},
  };
}

export function snapshotStatus(st: HetznerState, s: SnapshotRec): 'available' | 'creating' {
  return st.now() >= s.readyAt ? 'available' : 'creating';
}

export function renderSnapshot(st: HetznerState, s: SnapshotRec) {
  const ready = snapshotStatus(st, s) === 'available';
  return {
    id: s.id,
    type: 'snapshot',
    status: ready ? 'available' : 'creating',
    name: null,
    description: s.description,
    image_size: ready ? s.imageSize : null,
    disk_size: s.diskSize,
    created: st.ctx.clock.iso(s.createdAt),
    created_from: s.createdFrom,
    bound_to: null,
    os_flavor: s.osFlavor,
    os_version: s.osVersion,
    architecture: s.architecture,
    rapid_deploy: false,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: { ...s.labels },
  };
}

export function renderAction(st: HetznerState, a: ActionRec) {
  const elapsed = st.now() - a.startedAt;
  const done = elapsed >= a.durationMs;
  return {
    id: a.id,
    command: a.command,
    status: done ? 'success' : 'running',
    progress: done ? 100 : Math.min(99, Math.floor((elapsed / Math.max(1, a.durationMs)) * 100)),
    started: st.ctx.clock.iso(a.startedAt),
    finished: done ? st.ctx.clock.iso(a.startedAt + a.durationMs) : null,
    resources: a.resources,
    error: null,
  };
}

export function locationByName(name: string): SeedLocation | undefined {
  return LOCATIONS_BY_NAME.get(name);
}

export function serverTypeByName(name: string): SeedServerType | undefined {
  return TYPES_BY_NAME.get(name);
}

/** The ids of a server's two primary IPs, assigned with the create. */
export function primaryIpId(s: { id: number }, type: 'ipv4' | 'ipv6'): number {
  return s.id + (type === 'ipv4' ? 7_000_000 : 7_000_001);
}

/** A stable public address per server id, in Hetzner's cloud ranges. */
export function addresses(id: number): { ipv4: string; ipv6: string } {
  const a = (id >> 16) & 0xff;
  const b = (id >> 8) & 0xff;
  const c = id & 0xff;
  return { ipv4: `49.${13 + (a % 3)}.${b}.${c === 0 ? 1 : c}`, ipv6: `2a01:4f8:c0c:${(id & 0xffff).toString(16)}::/64` };
}

function renderImageOf(st: HetznerState, imageId: number) {
  const system = SYSTEM_IMAGES_BY_ID.get(imageId);
  if (system) return renderSystemImage(system);
  const snap = st.snapshots.get(imageId);
  return snap ? renderSnapshot(st, snap) : null;
}

/** A server's public_net follows from its id alone: made once per server, encoded once (fixed). */
const publicNets = new WeakMap<ServerRec, Record<string, unknown>>();

function publicNetOf(s: ServerRec): Record<string, unknown> {
  let net = publicNets.get(s);
  if (net === undefined) {
    const ip = addresses(s.id);
    net = fixed({
      ipv4: { id: primaryIpId(s, 'ipv4'), ip: ip.ipv4, blocked: false, dns_ptr: `static.${ip.ipv4.split('.').reverse().join('.')}.clients.your-server.de` },
      ipv6: { id: primaryIpId(s, 'ipv6'), ip: ip.ipv6, blocked: false, dns_ptr: [] },
      floating_ips: [],
      firewalls: [],
    });
    publicNets.set(s, net);
  }
  return net;
}

export function renderServer(st: HetznerState, s: ServerRec) {
  const loc = locationByName(s.location)!;
  const type = serverTypeByName(s.typeName)!;
  const volumes = [...st.volumes.values()].filter((v) => v.server === s.id).map((v) => v.id);
  return {
    id: s.id,
    name: s.name,
    status: st.serverStatus(s),
    created: st.ctx.clock.iso(s.createdAt),
    labels: { ...s.labels },
    public_net: publicNetOf(s),
    private_net: [],
    server_type: renderServerType(type),
    datacenter: renderDatacenter(loc),
    location: renderLocation(loc),
    image: renderImageOf(st, s.imageId),
    iso: null,
    rescue_enabled: s.rescue === true,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: includedTraffic(`${type.name}@${s.location}`),
    protection: { delete: false, rebuild: false },
    primary_disk_size: type.disk,
    placement_group: null,
    load_balancers: [],
    volumes,
  };
}

export function renderSshKey(st: HetznerState, k: SshKeyRec) {
  return { id: k.id, name: k.name, fingerprint: k.fingerprint, public_key: k.publicKey, labels: { ...k.labels }, created: st.ctx.clock.iso(k.createdAt) };
}

export function renderNetwork(st: HetznerState, n: NetworkRec) {
  return {
    id: n.id,
    name: n.name,
    ip_range: n.ipRange,
    subnets: n.subnets,
    routes: [],
    servers: [],
    load_balancers: [],
    protection: { delete: false },
    labels: { ...n.labels },
    created: st.ctx.clock.iso(n.createdAt),
    expose_routes_to_vswitch: false,
  };
}

export function renderFirewall(st: HetznerState, f: FirewallRec) {
  return { id: f.id, name: f.name, labels: { ...f.labels }, rules: f.rules, applied_to: [], created: st.ctx.clock.iso(f.createdAt) };
}

export function volumeStatus(st: HetznerState, v: VolumeRec): 'available' | 'creating' {
  return st.now() >= v.readyAt ? 'available' : 'creating';
}

export function renderVolume(st: HetznerState, v: VolumeRec) {
  return {
    id: v.id,
    name: v.name,
    size: v.size,
    server: v.server,
    location: renderLocation(locationByName(v.location)!),
    linux_device: `/dev/disk/by-id/scsi-0HC_Volume_${v.id}`,
    status: volumeStatus(st, v),
    format: v.format,
    protection: { delete: false },
    labels: { ...v.labels },
    created: st.ctx.clock.iso(v.createdAt),
  };
}
