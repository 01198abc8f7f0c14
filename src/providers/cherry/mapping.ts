/** Pure converters from Cherry Servers wire shapes to ferry's domain types, and the status tables. */
import type { Image, ImageSpec, Instance, InstanceState, InstanceStatus, Offer, Region, Size, SshKey } from '../../core/index.js';
import { shapeError } from './client.js';
import type { CsImage, CsPlan, CsPricing, CsRegion, CsServer, CsSshKey } from './schema.js';

export const PROVIDER = 'cherry';
export const HOURS_PER_MONTH = 730;

/**
 * A server's word for itself: the deploy state while it is being delivered, then the deployment
 * status, then its power. "pending/provisioning" are the order; "active/deploying" the install.
 */
export function rawStatus(s: CsServer, power: string | null): string {
  const state = s.state ?? 'unknown';
  if (state !== 'active') return state;
  const status = s.status ?? 'unknown';
  if (status !== 'deployed') return status;
  return power === 'off' ? 'off' : 'on';
}

export const STATUS_TABLE: Readonly<Record<string, InstanceState>> = Object.freeze({
  pending: 'new',
  provisioning: 'new',
  deploying: 'new',
  reinstalling: 'new',
  on: 'active',
  off: 'off',
  terminating: 'archive',
  'failed deployment': 'unknown',
  'rescue mode': 'unknown',
});

export function mapStatus(raw: string): InstanceStatus {
  return { state: Object.hasOwn(STATUS_TABLE, raw) ? STATUS_TABLE[raw]! : 'unknown', raw };
}

/** ferry's bare-metal stages by raw status. */
export const STAGE_TABLE: Readonly<Record<string, string>> = Object.freeze({
  pending: 'ordered',
  provisioning: 'provisioning',
  deploying: 'installing',
  reinstalling: 'installing',
  on: 'active',
  off: 'active',
});

export function stageOf(raw: string): string {
  return Object.hasOwn(STAGE_TABLE, raw) ? STAGE_TABLE[raw]! : raw;
}

export const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed deployment']);

export function serverToInstance(s: CsServer, power: string | null = null): Instance {
  if (typeof s.id !== 'number') throw shapeError('a server without an id');
  const ips = s.ip_addresses ?? [];
  const primary = (family: number) =>
    ips.find((ip) => ip?.address_family === family && ip.type === 'primary-ip')?.address ?? ips.find((ip) => ip?.address_family === family)?.address ?? null;
  const tags = s.tags && typeof s.tags === 'object' && !Array.isArray(s.tags) ? s.tags : {};
  return {
    provider: PROVIDER,
    id: String(s.id),
    name: s.hostname ?? s.name ?? '',
    status: mapStatus(rawStatus(s, power)),
    ipv4: primary(4),
    ipv6: primary(6),
    region: s.region?.slug ?? '',
    size: s.plan?.slug ?? '',
    image: s.deployed_image?.slug ?? null,
    labels: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v ?? '')])),
    createdAt: s.created_at ?? '',
  };
}

/** Cherry's image slugs: ubuntu_24_04_64bit, debian_12_64bit; an id passes through. */
export function imageSlug(spec: ImageSpec): string | null {
  switch (spec.kind) {
    case 'ubuntu':
      return `ubuntu_${spec.version.replace('.', '_')}_64bit`;
    case 'debian':
      return `debian_${spec.version}_64bit`;
    case 'custom':
      return spec.id;
    case 'snapshot':
      return null;
  }
}

function priceOf(p: CsPlan, unit: string): CsPricing | undefined {
  return (p.pricing ?? []).find((x) => x?.unit?.toLowerCase() === unit.toLowerCase() && typeof x.price === 'number');
}

