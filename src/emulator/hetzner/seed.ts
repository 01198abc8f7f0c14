/**
 * Seed catalog of the emulated Hetzner Cloud project: the real locations and datacenters, server
 * types with their ids and net EUR list prices, and the system images with their real names.
 * EU prices are Hetzner's published 2025 list prices (net, before VAT). Hetzner sells only the
 * AMD (cpx) and dedicated (ccx) lines outside Europe, at a regional surcharge; those prices are
 * the EU price times the factor below, and include less traffic, as Hetzner's price list does.
 */

export interface SeedLocation {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
  datacenter: { id: number; name: string; description: string };
}

export const SEED_LOCATIONS: SeedLocation[] = [
  { id: 1, name: 'fsn1', description: 'Falkenstein DC Park 1', country: 'DE', city: 'Falkenstein', latitude: 50.47612, longitude: 12.370071, network_zone: 'eu-central', datacenter: { id: 4, name: 'fsn1-dc14', description: 'Falkenstein 1 virtual DC 14' } },
  { id: 2, name: 'nbg1', description: 'Nuremberg DC Park 1', country: 'DE', city: 'Nuremberg', latitude: 49.452102, longitude: 11.076665, network_zone: 'eu-central', datacenter: { id: 2, name: 'nbg1-dc3', description: 'Nuremberg 1 virtual DC 3' } },
  { id: 3, name: 'hel1', description: 'Helsinki DC Park 1', country: 'FI', city: 'Helsinki', latitude: 60.169855, longitude: 24.938379, network_zone: 'eu-central', datacenter: { id: 3, name: 'hel1-dc2', description: 'Helsinki 1 virtual DC 2' } },
  { id: 4, name: 'ash', description: 'Ashburn, VA', country: 'US', city: 'Ashburn, VA', latitude: 39.045821, longitude: -77.487073, network_zone: 'us-east', datacenter: { id: 5, name: 'ash-dc1', description: 'Ashburn virtual DC 1' } },
  { id: 5, name: 'hil', description: 'Hillsboro, OR', country: 'US', city: 'Hillsboro, OR', latitude: 45.54222, longitude: -122.951924, network_zone: 'us-west', datacenter: { id: 6, name: 'hil-dc1', description: 'Hillsboro virtual DC 1' } },
  { id: 6, name: 'sin', description: 'Singapore', country: 'SG', city: 'Singapore', latitude: 1.283333, longitude: 103.833333, network_zone: 'ap-southeast', datacenter: { id: 7, name: 'sin-dc1', description: 'Singapore virtual DC 1' } },
];

const EU = ['fsn1', 'nbg1', 'hel1'];
const SEED_LOCATION_NAMES = ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin'];
const EVERYWHERE = ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin'];

/** Regional price factor and included traffic (TB) outside Europe. */
const REGION: Record<string, { factor: number; trafficTb: number }> = {
  fsn1: { factor: 1, trafficTb: 20 },
  nbg1: { factor: 1, trafficTb: 20 },
  hel1: { factor: 1, trafficTb: 20 },
  ash: { factor: 1.2, trafficTb: 1 },
  hil: { factor: 1.2, trafficTb: 1 },
  sin: { factor: 1.5, trafficTb: 0.5 },
};

export interface SeedServerType {
  id: number;
  name: string;
  cores: number;
  /** GB */
  memory: number;
  /** GB */
  disk: number;
  cpu_type: 'shared' | 'dedicated';
  architecture: 'x86' | 'arm';
  category: string;
  /** EUR, net: what Hetzner charges in Europe. */
  monthly: number;
  hourly: number;
  locations: string[];
}

const t = (
  id: number,
  name: string,
  cores: number,
  memory: number,
  disk: number,
  cpu_type: 'shared' | 'dedicated',
  architecture: 'x86' | 'arm',
  category: string,
  monthly: number,
  hourly: number,
  locations: string[],
): SeedServerType => ({ id, name, cores, memory, disk, cpu_type, architecture, category, monthly, hourly, locations });

export const SEED_SERVER_TYPES: SeedServerType[] = [
  t(104, 'cx22', 2, 4, 40, 'shared', 'x86', 'Cost-Optimized', 3.79, 0.006, EU),
  t(105, 'cx32', 4, 8, 80, 'shared', 'x86', 'Cost-Optimized', 6.8, 0.0108, EU),
  t(106, 'cx42', 8, 16, 160, 'shared', 'x86', 'Cost-Optimized', 16.4, 0.0263, EU),
  t(107, 'cx52', 16, 32, 320, 'shared', 'x86', 'Cost-Optimized', 32.4, 0.0519, EU),
  t(45, 'cax11', 2, 4, 40, 'shared', 'arm', 'Cost-Optimized', 3.79, 0.006, EU),
  t(93, 'cax21', 4, 8, 80, 'shared', 'arm', 'Cost-Optimized', 6.49, 0.0104, EU),
  t(94, 'cax31', 8, 16, 160, 'shared', 'arm', 'Cost-Optimized', 12.49, 0.02, EU),
  t(95, 'cax41', 16, 32, 320, 'shared', 'arm', 'Cost-Optimized', 24.49, 0.0392, EU),
  t(22, 'cpx11', 2, 2, 40, 'shared', 'x86', 'Regular Purpose', 4.35, 0.007, EVERYWHERE),
  t(23, 'cpx21', 3, 4, 80, 'shared', 'x86', 'Regular Purpose', 7.55, 0.0121, EVERYWHERE),
  t(24, 'cpx31', 4, 8, 160, 'shared', 'x86', 'Regular Purpose', 13.6, 0.0218, EVERYWHERE),
  t(25, 'cpx41', 8, 16, 240, 'shared', 'x86', 'Regular Purpose', 25.2, 0.0403, EVERYWHERE),
  t(26, 'cpx51', 16, 32, 360, 'shared', 'x86', 'Regular Purpose', 54.9, 0.0879, EVERYWHERE),
  t(96, 'ccx13', 2, 8, 80, 'dedicated', 'x86', 'General Purpose', 12.49, 0.02, EVERYWHERE),
  t(97, 'ccx23', 4, 16, 160, 'dedicated', 'x86', 'General Purpose', 24.49, 0.0392, EVERYWHERE),
  t(98, 'ccx33', 8, 32, 240, 'dedicated', 'x86', 'General Purpose', 48.49, 0.0777, EVERYWHERE),
  t(99, 'ccx43', 16, 64, 360, 'dedicated', 'x86', 'General Purpose', 96.49, 0.1546, EVERYWHERE),
  t(100, 'ccx53', 32, 128, 600, 'dedicated', 'x86', 'General Purpose', 192.49, 0.3085, EVERYWHERE),
  t(101, 'ccx63', 48, 192, 960, 'dedicated', 'x86', 'General Purpose', 288.49, 0.4623, EVERYWHERE),
];

