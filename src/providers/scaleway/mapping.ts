/** Pure converters from Scaleway wire shapes to ferry's domain types, and the two status tables. */
import { ProviderError, type Firewall, type Instance, type InstanceState, type InstanceStatus, type Network, type Offer, type Size, type Snapshot, type SshKey, type Volume } from '../../core/index.js';
import { baremetalId, regionalId, regionOfZone, zonedId } from './ids.js';
import type { ScwBaremetalServer, ScwBlockVolume, ScwImage, ScwMoney, ScwOffer, ScwPrivateNetwork, ScwSecurityGroup, ScwServer, ScwServerType, ScwSshKey } from './schema.js';
import { tagsToLabels } from './tags.js';

export const PROVIDER = 'scaleway';
export const CURRENCY = 'EUR';
const GIB = 1024 ** 3;
const GB = 1_000_000_000;

/** Instance server state → ferry state; anything else is `unknown` with the raw word kept. */
export const SERVER_STATES: Readonly<Record<string, InstanceState>> = Object.freeze({
  starting: 'new',
  running: 'active',
  stopping: 'off',
  stopped: 'off',
  'stopped in place': 'off',
});

/** Elastic Metal status → ferry state (install progress refines `ready`, see baremetalStatus). */
export const BAREMETAL_STATES: Readonly<Record<string, InstanceState>> = Object.freeze({
  ordered: 'new',
  delivering: 'new',
  starting: 'new',
  resetting: 'new',
  migrating: 'new',
  ready: 'active',
  stopping: 'off',
  stopped: 'off',
  deleting: 'archive',
  out_of_stock: 'archive',
  error: 'archive',
});

export function mapState(table: Readonly<Record<string, InstanceState>>, raw: string): InstanceStatus {
  return { state: Object.hasOwn(table, raw) ? table[raw]! : 'unknown', raw };
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new ProviderError({ kind: 'api', provider: PROVIDER, message: `unexpected answer from Scaleway: ${what} is missing` });
  return value;
}

/** The public IPv4: `public_ips` (routed IPs), else the older `public_ip`. */
export function publicIpv4(s: ScwServer): string | null {
  const v4 = (s.public_ips ?? []).find((ip) => ip?.family !== 'inet6' && ip?.address && !ip.address.includes(':'));
  return v4?.address ?? s.public_ip?.address ?? null;
}

export function publicIpv6(s: ScwServer): string | null {
  const v6 = (s.public_ips ?? []).find((ip) => ip?.family === 'inet6' || ip?.address?.includes(':'));
  return v6?.address ?? s.ipv6?.address ?? null;
}

export function serverToInstance(s: ScwServer): Instance {
  const zone = need(s.zone, 'server.zone');
  return {
    provider: PROVIDER,
    id: zonedId(zone, need(s.id, 'server.id')),
    name: s.name ?? '',
    status: mapState(SERVER_STATES, String(s.state ?? 'unknown')),
    ipv4: publicIpv4(s),
    ipv6: publicIpv6(s),
    region: zone,
    size: s.commercial_type ?? '',
    image: s.image?.name ?? s.image?.id ?? null,
    labels: tagsToLabels(s.tags),
    createdAt: s.creation_date ?? new Date(0).toISOString(),
  };
}

/** `ready` is only active once the OS is installed; a server still installing is `new`. */
export function baremetalStatus(b: ScwBaremetalServer): InstanceStatus {
  const base = mapState(BAREMETAL_STATES, String(b.status ?? 'unknown'));
  const install = b.install?.status;
  if (b.status === 'ready' && install && install !== 'completed') {
    return install === 'error' ? { state: 'archive', raw: 'ready/install error' } : { state: 'new', raw: `ready/${install}` };
  }
  return base;
}

export function baremetalToInstance(b: ScwBaremetalServer): Instance {
  const zone = need(b.zone, 'server.zone');
  const ips = b.ips ?? [];
  return {
    provider: PROVIDER,
    id: baremetalId(zone, need(b.id, 'server.id')),
    name: b.name ?? '',
    status: baremetalStatus(b),
    ipv4: ips.find((i) => i.version === 'IPv4')?.address ?? null,
    ipv6: ips.find((i) => i.version === 'IPv6')?.address ?? null,
    region: zone,
    size: b.offer_name ?? b.offer_id,
    image: b.install?.os_id ?? null,
    labels: tagsToLabels(b.tags),
    createdAt: b.created_at ?? new Date(0).toISOString(),
  };
}

export function money(m: ScwMoney | null | undefined): number | null {
  if (!m) return null;
  return Math.round((Number(m.units ?? 0) + Number(m.nanos ?? 0) / 1e9) * 1e6) / 1e6;
}

/** GPU model as Scaleway names it ("H100", "L4", "P100"). */
export function gpuOf(t: ScwServerType): { model: string | null; count: number; memoryGb: number | null } {
  const count = Number(t.gpu ?? 0);
  if (!count) return { model: null, count: 0, memoryGb: null };
  const mem = t.gpu_info?.gpu_memory;
  return { model: t.gpu_info?.gpu_name ?? 'unknown', count, memoryGb: mem ? Math.round(mem / GIB) : null };
}

