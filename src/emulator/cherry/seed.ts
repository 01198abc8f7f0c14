/**
 * The emulated catalog. e3_1240v3 and cloud_vps_1 are as the official Python SDK's unit-test
 * fixtures record Cherry Servers' answers (specs, EUR prices with the taxed flag, eu_nord_1 stock);
 * the other plan's specs, prices and stock are made up for the emulator and are not a price source.
 */
export interface SeedRegion {
  id: number;
  name: string;
  slug: string;
  iso2: string;
  location: string;
}

export const SEED_REGIONS: SeedRegion[] = [
  { id: 1, name: 'EU-Nord-1', slug: 'eu_nord_1', iso2: 'LT', location: 'Lithuania, Šiauliai' },
  { id: 2, name: 'EU-West-1', slug: 'eu_west_1', iso2: 'NL', location: 'Netherlands, Amsterdam' },
  { id: 3, name: 'US-Chicago-1', slug: 'us_chicago_1', iso2: 'US', location: 'United States, Chicago' },
  { id: 4, name: 'AP-Singapore-1', slug: 'ap_singapore_1', iso2: 'SG', location: 'Singapore' },
];

export interface SeedPlan {
  id: number;
  slug: string;
  name: string;
  type: 'baremetal' | 'vps';
  category: string;
  cpus: { count: number; name: string; cores: number; frequency: number; unit: string };
  memory: { count: number; total: number; unit: string; name: string };
  storage: { count: number; name: string; size: number; unit: string; type: string }[];
  nics: string;
  bandwidth: string;
  /** Hourly and the fixed cycles, in EUR with VAT ("taxed"). */
  prices: { unit: string; price: number }[];
  /** Servers in stock per region slug. */
  stock: Record<string, number>;
}

export const SEED_PLANS: SeedPlan[] = [
  {
    id: 86,
    slug: 'e3_1240v3',
    name: 'E3-1240v3',
    type: 'baremetal',
    category: 'lightweight',
    cpus: { count: 1, name: 'E3-1240v3', cores: 4, frequency: 3.4, unit: 'GHz' },
    memory: { count: 1, total: 16, unit: 'GB', name: '16GB ECC DDRIII ' },
    storage: [{ count: 1, name: 'SSD 250GB', size: 250, unit: 'GB', type: 'SSD' }],
    nics: '1Gbps',
    bandwidth: '30TB',
    prices: [
      { unit: 'Monthly', price: 59.29 },
      { unit: 'Quarterly', price: 168.9765 },
      { unit: 'Semiannually', price: 320.166 },
      { unit: 'Annually', price: 604.758 },
      { unit: 'Hourly', price: 0.1016 },
      { unit: 'Spot hourly', price: 0.0812 },
    ],
    stock: { eu_nord_1: 23, eu_west_1: 0 },
  },
  {
    id: 9001,
    slug: 'amd_ryzen_7950x',
    name: 'AMD Ryzen 9 7950X',
    type: 'baremetal',
    category: 'performance',
    cpus: { count: 1, name: 'AMD Ryzen 9 7950X', cores: 16, frequency: 4.5, unit: 'GHz' },
    memory: { count: 4, total: 128, unit: 'GB', name: '128GB DDR5' },
    storage: [{ count: 2, name: 'NVMe 1TB', size: 1, unit: 'TB', type: 'NVMe' }],
    nics: '10Gbps',
    bandwidth: '100TB',
    prices: [
      { unit: 'Monthly', price: 221.43 },
      { unit: 'Hourly', price: 0.3792 },
    ],
    stock: { eu_nord_1: 2, us_chicago_1: 1 },
  },
  {
    id: 625,
    slug: 'cloud_vps_1',
    name: 'Cloud VPS 1',
    type: 'vps',
    category: 'Shared resources',
    cpus: { count: 1, name: '1 vCore', cores: 1, frequency: 0, unit: 'GHz' },
    memory: { count: 1, total: 1, unit: 'GB', name: '1GB' },
    storage: [{ count: 1, name: 'SSD 20GB', size: 20, unit: 'GB', type: 'SSD' }],
    nics: '1Gbps',
    bandwidth: '1TB',
    prices: [{ unit: 'Hourly', price: 0.01815 }],
    stock: { eu_nord_1: 500 },
  },
];

export const SEED_IMAGES = [
  { id: 311, name: 'Ubuntu 24.04 64bit', slug: 'ubuntu_24_04_64bit' },
  { id: 312, name: 'Ubuntu 22.04 64bit', slug: 'ubuntu_22_04_64bit' },
  { id: 321, name: 'Debian 12 64bit', slug: 'debian_12_64bit' },
  { id: 341, name: 'Fedora 41 64bit', slug: 'fedora_41_64bit' },
];
