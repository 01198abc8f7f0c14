/**
 * The emulated catalog. c2-small-x86 is Latitude.sh's answer to GET /plans as recorded on
 * 2024-08-19 (terraform-provider-latitudesh, latitudesh/fixtures/TestAccPlan_Basic.yaml): specs,
 * sites, stock and USD prices. The other plans use slugs and sites the SDK enumerates, with
 * specs and prices made up for the emulator (they are not a price source).
 */
export interface SeedPlanRegion {
  name: string;
  available: string[];
  inStock: string[];
  deploysInstantly: string[];
  stockLevel: 'unavailable' | 'low' | 'medium' | 'high';
  usd: { hour: number; month: number; year: number };
}

export interface SeedPlan {
  id: string;
  slug: string;
  name: string;
  cpu: { type: string; clock: number; cores: number; count: number };
  memoryGb: number;
  drives: { count: number; size: string; type: string }[];
  nics: { count: number; type: string }[];
  gpu: { count: number; type: string; vram_per_gpu: number } | null;
  regions: SeedPlanRegion[];
}

const US = ['CHI', 'ASH', 'DAL', 'MIA2', 'LAX', 'NYC', 'MIA'];

export const SEED_PLANS: SeedPlan[] = [
  {
    id: 'plan_2X6KG5mA5yPBM',
    slug: 'c2-small-x86',
    name: 'c2.small.x86',
    cpu: { type: 'E-2134G', clock: 3.5, cores: 4, count: 1 },
    memoryGb: 32,
    drives: [{ count: 1, size: '500 GB', type: 'SSD' }],
    nics: [{ count: 1, type: '1 Gbps' }],
    gpu: null,
    regions: [
      { name: 'Brazil', available: ['SAO2', 'SAO'], inStock: ['SAO2', 'SAO'], deploysInstantly: ['ubuntu_24_04_x64_lts', 'ubuntu_22_04_x64_lts'], stockLevel: 'high', usd: { hour: 0.22, month: 153, year: 1349 } },
      { name: 'Germany', available: ['FRA'], inStock: [], deploysInstantly: [], stockLevel: 'unavailable', usd: { hour: 0.21, month: 146, year: 1288 } },
      { name: 'United States', available: US, inStock: ['CHI', 'DAL', 'MIA2', 'LAX', 'NYC'], deploysInstantly: ['ubuntu_24_04_x64_lts'], stockLevel: 'high', usd: { hour: 0.21, month: 146, year: 1288 } },
      { name: 'Japan', available: ['TYO', 'TYO3', 'TYO2'], inStock: ['TYO', 'TYO3', 'TYO2'], deploysInstantly: ['ubuntu_24_04_x64_lts'], stockLevel: 'high', usd: { hour: 0.22, month: 153, year: 1349 } },
    ],
  },
  {
    id: 'plan_emuC3MediumX86',
    slug: 'c3-medium-x86',
    name: 'c3.medium.x86',
    cpu: { type: 'AMD 9254', clock: 2.9, cores: 24, count: 1 },
    memoryGb: 256,
    drives: [{ count: 2, size: '1.9 TB', type: 'NVME' }],
    nics: [{ count: 2, type: '10 Gbps' }],
    gpu: null,
    regions: [
      { name: 'United States', available: ['DAL', 'NYC'], inStock: ['DAL'], deploysInstantly: [], stockLevel: 'low', usd: { hour: 1.02, month: 745, year: 8040 } },
    ],
  },
  {
    id: 'plan_emuG3LargeX86',
    slug: 'g3-large-x86',
    name: 'g3.large.x86',
    cpu: { type: 'AMD 9354P', clock: 3.25, cores: 32, count: 1 },
    memoryGb: 512,
    drives: [{ count: 2, size: '3.8 TB', type: 'NVME' }],
    nics: [{ count: 2, type: '25 Gbps' }],
    gpu: { count: 1, type: 'NVIDIA L40S', vram_per_gpu: 48 },
    regions: [
      { name: 'United States', available: ['DAL'], inStock: ['DAL'], deploysInstantly: [], stockLevel: 'low', usd: { hour: 1.79, month: 1307, year: 14100 } },
    ],
  },
];

export const SEED_REGIONS = [
  { id: 'loc_87vRENkgNdPyk', slug: 'SAO', name: 'São Paulo', country: { slug: 'BR', name: 'Brazil' }, facility: 'Latitude.sh SP1' },
  { id: 'loc_emuSAO2', slug: 'SAO2', name: 'São Paulo', country: { slug: 'BR', name: 'Brazil' }, facility: 'Latitude.sh SP2' },
  { id: 'loc_emuFRA', slug: 'FRA', name: 'Frankfurt', country: { slug: 'DE', name: 'Germany' }, facility: 'Latitude.sh FRA1' },
  { id: 'loc_emuCHI', slug: 'CHI', name: 'Chicago', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh CHI1' },
  { id: 'reg_ash_001', slug: 'ASH', name: 'Ashburn', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh ASH1' },
  { id: 'loc_emuDAL', slug: 'DAL', name: 'Dallas', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh DAL1' },
  { id: 'loc_emuMIA2', slug: 'MIA2', name: 'Miami', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh MIA2' },
  { id: 'loc_emuMIA', slug: 'MIA', name: 'Miami', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh MIA1' },
  { id: 'loc_emuLAX', slug: 'LAX', name: 'Los Angeles', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh LAX1' },
  { id: 'loc_emuNYC', slug: 'NYC', name: 'New York', country: { slug: 'US', name: 'United States' }, facility: 'Latitude.sh NYC1' },
  { id: 'loc_emuTYO', slug: 'TYO', name: 'Tokyo', country: { slug: 'JP', name: 'Japan' }, facility: 'Latitude.sh TYO1' },
  { id: 'loc_emuTYO2', slug: 'TYO2', name: 'Tokyo', country: { slug: 'JP', name: 'Japan' }, facility: 'Latitude.sh TYO2' },
  { id: 'loc_emuTYO3', slug: 'TYO3', name: 'Tokyo', country: { slug: 'JP', name: 'Japan' }, facility: 'Latitude.sh TYO3' },
];

/** Slugs from the SDK's CreateServerOperatingSystem enum. */
export const SEED_OPERATING_SYSTEMS = [
  { id: 'os_emuUbuntu2404', slug: 'ubuntu_24_04_x64_lts', name: 'Ubuntu', distro: 'ubuntu', version: '24.04', user: 'ubuntu' },
  { id: 'os_emuUbuntu2204', slug: 'ubuntu_22_04_x64_lts', name: 'Ubuntu', distro: 'ubuntu', version: '22.04', user: 'ubuntu' },
  { id: 'os_emuDebian12', slug: 'debian_12', name: 'Debian', distro: 'debian', version: '12', user: 'debian' },
  { id: 'os_emuDebian11', slug: 'debian_11', name: 'Debian', distro: 'debian', version: '11', user: 'debian' },
  { id: 'os_emuRocky8', slug: 'rockylinux_8', name: 'Rocky Linux', distro: 'rockylinux', version: '8', user: 'rocky' },
  { id: 'os_emuIpxe', slug: 'ipxe', name: 'iPXE', distro: 'ipxe', version: null, user: null },
];

/** Servers a site holds per stock level (what a create takes one of). */
export const STOCK_BY_LEVEL: Record<SeedPlanRegion['stockLevel'], number> = { unavailable: 0, low: 2, medium: 5, high: 12 };