export function typeToSize(name: string, t: ScwServerType, zones: string[]): Size {
  const gpu = gpuOf(t);
  return {
    id: name,
    vcpus: t.ncpus,
    memoryGb: Math.round((t.ram / GIB) * 100) / 100,
    diskGb: Math.round((t.volumes_constraint?.min_size ?? 0) / GB),
    gpu: gpu.model,
    gpuCount: gpu.count,
    regions: zones,
    priceHourly: t.hourly_price ?? null,
    priceMonthly: t.monthly_price ?? null,
    currency: CURRENCY,
  };
}

export function typeOffer(name: string, t: ScwServerType, zone: string, fetchedAt: string): Offer | null {
  if (t.hourly_price === null || t.hourly_price === undefined || t.end_of_service) return null;
  const gpu = gpuOf(t);
  return {
    provider: PROVIDER,
    plan: name,
    region: zone,
    vcpus: t.ncpus,
    memoryGb: Math.round((t.ram / GIB) * 100) / 100,
    diskGb: Math.round((t.volumes_constraint?.min_size ?? 0) / GB),
    gpu: gpu.model,
    gpuCount: gpu.count,
    gpuMemoryGb: gpu.memoryGb,
    priceHourly: t.hourly_price,
    priceMonthly: t.monthly_price ?? Math.round(t.hourly_price * 730 * 100) / 100,
    currency: CURRENCY,
    bareMetal: false,
    leadTimeHours: 0,
    source: 'live',
    fetchedAt,
    arch: t.arch === 'arm64' || t.arch === 'arm' ? 'arm' : 'x86',
    pricesIncludeVat: false,
    billing: 'hourly',
  };
}

const STOCK: Record<string, number> = { empty: 0, low: 1, available: 10 };

/** Elastic Metal: delivery takes minutes to hours; monthly offers carry a setup fee and a month's term. */
export function baremetalOffer(o: ScwOffer, zone: string, fetchedAt: string): Offer | null {
  const monthly = money(o.price_per_month);
  const hourly = money(o.price_per_hour);
  if (o.enable === false || (monthly === null && hourly === null)) return null;
  const cpu = o.cpus ?? [];
  const gpus = o.gpus ?? [];
  const isMonthly = o.subscription_period === 'monthly' || hourly === null;
  return {
    provider: PROVIDER,
    plan: o.name,
    region: zone,
    vcpus: cpu.reduce((n, c) => n + Number(c.thread_count ?? c.core_count ?? 0), 0),
    memoryGb: Math.round((o.memories ?? []).reduce((n, m) => n + Number(m.capacity ?? 0), 0) / GIB),
    diskGb: Math.round((o.disks ?? []).reduce((n, d) => n + Number(d.capacity ?? 0), 0) / GB),
    gpu: gpus[0]?.name ?? null,
    gpuCount: gpus.length,
    gpuMemoryGb: gpus[0]?.vram ? Math.round(gpus[0].vram / GIB) : null,
    priceHourly: hourly ?? Math.round(((monthly ?? 0) / 730) * 10000) / 10000,
    priceMonthly: monthly ?? Math.round((hourly ?? 0) * 730 * 100) / 100,
    currency: o.price_per_month?.currency_code ?? o.price_per_hour?.currency_code ?? CURRENCY,
    bareMetal: true,
    leadTimeHours: 1,
    source: 'live',
    fetchedAt,
    pricesIncludeVat: false,
    setupFee: money(o.fee) ?? 0,
    billing: isMonthly ? 'monthly' : 'hourly',
    minimumTermMonths: isMonthly ? 1 : 0,
    stock: STOCK[o.stock] ?? null,
  };
}

export function imageToSnapshot(img: ScwImage, zone: string): Snapshot {
  return {
    provider: PROVIDER,
    id: zonedId(zone, img.id),
    name: img.name,
    createdAt: img.creation_date ?? null,
    sizeGb: img.root_volume?.size ? Math.round(img.root_volume.size / GB) : null,
    instanceId: img.from_server ? zonedId(zone, img.from_server) : null,
  };
}

export function sshKeyFromWire(k: ScwSshKey): SshKey {
  return { id: k.id, name: k.name, fingerprint: k.fingerprint ?? null, publicKey: k.public_key ?? null };
}

export function networkFromWire(n: ScwPrivateNetwork): Network {
  return { id: regionalId(n.region, n.id), name: n.name, ipRange: n.subnets?.[0]?.subnet ?? null };
}

export function firewallFromWire(g: ScwSecurityGroup, zone: string): Firewall {
  return { id: zonedId(g.zone ?? zone, g.id), name: g.name };
}

export function volumeFromWire(v: ScwBlockVolume): Volume {
  const server = (v.references ?? []).find((r) => r?.product_resource_type === 'instance_server' && r.product_resource_id);
  return {
    id: zonedId(v.zone, v.id),
    name: v.name,
    sizeGb: Math.round(v.size / GB),
    region: v.zone,
    status: v.status,
    instanceId: server ? zonedId(v.zone, server.product_resource_id!) : null,
    // Scaleway does not report where a volume appears in the guest.
    devicePath: null,
  };
}

export { regionOfZone };
