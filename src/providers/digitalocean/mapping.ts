/** Pure converters between DigitalOcean's wire shapes and ferry's domain types. */
import { CREATE_ID_KEY, statusTable, type ErrorKind, type Firewall, type Image, type Network, type ImageSpec, type Instance, type Offer, type Region, type Size, type Snapshot, type SshKey, type Volume } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';
import type { DoDroplet, DoFirewall, DoImage, DoRegion, DoSize, DoSnapshot, DoSshKey, DoVolume, DoVpc } from './schema.js';
import { BATCH_KEY, batchCreateId, tagsToLabels } from './tags.js';

export const PROVIDER = 'digitalocean';
export const CURRENCY = 'USD';

/** Droplet status → ferry state. Anything DigitalOcean adds later falls back to unknown (raw kept). */
export const mapStatus = statusTable({
  new: 'new',
  active: 'active',
  off: 'off',
  archive: 'archive',
});

/** A droplet of a multi-create carries its batch's tags; its own create id is the batch and its name. */
function labelsOf(d: DoDroplet): Record<string, string> {
  const labels = tagsToLabels(d.tags);
  const batch = labels[BATCH_KEY];
  if (batch && labels[CREATE_ID_KEY] === undefined && typeof d.name === 'string') labels[CREATE_ID_KEY] = batchCreateId(batch, d.name);
  return labels;
}

export function dropletToInstance(d: DoDroplet): Instance {
  const v4 = d.networks?.v4?.find((n) => n.type === 'public')?.ip_address ?? null;
  const v6 = d.networks?.v6?.find((n) => n.type === 'public')?.ip_address ?? null;
  return {
    provider: PROVIDER,
    id: String(d.id),
    name: d.name,
    status: mapStatus(d.status),
    ipv4: v4,
    ipv6: v6,
    region: d.region?.slug ?? '',
    size: d.size_slug ?? d.size?.slug ?? '',
    image: d.image?.slug ?? (d.image?.id !== undefined ? String(d.image.id) : null),
    labels: labelsOf(d),
    createdAt: d.created_at,
  };
}

/**
 * ImageSpec → the `image` field of a droplet create: distribution slugs (ubuntu 24.04 →
 * "ubuntu-24-04-x64", debian 12 → "debian-12-x64"), snapshot and numeric custom ids as integers.
 */
export function imageSlugOf(spec: ImageSpec): string | number {
  switch (spec.kind) {
    case 'ubuntu':
      return `ubuntu-${spec.version.replace('.', '-')}-x64`;
    case 'debian':
      return `debian-${spec.version}-x64`;
    case 'snapshot':
    case 'custom':
      return /^\d+$/.test(spec.id) ? Number(spec.id) : spec.id;
  }
}

/** `available` defaults to true in DigitalOcean's spec: only an explicit false takes a size or region off sale. */
export function isAvailable(x: { available?: boolean | null }): boolean {
  return x.available !== false;
}

export function regionFromDo(r: DoRegion): Region {
  return { id: r.slug, name: r.name, available: isAvailable(r) };
}

export function sizeFromDo(s: DoSize): Size {
  return {
    id: s.slug,
    vcpus: s.vcpus,
    memoryGb: s.memory / 1024,
    diskGb: s.disk,
    gpu: s.gpu_info?.model ?? null,
    gpuCount: s.gpu_info?.count ?? 0,
    regions: [...(s.regions ?? [])],
    priceHourly: s.price_hourly,
    priceMonthly: s.price_monthly,
    currency: CURRENCY,
  };
}

/**
 * One offer per orderable size × region; DigitalOcean prices a size the same everywhere.
 * Given the regions list, a region marked unavailable is left out.
 */
export function offersFromSizes(sizes: readonly DoSize[], fetchedAt: string, regions?: readonly DoRegion[]): Offer[] {
  const closed = new Set((regions ?? []).filter((r) => !isAvailable(r)).map((r) => r.slug));
  const offers: Offer[] = [];
  for (const s of sizes) {
    if (!isAvailable(s)) continue;
    for (const region of s.regions ?? []) {
      if (closed.has(region)) continue;
      offers.push({
        provider: PROVIDER,
        plan: s.slug,
        region,
        vcpus: s.vcpus,
        memoryGb: s.memory / 1024,
        diskGb: s.disk,
        gpu: s.gpu_info?.model ?? null,
        gpuCount: s.gpu_info?.count ?? 0,
        priceHourly: s.price_hourly,
        priceMonthly: s.price_monthly,
        currency: CURRENCY,
        bareMetal: false,
        leadTimeHours: 0,
        source: 'live',
        fetchedAt,
      });
    }
  }
  return offers;
}

