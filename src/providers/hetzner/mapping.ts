/** Pure converters from Hetzner Cloud wire shapes to ferry's domain types. */
import { ProviderError, statusTable } from '../../core/index.js';
import type {
  Firewall,
  Image,
  ImageSpec,
  Instance,
  InstanceStatus,
  Network,
  Offer,
  Region,
  Size,
  Snapshot,
  SshKey,
  Volume,
} from '../../core/index.js';
import type {
  HcFirewall,
  HcImage,
  HcLocation,
  HcPricing,
  HcNetwork,
  HcServer,
  HcServerType,
  HcServerTypePrice,
  HcSshKey,
  HcVolume,
} from './schema.js';

export const PROVIDER = 'hetzner';
export const CURRENCY = 'EUR';

/**
 * Server status → ferry state. Transitional states that end in a usable server are `new`
 * (waitReady keeps waiting); anything not listed falls back to `unknown` with the raw word kept.
 */
export const mapStatus = statusTable({
  initializing: 'new',
  starting: 'new',
  rebuilding: 'new',
  migrating: 'new',
  running: 'active',
  stopping: 'off',
  off: 'off',
  deleting: 'archive',
});

/**
 * Hetzner hands out a /64 per server ("2001:db8::/64"); the server configures the first address
 * of it, so that is the one people connect to.
 */
export function ipv6Address(network: string | undefined | null): string | null {
  if (!network) return null;
  const [prefix] = network.split('/');
  if (!prefix) return null;
  return prefix.endsWith('::') ? `${prefix}1` : prefix;
}

/** The image a server was created from, in ferry's spelling ("ubuntu-24.04" or "snapshot:<id>"). */
export function imageRef(img: HcImage | null): string | null {
  if (!img) return null;
  if (img.type === 'snapshot' || img.type === 'backup' || !img.name) return `snapshot:${img.id}`;
  return img.name;
}

export function serverToInstance(s: HcServer): Instance {
  return {
    provider: PROVIDER,
    id: String(s.id),
    name: s.name,
    status: mapStatus(s.status),
    ipv4: s.public_net?.ipv4?.ip ?? null,
    ipv6: ipv6Address(s.public_net?.ipv6?.ip),
    region: s.location?.name ?? s.datacenter.location.name,
    size: s.server_type.name,
    image: imageRef(s.image),
    labels: { ...s.labels },
    createdAt: s.created,
  };
}

/** The `image` field of POST /servers: a system image name, or an image id. */
export function imageParam(spec: ImageSpec): string {
  switch (spec.kind) {
    case 'ubuntu':
      return `ubuntu-${spec.version}`;
    case 'debian':
      return `debian-${spec.version}`;
    case 'snapshot':
    case 'custom':
      return spec.id;
  }
}

/** Snapshots carry no name in Hetzner; ferry keeps the name it was given in the description. */
export function imageToSnapshot(img: HcImage): Snapshot {
  return {
    provider: PROVIDER,
    id: String(img.id),
    name: img.description,
    createdAt: img.created ?? null,
    sizeGb: img.image_size ?? null,
    instanceId: img.created_from ? String(img.created_from.id) : null,
  };
}

export function imageToImage(img: HcImage): Image {
  return {
    id: img.name ?? String(img.id),
    name: img.description,
    distribution: img.os_flavor && img.os_flavor !== 'unknown' ? img.os_flavor : null,
    version: img.os_version ?? null,
  };
}

export function locationToRegion(l: HcLocation): Region {
  return { id: l.name, name: `${l.city}, ${l.country} (${l.description})`, available: true };
}

function price(p: { net: string }): number {
  return Number(p.net);
}

/** Where the account can order each server type now, from /datacenters: location → type ids. */
export type Availability = ReadonlyMap<string, ReadonlySet<number>>;

/** Being phased out: the old boolean, or the deprecation object newer answers carry instead. */
export function isDeprecated(t: Pick<HcServerType, 'deprecated' | 'deprecation'>): boolean {
  return t.deprecated === true || (t.deprecation !== undefined && t.deprecation !== null);
}

/**
 * Locations a type can be ordered in now: priced there, not being phased out there, and (when
 * /datacenters was read) listed as available by a datacenter of that location. `locations` is
 * absent in 2024 answers: prices alone then say where the type is sold.
 */
