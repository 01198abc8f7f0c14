/** Pure converters from Linode wire shapes to ferry's domain types. */
import {
  ProviderError,
  type Firewall,
  type Image,
  type ImageSpec,
  type Instance,
  type InstanceState,
  type InstanceStatus,
  type Network,
  type Offer,
  type Region,
  type Size,
  type Snapshot,
  type SshKey,
  type Volume,
} from '../../core/index.js';
import type { LnFirewall, LnImage, LnLinode, LnPrice, LnRegion, LnSshKey, LnType, LnVolume, LnVpc } from './schema.js';
import { tagsToLabels } from './tags.js';

export const PROVIDER = 'linode';
export const CURRENCY = 'USD';

/**
 * Linode status → ferry state. States on the way to a running Linode are `new` (waitReady keeps
 * waiting); anything not listed falls back to `unknown` with the raw word kept.
 */
export const STATUS_TABLE: Readonly<Record<string, InstanceState>> = Object.freeze({
  provisioning: 'new',
  booting: 'new',
  rebooting: 'new',
  rebuilding: 'new',
  migrating: 'new',
  cloning: 'new',
  restoring: 'new',
  busy: 'new',
  running: 'active',
  shutting_down: 'off',
  offline: 'off',
  stopped: 'off',
  billing_suspension: 'off',
  deleting: 'archive',
});

export function mapStatus(raw: string): InstanceStatus {
  return { state: Object.hasOwn(STATUS_TABLE, raw) ? STATUS_TABLE[raw]! : 'unknown', raw };
}

function shapeError(what: string): ProviderError {
  return new ProviderError({ kind: 'api', provider: PROVIDER, message: `unexpected ${what} from the Linode API` });
}

/** Linode gives the SLAAC address as "2600:3c00::f03c:91ff:fe24:3a2f/128": the address is what matters. */
export function ipv6Address(v: string | null | undefined): string | null {
  if (!v) return null;
  return v.split('/')[0] || null;
}

/** The first public IPv4 (private 192.168.x.x addresses are listed too). */
export function publicIpv4(list: readonly string[] | null | undefined): string | null {
  return (list ?? []).find((ip) => !/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip)) ?? null;
}

export function linodeToInstance(l: LnLinode): Instance {
  if (!l || typeof l !== 'object' || typeof l.id !== 'number' || typeof l.label !== 'string') throw shapeError('Linode');
  return {
    provider: PROVIDER,
    id: String(l.id),
    name: l.label,
    status: mapStatus(String(l.status ?? 'unknown')),
    ipv4: publicIpv4(l.ipv4),
    ipv6: ipv6Address(l.ipv6),
    region: l.region,
    size: l.type,
    image: l.image ?? null,
    labels: tagsToLabels(l.tags),
    createdAt: l.created,
  };
}

/** The image of POST /linode/instances: "linode/ubuntu24.04", "linode/debian12", or an id. */
export function imageParam(spec: ImageSpec): string {
  switch (spec.kind) {
    case 'ubuntu':
      return `linode/ubuntu${spec.version}`;
    case 'debian':
      return `linode/debian${spec.version}`;
    case 'snapshot':
    case 'custom':
      return spec.id;
  }
}

/** "linode/ubuntu24.04" → ubuntu 24.04; ids of private images pass through. */
export function imageToImage(img: LnImage): Image {
  const m = /^linode\/([a-z]+)(\d[\w.]*)$/.exec(img.id);
  return { id: img.id, name: img.label, distribution: img.vendor?.toLowerCase() ?? m?.[1] ?? null, version: m?.[2] ?? null };
}

export function imageToSnapshot(img: LnImage): Snapshot {
  return { provider: PROVIDER, id: img.id, name: img.label, createdAt: img.created ?? null, sizeGb: typeof img.size === 'number' ? img.size / 1024 : null, instanceId: null };
}

