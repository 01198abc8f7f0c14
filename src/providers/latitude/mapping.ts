/** Pure converters from Latitude.sh wire shapes to ferry's domain types, and the status table. */
import type { CpuArch, Image, ImageSpec, Instance, InstanceState, InstanceStatus, Offer, Region, Size, SshKey } from '../../core/index.js';
import type { LsOperatingSystemAttributes, LsPlan, LsPlanRegion, LsRegionAttributes, LsResource, LsServer, LsSshKeyAttributes } from './schema.js';
import { shapeError } from './client.js';
import { tagNamesToLabels } from './tags.js';

export const PROVIDER = 'latitude';
export const CURRENCY = 'USD';

/**
 * Server status → ferry state. Deploy and reinstall stages are `new`; `failed_deployment` and
 * `rescue_mode` are `unknown` (the bare-metal wait reports them); anything else unknown too.
 */
export const STATUS_TABLE: Readonly<Record<string, InstanceState>> = Object.freeze({
  starting_deploy: 'new',
  disk_erasing: 'new',
  deploying: 'new',
  on: 'active',
  off: 'off',
  failed_deployment: 'unknown',
  rescue_mode: 'unknown',
  unknown: 'unknown',
});

export function mapStatus(raw: string): InstanceStatus {
  return { state: Object.hasOwn(STATUS_TABLE, raw) ? STATUS_TABLE[raw]! : 'unknown', raw };
}

/** ferry's bare-metal stages (ordered → provisioning → installing → active) by status. */
export const STAGE_TABLE: Readonly<Record<string, string>> = Object.freeze({
  starting_deploy: 'ordered',
  disk_erasing: 'provisioning',
  deploying: 'installing',
  on: 'active',
  off: 'active',
});

export function stageOf(raw: string): string {
  return Object.hasOwn(STAGE_TABLE, raw) ? STAGE_TABLE[raw]! : raw;
}

/** Statuses a deploy or reinstall does not come back from on its own. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed_deployment', 'failed_disk_erasing']);

export function serverToInstance(s: LsServer): Instance {
  const a = s.attributes;
  if (!s.id || !a) throw shapeError('a server without id or attributes');
  const tagNames = (a.tags ?? []).map((t) => t?.name).filter((n): n is string => typeof n === 'string');
  return {
    provider: PROVIDER,
    id: s.id,
    name: a.hostname ?? '',
    status: mapStatus(a.status ?? 'unknown'),
    ipv4: a.primary_ipv4 || null,
    ipv6: a.primary_ipv6 || null,
    region: a.region?.site?.slug ?? '',
    size: a.plan?.slug ?? '',
    image: a.operating_system?.slug ?? null,
    labels: tagNamesToLabels(tagNames),
    createdAt: a.created_at ?? '',
  };
}

/** The slug the API takes for a distribution version, or the id as given. */
export function osSlug(spec: ImageSpec): string | null {
  switch (spec.kind) {
    case 'ubuntu':
      return `ubuntu_${spec.version.replace('.', '_')}_x64_lts`;
    case 'debian':
      return `debian_${spec.version}`;
    case 'custom':
      return spec.id;
    case 'snapshot':
      return null;
  }
}

/** "500 GB", "2 X 4 TB", "1.92TB" → GB. */
export function sizeToGb(text: string | undefined): number {
  const m = /([\d.]+)\s*(TB|GB)/i.exec(text ?? '');
  if (!m) return 0;
  const n = Number(m[1]);
  return Math.round(m[2]!.toUpperCase() === 'TB' ? n * 1000 : n);
}

function planShape(p: LsPlan) {
  const a = p.attributes;
  if (!a?.slug) throw shapeError('a plan without a slug');
  const specs = a.specs ?? {};
  const vcpus = (specs.cpu?.cores ?? 0) * (specs.cpu?.count ?? 1);
  const diskGb = (specs.drives ?? []).reduce((n, d) => n + (d.count ?? 1) * sizeToGb(d.size), 0);
  const gpuCount = specs.gpu?.count ?? 0;
  const gpu = gpuCount > 0 ? (specs.gpu?.type ?? null) : null;
  const arch: CpuArch = /gh200|grace|ampere|arm/i.test(`${a.slug} ${specs.cpu?.type ?? ''}`) ? 'arm' : 'x86';
  return { slug: a.slug, vcpus, memoryGb: specs.memory?.total ?? 0, diskGb, gpu, gpuCount, gpuMemoryGb: specs.gpu?.vram_per_gpu ?? null, arch };
}

