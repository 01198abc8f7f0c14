/**
 * What the emulated Scaleway account can order: zones, Instance commercial types with prices and
 * GPUs, Marketplace images, Elastic Metal offers and operating systems. Prices are the public list
 * prices in EUR (net of VAT) as the products endpoints return them.
 */
export const INSTANCE_ZONES = ['fr-par-1', 'fr-par-2', 'fr-par-3', 'nl-ams-1', 'nl-ams-2', 'nl-ams-3', 'pl-waw-1', 'pl-waw-2', 'pl-waw-3', 'it-mil-1'];
export const BAREMETAL_ZONES = ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'nl-ams-2', 'pl-waw-2', 'pl-waw-3'];
export const REGIONS = ['fr-par', 'nl-ams', 'pl-waw', 'it-mil'];

export const regionOf = (zone: string) => zone.split('-').slice(0, 2).join('-');

const GB = 1_000_000_000;
const GIB = 1024 ** 3;

export interface SeedType {
  name: string;
  ncpus: number;
  ramGib: number;
  arch: 'x86_64' | 'arm64';
  hourly: number;
  monthly: number;
  gpu?: { count: number; name: string; memoryGb: number };
  /** Zones it is sold in. */
  zones: string[];
  /** Availability as /products/servers/availability reports it. */
  availability?: 'available' | 'scarce' | 'shortage';
}

const PAR_AMS_WAW = ['fr-par-1', 'fr-par-2', 'fr-par-3', 'nl-ams-1', 'nl-ams-2', 'nl-ams-3', 'pl-waw-1', 'pl-waw-2', 'pl-waw-3'];

export const SERVER_TYPES: SeedType[] = [
  { name: 'STARDUST1-S', ncpus: 1, ramGib: 1, arch: 'x86_64', hourly: 0.0046, monthly: 3.36, zones: ['fr-par-1', 'nl-ams-1', 'pl-waw-2'] },
  { name: 'DEV1-S', ncpus: 2, ramGib: 2, arch: 'x86_64', hourly: 0.0088, monthly: 6.42, zones: ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'pl-waw-1'] },
  { name: 'DEV1-M', ncpus: 3, ramGib: 4, arch: 'x86_64', hourly: 0.0198, monthly: 14.45, zones: ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'pl-waw-1'] },
  { name: 'DEV1-L', ncpus: 4, ramGib: 8, arch: 'x86_64', hourly: 0.042, monthly: 30.66, zones: ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'pl-waw-1'] },
  { name: 'PRO2-XXS', ncpus: 2, ramGib: 8, arch: 'x86_64', hourly: 0.055, monthly: 40.15, zones: PAR_AMS_WAW },
  { name: 'PRO2-S', ncpus: 8, ramGib: 32, arch: 'x86_64', hourly: 0.219, monthly: 159.87, zones: PAR_AMS_WAW },
  { name: 'POP2-2C-8G', ncpus: 2, ramGib: 8, arch: 'x86_64', hourly: 0.0735, monthly: 53.66, zones: [...PAR_AMS_WAW, 'it-mil-1'] },
  { name: 'COPARM1-2C-8G', ncpus: 2, ramGib: 8, arch: 'arm64', hourly: 0.0426, monthly: 31.1, zones: ['fr-par-2'] },
  { name: 'RENDER-S', ncpus: 10, ramGib: 42, arch: 'x86_64', hourly: 1.2426, monthly: 907.1, zones: ['fr-par-1'], gpu: { count: 1, name: 'P100', memoryGb: 16 } },
  { name: 'L4-1-24G', ncpus: 8, ramGib: 48, arch: 'x86_64', hourly: 0.75, monthly: 547.5, zones: ['fr-par-2', 'nl-ams-1', 'pl-waw-2'], gpu: { count: 1, name: 'L4', memoryGb: 24 } },
  { name: 'H100-1-80G', ncpus: 24, ramGib: 240, arch: 'x86_64', hourly: 2.73, monthly: 1992.9, zones: ['fr-par-2'], gpu: { count: 1, name: 'H100', memoryGb: 80 }, availability: 'scarce' },
  { name: 'H100-2-80G', ncpus: 48, ramGib: 480, arch: 'x86_64', hourly: 5.46, monthly: 3985.8, zones: ['fr-par-2'], gpu: { count: 2, name: 'H100', memoryGb: 80 }, availability: 'shortage' },
];

export function typesIn(zone: string): SeedType[] {
  return SERVER_TYPES.filter((t) => t.zones.includes(zone));
}