export function regionToRegion(r: LnRegion): Region {
  return { id: r.id, name: `${r.label} (${r.country.toUpperCase()})`, available: (r.status ?? 'ok') === 'ok' };
}

/** The capability a region must have to sell this type. */
export function capabilityFor(t: LnType): string {
  return t.class === 'gpu' || (t.gpus ?? 0) > 0 ? 'GPU Linodes' : 'Linodes';
}

export function regionsFor(t: LnType, regions: readonly LnRegion[]): string[] {
  const need = capabilityFor(t);
  return regions.filter((r) => (r.capabilities ?? []).includes(need)).map((r) => r.id);
}

/** A region-specific price wins over the base price. */
export function priceIn(t: LnType, region: string): LnPrice {
  return t.region_prices?.find((p) => p.id === region) ?? t.price;
}

/** The GPU model named in the type's label ("Dedicated 32 GB + RTX6000 GPU x1", "RTX4000 Ada x1 Small"). */
export function gpuModel(t: LnType): { model: string; memoryGb: number } | null {
  if (!(t.gpus ?? 0)) return null;
  if (/rtx\s?4000\s?ada/i.test(t.label) || /rtx4000a/i.test(t.id)) return { model: 'RTX 4000 Ada', memoryGb: 20 };
  if (/rtx\s?6000/i.test(t.label) || /rtx6000/i.test(t.id)) return { model: 'RTX 6000', memoryGb: 24 };
  return { model: t.label, memoryGb: 0 };
}

const gb = (mb: number) => Math.round((mb / 1024) * 100) / 100;

export function typeToSize(t: LnType, regions: readonly LnRegion[]): Size {
  const gpu = gpuModel(t);
  return {
    id: t.id,
    vcpus: t.vcpus,
    memoryGb: gb(t.memory),
    diskGb: gb(t.disk),
    gpu: gpu?.model ?? null,
    gpuCount: t.gpus ?? 0,
    regions: regionsFor(t, regions),
    priceHourly: t.price?.hourly ?? null,
    priceMonthly: t.price?.monthly ?? null,
    currency: CURRENCY,
  };
}

/** One offer per type × region that sells it, at that region's price. */
export function typeOffers(t: LnType, regions: readonly LnRegion[], fetchedAt: string): Offer[] {
  const gpu = gpuModel(t);
  return regionsFor(t, regions).flatMap((region) => {
    const p = priceIn(t, region);
    if (typeof p.hourly !== 'number' || typeof p.monthly !== 'number') return [];
    return [
      {
        provider: PROVIDER,
        plan: t.id,
        region,
        vcpus: t.vcpus,
        memoryGb: gb(t.memory),
        diskGb: gb(t.disk),
        gpu: gpu?.model ?? null,
        gpuCount: t.gpus ?? 0,
        gpuMemoryGb: gpu ? gpu.memoryGb || null : null,
        priceHourly: p.hourly,
        priceMonthly: p.monthly,
        currency: CURRENCY,
        bareMetal: false,
        leadTimeHours: 0,
        arch: 'x86' as const,
        billing: 'hourly' as const,
        source: 'live' as const,
        fetchedAt,
      },
    ];
  });
}

export function sshKeyFromWire(k: LnSshKey): SshKey {
  return { id: String(k.id), name: k.label, fingerprint: null, publicKey: k.ssh_key ?? null };
}

export function vpcToNetwork(v: LnVpc): Network {
  return { id: String(v.id), name: v.label, ipRange: v.subnets?.[0]?.ipv4 ?? null };
}

export function firewallFromWire(f: LnFirewall): Firewall {
  return { id: String(f.id), name: f.label };
}

export function volumeFromWire(v: LnVolume): Volume {
  return {
    id: String(v.id),
    name: v.label,
    sizeGb: v.size,
    region: v.region,
    status: v.status,
    instanceId: v.linode_id === null || v.linode_id === undefined ? null : String(v.linode_id),
    devicePath: v.filesystem_path || null,
  };
}