/** Every site a plan can be ordered at (its regions' `locations.available`). */
export function planSites(p: LsPlan): string[] {
  return (p.attributes?.regions ?? []).flatMap((r) => r.locations?.available ?? []);
}

export function planInStockAt(p: LsPlan, site: string): boolean {
  return (p.attributes?.regions ?? []).some((r) => (r.locations?.in_stock ?? []).includes(site));
}

export function planToSize(p: LsPlan): Size {
  const s = planShape(p);
  const usd = (p.attributes?.regions ?? []).map((r) => r.pricing?.USD).find((x) => x && x.hour != null);
  return {
    id: s.slug,
    vcpus: s.vcpus,
    memoryGb: s.memoryGb,
    diskGb: s.diskGb,
    gpu: s.gpu,
    gpuCount: s.gpuCount,
    regions: planSites(p),
    priceHourly: usd?.hour ?? null,
    priceMonthly: usd?.month ?? null,
    currency: CURRENCY,
  };
}

/**
 * Hours from order to a usable server: Latitude deploys in-stock servers in minutes, at once for
 * the images listed in `deploys_instantly` (pre-installed stock); out of stock it takes no order.
 */
export function leadTimeHours(r: LsPlanRegion, site: string): number {
  if (!(r.locations?.in_stock ?? []).includes(site)) return 0;
  return (r.deploys_instantly ?? []).length > 0 ? 0.1 : 0.5;
}

/** One offer per plan and site, hourly-billed (capped at the monthly price), no setup fee. */
export function planOffers(p: LsPlan, fetchedAt: string): Offer[] {
  const s = planShape(p);
  const out: Offer[] = [];
  for (const r of p.attributes?.regions ?? []) {
    const usd = r.pricing?.USD;
    if (usd?.hour == null || usd.month == null) continue;
    for (const site of r.locations?.available ?? []) {
      const inStock = (r.locations?.in_stock ?? []).includes(site);
      out.push({
        provider: PROVIDER,
        plan: s.slug,
        region: site,
        vcpus: s.vcpus,
        memoryGb: s.memoryGb,
        diskGb: s.diskGb,
        gpu: s.gpu,
        gpuCount: s.gpuCount,
        gpuMemoryGb: s.gpuMemoryGb,
        priceHourly: usd.hour,
        priceMonthly: usd.month,
        currency: CURRENCY,
        bareMetal: true,
        leadTimeHours: leadTimeHours(r, site),
        source: 'live',
        fetchedAt,
        arch: s.arch,
        pricesIncludeVat: false,
        setupFee: 0,
        billing: 'hourly',
        minimumTermMonths: 0,
        // Latitude states a level (high, medium, low), not a count: in stock is "unknown count".
        stock: inStock ? null : 0,
      });
    }
  }
  return out;
}

export function regionToRegion(r: LsResource<LsRegionAttributes>): Region {
  const slug = r.attributes?.slug;
  if (!slug) throw shapeError('a region without a slug');
  return { id: slug, name: r.attributes?.name ?? slug, available: true };
}

export function osToImage(os: LsResource<LsOperatingSystemAttributes>): Image {
  const a = os.attributes;
  if (!a?.slug) throw shapeError('an operating system without a slug');
  return { id: a.slug, name: a.name ?? a.slug, distribution: a.distro ?? null, version: a.version ?? null };
}

export function sshKeyFromWire(k: LsResource<LsSshKeyAttributes>): SshKey {
  return { id: k.id ?? '', name: k.attributes?.name ?? '', fingerprint: k.attributes?.fingerprint ?? null, publicKey: k.attributes?.public_key ?? null };
}