/** The /products/servers entry of one commercial type. */
export function renderType(t: SeedType): Record<string, unknown> {
  return {
    monthly_price: t.monthly,
    hourly_price: t.hourly,
    alt_names: [],
    per_volume_constraint: { l_ssd: { min_size: 0, max_size: 0 } },
    volumes_constraint: { min_size: 0, max_size: 0 },
    ncpus: t.ncpus,
    gpu: t.gpu?.count ?? 0,
    ram: t.ramGib * GIB,
    gpu_info: t.gpu ? { gpu_manufacturer: 'NVIDIA', gpu_name: t.gpu.name, gpu_memory: t.gpu.memoryGb * GIB } : null,
    arch: t.arch,
    network: { interfaces: [{ internal_bandwidth: null, internet_bandwidth: 400_000_000 }], sum_internal_bandwidth: null, sum_internet_bandwidth: 400_000_000, ipv6_support: true },
    capabilities: { boot_types: ['local', 'rescue'], placement_groups: true, block_storage: true, hot_snapshots_local_volume: false, private_network: 8, max_file_systems: 0 },
    scratch_storage_max_size: null,
    scratch_storage_max_volumes_count: 0,
    block_bandwidth: 262_144_000,
    end_of_service: false,
  };
}

/** Marketplace images: label → name; each has an x86_64 and an arm64 local image per zone. */
export const MARKETPLACE_IMAGES: { label: string; name: string; id: string }[] = [
  { label: 'ubuntu_noble', name: 'Ubuntu 24.04 Noble Numbat', id: '9c41e95b-add2-4ef8-b1b1-af8899748eda' },
  { label: 'ubuntu_jammy', name: 'Ubuntu 22.04 Jammy Jellyfish', id: '3f1b9623-71ba-4fe3-b994-27fcdaa850ba' },
  { label: 'ubuntu_focal', name: 'Ubuntu 20.04 Focal Fossa', id: '1123148c-0e6a-4b3e-a2a1-0f5b5d6b4b3d' },
  { label: 'debian_trixie', name: 'Debian 13 (Trixie)', id: 'a7b1a0e8-3a3c-4d39-9e0a-fc1b36f1d0a2' },
  { label: 'debian_bookworm', name: 'Debian 12 (Bookworm)', id: 'c1b530d8-0ca0-45c4-80db-ba06608287b2' },
];

export const ROOT_VOLUME_BYTES = 10 * GB;

/** Elastic Metal offers: net EUR prices, stock per zone. */
export interface SeedOffer {
  id: string;
  name: string;
  hourly: number | null;
  monthly: number;
  fee: number;
  period: 'hourly' | 'monthly';
  cores: number;
  threads: number;
  cpu: string;
  ramGib: number;
  disks: { capacity: number; type: string }[];
  gpus: { name: string; vram: number }[];
  stock: Record<string, 'available' | 'low' | 'empty'>;
}

export const BAREMETAL_OFFERS: SeedOffer[] = [
  {
    id: '2a3a6d9e-1d3c-4c8f-9a41-8b3f9c0e0a15', name: 'EM-A115X-SSD', hourly: 0.091, monthly: 66.43, fee: 0, period: 'hourly',
    cores: 4, threads: 8, cpu: 'Intel Xeon E3 1220 or equivalent', ramGib: 32, disks: [{ capacity: 1_000 * GB, type: 'SSD' }, { capacity: 1_000 * GB, type: 'SSD' }], gpus: [],
    stock: { 'fr-par-1': 'available', 'fr-par-2': 'available', 'nl-ams-1': 'low', 'pl-waw-2': 'available' },
  },
  {
    id: '5b8c0f11-6a2d-4b5e-8a2f-1e3d4c5b6a71', name: 'EM-B112X-SSD', hourly: 0.321, monthly: 234.33, fee: 0, period: 'hourly',
    cores: 16, threads: 32, cpu: 'AMD EPYC 7282 or equivalent', ramGib: 128, disks: [{ capacity: 1_920 * GB, type: 'NVMe' }, { capacity: 1_920 * GB, type: 'NVMe' }], gpus: [],
    stock: { 'fr-par-2': 'low', 'nl-ams-1': 'empty' },
  },
  {
    id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', name: 'EM-L105X-NVME', hourly: null, monthly: 119, fee: 119, period: 'monthly',
    cores: 8, threads: 16, cpu: 'AMD Ryzen 7 PRO 3700 or equivalent', ramGib: 64, disks: [{ capacity: 1_000 * GB, type: 'NVMe' }], gpus: [],
    stock: { 'fr-par-2': 'available' },
  },
];

export const BAREMETAL_OS: { id: string; name: string; version: string }[] = [
  { id: '96e5f0f2-d216-4de2-8a15-68730d877885', name: 'Ubuntu', version: '24.04 LTS (Noble Numbat)' },
  { id: '7e865c16-1a63-4dc7-8181-ef8a5dc2cae2', name: 'Ubuntu', version: '22.04 LTS (Jammy Jellyfish)' },
  { id: 'd17d6872-0412-45d9-a198-af82c34d3c5c', name: 'Debian', version: '12 (Bookworm)' },
];