/** Distribution images are named like "24.04 (LTS) x64" or "12 x64": the version leads. */
export function imageFromDo(i: DoImage): Image {
  const version = /^(\d+(?:\.\d+)?)/.exec(i.name)?.[1] ?? null;
  return { id: i.slug ?? String(i.id), name: i.name, distribution: i.distribution ?? null, version };
}

/**
 * ferry marks its snapshots with a name prefix. The snapshot droplet action takes only a name
 * (no tags), and tagging afterwards would be a second, non-atomic call that a crash could skip;
 * the prefix is set by the very request that creates the snapshot.
 */
export const SNAPSHOT_PREFIX = 'ferry:';

export function snapshotName(name: string): string {
  return SNAPSHOT_PREFIX + name;
}

export function isFerrySnapshot(name: string): boolean {
  return name.startsWith(SNAPSHOT_PREFIX);
}

export function snapshotFromDo(s: Pick<DoSnapshot, 'name' | 'created_at' | 'size_gigabytes'> & { id: string | number; resource_id?: string }): Snapshot {
  return {
    provider: PROVIDER,
    id: String(s.id),
    name: isFerrySnapshot(s.name) ? s.name.slice(SNAPSHOT_PREFIX.length) : s.name,
    createdAt: s.created_at ?? null,
    sizeGb: s.size_gigabytes ?? null,
    instanceId: s.resource_id ?? null,
  };
}

export function sshKeyFromDo(k: DoSshKey): SshKey {
  return { id: String(k.id), name: k.name, fingerprint: k.fingerprint ?? null, publicKey: k.public_key ?? null };
}

/**
 * DigitalOcean's error body `{id, message, request_id}` → message and kind. A droplet-limit 422
 * is a quota error; a size or region that cannot take the droplet is a capacity error, so
 * placement moves on to the next offer instead of reporting bad input.
 */
export function networkFromDo(v: DoVpc): Network {
  return { id: v.id, name: v.name, ipRange: v.ip_range || null };
}

export function firewallFromDo(f: DoFirewall): Firewall {
  return { id: f.id, name: f.name };
}

/** Where an attached volume appears inside the droplet (DigitalOcean's block storage docs). */
export function volumeDevicePath(name: string): string {
  return `/dev/disk/by-id/scsi-0DO_Volume_${name}`;
}

/**
 * DigitalOcean volumes have no status field: one is "attached" to its (single) droplet or
 * "available". The device path exists only inside a droplet, so only an attached volume has one.
 */
export function volumeFromDo(v: DoVolume): Volume {
  const dropletId = v.droplet_ids?.[0];
  return {
    id: v.id,
    name: v.name,
    sizeGb: v.size_gigabytes,
    region: v.region.slug,
    status: dropletId === undefined ? 'available' : 'attached',
    instanceId: dropletId === undefined ? null : String(dropletId),
    devicePath: dropletId === undefined ? null : volumeDevicePath(v.name),
  };
}

export function parseDoError(status: number, body: unknown): ParsedError {
  const b = (body && typeof body === 'object' ? body : {}) as Partial<{ id: unknown; message: unknown; request_id: unknown }>;
  const code = typeof b.id === 'string' ? b.id : undefined;
  const text = typeof b.message === 'string' ? b.message : typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
  const out: ParsedError = { message: text };
  if (code) out.code = code;
  if (typeof b.request_id === 'string') out.requestId = b.request_id;
  if (status === 422 || status === 403) {
    if (/droplet limit|exceed .*limit/i.test(text)) out.kind = 'quota';
    else if (/not available in (this|the) region|no capacity|insufficient capacity|out of capacity/i.test(text)) out.kind = 'capacity';
  }
  return out;
}