/** German VAT: what `gross` adds for an account billed in Germany. */
const VAT = 0.19;
const TB = 1024 ** 4;

/** Hetzner writes net prices with 10 decimals and gross with 16 ("1.0000000000", "1.1900000000000000"). */
const NET_DIGITS = 10;
const money = (n: number, digits: number) => n.toFixed(digits);
const priced = (net: number, digits: number) => ({ net: money(net, digits), gross: money(net * (1 + VAT), digits + 6) });

/** The `prices[]` entries of a server type, one per location it is sold in. */
export function seedPrices(type: SeedServerType) {
  return type.locations.map((loc) => {
    const r = REGION[loc]!;
    return {
      location: loc,
      price_hourly: priced(Math.round(type.hourly * r.factor * 10_000) / 10_000, NET_DIGITS),
      price_monthly: priced(Math.round(type.monthly * r.factor * 100) / 100, NET_DIGITS),
      included_traffic: Math.round(r.trafficTb * TB),
      price_per_tb_traffic: priced(1, NET_DIGITS),
    };
  });
}

export interface SeedImage {
  id: number;
  name: string;
  description: string;
  os_flavor: 'ubuntu' | 'debian';
  os_version: string;
  architecture: 'x86' | 'arm';
  created: string;
}

/** Hetzner keeps one x86 and one arm build under each system image name. */
export const SEED_IMAGES: SeedImage[] = [
  { id: 161547269, name: 'ubuntu-24.04', description: 'Ubuntu 24.04', os_flavor: 'ubuntu', os_version: '24.04', architecture: 'x86', created: '2024-04-25T12:00:00Z' },
  { id: 161547270, name: 'ubuntu-24.04', description: 'Ubuntu 24.04', os_flavor: 'ubuntu', os_version: '24.04', architecture: 'arm', created: '2024-04-25T12:00:00Z' },
  { id: 67794396, name: 'ubuntu-22.04', description: 'Ubuntu 22.04', os_flavor: 'ubuntu', os_version: '22.04', architecture: 'x86', created: '2022-04-21T12:00:00Z' },
  { id: 103908070, name: 'ubuntu-22.04', description: 'Ubuntu 22.04', os_flavor: 'ubuntu', os_version: '22.04', architecture: 'arm', created: '2023-03-01T12:00:00Z' },
  { id: 114690387, name: 'debian-12', description: 'Debian 12', os_flavor: 'debian', os_version: '12', architecture: 'x86', created: '2023-06-13T12:00:00Z' },
  { id: 114690389, name: 'debian-12', description: 'Debian 12', os_flavor: 'debian', os_version: '12', architecture: 'arm', created: '2023-06-13T12:00:00Z' },
];

/** Primary IPv4: EUR 0.50 a month net (Hetzner's list price since February 2024), the same everywhere. */
const IPV4_MONTHLY = 0.5;
const IPV4_HOURLY = 0.0008;

/** GET /pricing: the parts of Hetzner's price list the emulated resources use. */
export function seedPricing() {
  const perLocation = (hourly: number, monthly: number) =>
    SEED_LOCATION_NAMES.map((location) => ({ location, price_hourly: priced(hourly, NET_DIGITS), price_monthly: priced(monthly, NET_DIGITS) }));
  const monthlyOnly = (monthly: number) => SEED_LOCATION_NAMES.map((location) => ({ location, price_monthly: priced(monthly, NET_DIGITS) }));
  return {
    currency: 'EUR',
    vat_rate: (VAT * 100).toFixed(2),
    image: { price_per_gb_month: priced(0.011, NET_DIGITS) },
    floating_ip: { price_monthly: priced(3, NET_DIGITS) },
    floating_ips: [{ type: 'ipv4', prices: monthlyOnly(3) }, { type: 'ipv6', prices: monthlyOnly(1) }],
    primary_ips: [{ type: 'ipv4', prices: perLocation(IPV4_HOURLY, IPV4_MONTHLY) }, { type: 'ipv6', prices: perLocation(0, 0) }],
    server_backup: { percentage: '20.00' },
    server_types: SEED_SERVER_TYPES.map((type) => ({ id: type.id, name: type.name, prices: seedPrices(type) })),
    load_balancer_types: [],
    volume: { price_per_gb_month: priced(0.044, NET_DIGITS) },
  };
}