function planShape(p: CsPlan) {
  if (!p.slug) throw shapeError('a plan without a slug');
  const s = p.specs ?? {};
  const vcpus = (s.cpus?.cores ?? 0) * (s.cpus?.count ?? 1);
  const diskGb = (s.storage ?? []).reduce((n, d) => n + (d.count ?? 1) * (d.unit?.toUpperCase() === 'TB' ? (d.size ?? 0) * 1000 : (d.size ?? 0)), 0);
  return { slug: p.slug, vcpus, memoryGb: s.memory?.total ?? 0, diskGb: Math.round(diskGb) };
}

export function planRegions(p: CsPlan): string[] {
  return (p.available_regions ?? []).map((r) => r?.slug).filter((s): s is string => typeof s === 'string');
}

export function stockAt(p: CsPlan, region: string): number {
  return (p.available_regions ?? []).find((r) => r?.slug === region)?.stock_qty ?? 0;
}

export function planToSize(p: CsPlan): Size {
  const s = planShape(p);
  const hourly = priceOf(p, 'Hourly');
  const monthly = priceOf(p, 'Monthly');
  return {
    id: s.slug,
    vcpus: s.vcpus,
    memoryGb: s.memoryGb,
    diskGb: s.diskGb,
    gpu: null,
    gpuCount: 0,
    regions: planRegions(p),
    priceHourly: hourly?.price ?? null,
    priceMonthly: monthly?.price ?? null,
    currency: hourly?.currency ?? monthly?.currency ?? 'EUR',
  };
}

/**
 * One offer per plan and region, priced as the driver orders it: hourly (the default cycle,
 * 730 h to the month) or monthly (paid in advance for the month, one month at least). Bare metal
 * in stock is delivered within the hour; out of stock it cannot be ordered (stock 0).
 */
export function planOffers(p: CsPlan, fetchedAt: string, cycle: 'hourly' | 'monthly'): Offer[] {
  const s = planShape(p);
  const hourly = priceOf(p, 'Hourly');
  const monthly = priceOf(p, 'Monthly');
  const chosen = cycle === 'monthly' ? monthly : hourly;
  if (!chosen) return [];
  const isVps = p.type === 'vps';
  return (p.available_regions ?? []).flatMap((r) => {
    if (!r?.slug) return [];
    const offer: Offer = {
      provider: PROVIDER,
      plan: s.slug,
      region: r.slug,
      vcpus: s.vcpus,
      memoryGb: s.memoryGb,
      diskGb: s.diskGb,
      gpu: null,
      gpuCount: 0,
      priceHourly: cycle === 'monthly' ? chosen.price! / HOURS_PER_MONTH : chosen.price!,
      priceMonthly: cycle === 'monthly' ? chosen.price! : chosen.price! * HOURS_PER_MONTH,
      currency: chosen.currency ?? 'EUR',
      bareMetal: !isVps,
      leadTimeHours: isVps ? 0 : (r.stock_qty ?? 0) > 0 ? 0.5 : 0,
      source: 'live',
      fetchedAt,
      arch: 'x86',
      pricesIncludeVat: chosen.taxed === true,
      setupFee: 0,
      billing: cycle,
      minimumTermMonths: cycle === 'monthly' ? 1 : 0,
      stock: r.stock_qty ?? null,
    };
    return [offer];
  });
}

export function regionToRegion(r: CsRegion): Region {
  if (!r.slug) throw shapeError('a region without a slug');
  return { id: r.slug, name: r.location ? `${r.name ?? r.slug} (${r.location})` : (r.name ?? r.slug), available: true };
}

export function imageToImage(i: CsImage): Image {
  if (!i.slug) throw shapeError('an image without a slug');
  const m = /^([a-z]+)_(\d+(?:_\d+)?)/.exec(i.slug);
  return { id: i.slug, name: i.name ?? i.slug, distribution: m?.[1] ?? null, version: m?.[2]?.replace('_', '.') ?? null };
}

export function sshKeyFromWire(k: CsSshKey): SshKey {
  return { id: String(k.id ?? ''), name: k.label ?? '', fingerprint: k.fingerprint ?? null, publicKey: k.key ?? null };
}