export function orderablePrices(t: HcServerType, availability?: Availability): HcServerTypePrice[] {
  if (!Array.isArray(t.prices)) {
    throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: `server type ${String(t.name)}`, message: `hetzner server type ${String(t.name)} has no prices list` });
  }
  if (isDeprecated(t)) return [];
  const phasingOut = new Set((t.locations ?? []).filter((l) => l?.deprecation).map((l) => l.name));
  return t.prices.filter((p) => {
    if (!p || typeof p.location !== 'string' || phasingOut.has(p.location)) return false;
    const available = availability?.get(p.location);
    return available === undefined || available.has(t.id);
  });
}

/**
 * Net prices (before VAT): Hetzner's gross depends on the account's country, while the other
 * providers ferry compares against quote prices without tax.
 * A Size carries the cheapest location's price; listOffers has every location's.
 */
export function serverTypeToSize(t: HcServerType, availability?: Availability): Size {
  const prices = orderablePrices(t, availability);
  const cheapest = [...prices].sort((a, b) => price(a.price_hourly) - price(b.price_hourly))[0];
  return {
    id: t.name,
    vcpus: t.cores,
    memoryGb: t.memory,
    diskGb: t.disk,
    gpu: null,
    gpuCount: 0,
    regions: prices.map((p) => p.location),
    priceHourly: cheapest ? price(cheapest.price_hourly) : null,
    priceMonthly: cheapest ? price(cheapest.price_monthly) : null,
    currency: CURRENCY,
  };
}

/** Per location, the net price of the primary IPv4 a server gets by default (from /pricing). */
export type Ipv4Prices = ReadonlyMap<string, { hourly: number; monthly: number }>;

export function ipv4PricesFrom(pricing: HcPricing): Ipv4Prices {
  const out = new Map<string, { hourly: number; monthly: number }>();
  const ipv4 = (pricing.primary_ips ?? []).find((ip) => ip?.type === 'ipv4');
  for (const p of ipv4?.prices ?? []) {
    const hourly = Number(p?.price_hourly?.net);
    const monthly = Number(p?.price_monthly?.net);
    if (typeof p?.location === 'string' && Number.isFinite(hourly) && Number.isFinite(monthly)) out.set(p.location, { hourly, monthly });
  }
  return out;
}

/**
 * One offer per server type × location it can be ordered in. Prices are net (pricesIncludeVat
 * false); the primary IPv4 every ferry server gets is a separate Hetzner charge, carried as an extra.
 */
export function serverTypeOffers(t: HcServerType, fetchedAt: string, availability?: Availability, ipv4?: Ipv4Prices): Offer[] {
  return orderablePrices(t, availability).map((p) => {
    const ip = ipv4?.get(p.location);
    const offer: Offer = {
      provider: PROVIDER,
      plan: t.name,
      region: p.location,
      vcpus: t.cores,
      memoryGb: t.memory,
      diskGb: t.disk,
      gpu: null,
      gpuCount: 0,
      priceHourly: price(p.price_hourly),
      priceMonthly: price(p.price_monthly),
      currency: CURRENCY,
      bareMetal: false,
      leadTimeHours: 0,
      source: 'live',
      fetchedAt,
      arch: t.architecture === 'arm' ? 'arm' : 'x86',
      pricesIncludeVat: false,
    };
    if (ip) offer.extras = [{ what: 'primary IPv4 address', priceHourly: ip.hourly, priceMonthly: ip.monthly }];
    return offer;
  });
}

export function sshKeyFromWire(k: HcSshKey): SshKey {
  return { id: String(k.id), name: k.name, fingerprint: k.fingerprint, publicKey: k.public_key };
}

export function networkFromWire(n: HcNetwork): Network {
  return { id: String(n.id), name: n.name, ipRange: n.ip_range ?? null };
}

export function firewallFromWire(f: HcFirewall): Firewall {
  return { id: String(f.id), name: f.name };
}

export function volumeFromWire(v: HcVolume): Volume {
  return {
    id: String(v.id),
    name: v.name,
    sizeGb: v.size,
    region: v.location.name,
    status: v.status,
    instanceId: v.server === null || v.server === undefined ? null : String(v.server),
    devicePath: v.linux_device || null,
  };
}
