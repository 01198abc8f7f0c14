/**
 * The emulated Vultr catalog: regions, cloud plans (including high-frequency and GPU plans),
 * bare-metal plans and operating systems, in the wire shapes of GET /regions, /plans,
 * /plans-metal and /os. Prices follow Vultr's public list (see the driver's bundled-offers.json).
 */

export interface RegionRec {
  id: string;
  city: string;
  country: string;
  continent: string;
  options: string[];
}

export const REGIONS: readonly RegionRec[] = [
  { id: 'ewr', city: 'New Jersey', country: 'US', continent: 'North America', options: ['ddos_protection', 'block_storage_high_perf'] },
  { id: 'ord', city: 'Chicago', country: 'US', continent: 'North America', options: ['ddos_protection'] },
  { id: 'dfw', city: 'Dallas', country: 'US', continent: 'North America', options: ['ddos_protection'] },
  { id: 'sea', city: 'Seattle', country: 'US', continent: 'North America', options: ['ddos_protection'] },
  { id: 'lax', city: 'Los Angeles', country: 'US', continent: 'North America', options: ['ddos_protection', 'block_storage_high_perf'] },
  { id: 'ams', city: 'Amsterdam', country: 'NL', continent: 'Europe', options: ['ddos_protection', 'block_storage_high_perf'] },
  { id: 'fra', city: 'Frankfurt', country: 'DE', continent: 'Europe', options: ['ddos_protection', 'block_storage_high_perf'] },
  { id: 'sgp', city: 'Singapore', country: 'SG', continent: 'Asia', options: ['ddos_protection'] },
  { id: 'syd', city: 'Sydney', country: 'AU', continent: 'Australia', options: ['ddos_protection'] },
];

const ALL = REGIONS.map((r) => r.id);

export interface PlanRec {
  id: string;
  vcpu_count: number;
  ram: number;
  disk: number;
  disk_count: number;
  bandwidth: number;
  monthly_cost: number;
  hourly_cost: number;
  type: string;
  locations: string[];
  gpu_vram_gb?: number;
  gpu_type?: string;
}

/** Hourly price: Vultr bills cloud servers up to 672 hours a month, GPUs up to 730. */
const hourly = (monthly: number, hours = 672) => Math.round((monthly / hours) * 1000) / 1000;

function plan(id: string, type: string, vcpu: number, ramMb: number, disk: number, bandwidth: number, monthly: number, locations = ALL): PlanRec {
  return { id, vcpu_count: vcpu, ram: ramMb, disk, disk_count: 1, bandwidth, monthly_cost: monthly, hourly_cost: hourly(monthly), type, locations };
}

function gpuPlan(id: string, gpuType: string, vram: number, vcpu: number, ramMb: number, disk: number, monthly: number, locations: string[]): PlanRec {
  return { ...plan(id, 'vcg', vcpu, ramMb, disk, 0, monthly, locations), hourly_cost: hourly(monthly, 730), gpu_vram_gb: vram, gpu_type: gpuType };
}

export const PLANS: readonly PlanRec[] = [
  plan('vc2-1c-0.5gb-v6', 'vc2', 1, 512, 10, 500, 2.5, ['ewr', 'ord', 'dfw', 'sea', 'lax', 'ams', 'fra']),
  plan('vc2-1c-1gb', 'vc2', 1, 1024, 25, 1024, 5),
  plan('vc2-1c-2gb', 'vc2', 1, 2048, 55, 2048, 10),
  plan('vc2-2c-4gb', 'vc2', 2, 4096, 80, 3072, 20),
  plan('vhf-1c-1gb', 'vhf', 1, 1024, 32, 1024, 6),
  plan('vhf-2c-4gb', 'vhf', 2, 4096, 128, 3072, 24),
  gpuPlan('vcg-a16-2c-8g-2vram', 'NVIDIA_A16', 2, 2, 8192, 50, 43, ['ewr', 'ord', 'fra']),
  gpuPlan('vcg-a100-1c-6g-4vram', 'NVIDIA_A100', 4, 1, 6144, 70, 90, ['ewr', 'sea', 'ams']),
  gpuPlan('vcg-l40s-16c-180g-48vram', 'NVIDIA_L40S', 48, 16, 184320, 1200, 1219.83, ['ewr', 'ord', 'lax']),
];

export interface MetalPlanRec {
  id: string;
  cpu_count: number;
  cpu_threads: number;
  cpu_model: string;
  ram: number;
  disk: number;
  disk_count: number;
  bandwidth: number;
  monthly_cost: number;
  hourly_cost: number;
  type: string;
  locations: string[];
}

export const METAL_PLANS: readonly MetalPlanRec[] = [
  {
    id: 'vbm-4c-32gb', cpu_count: 4, cpu_threads: 8, cpu_model: 'E3-1270v6', ram: 32768, disk: 240, disk_count: 2,
    bandwidth: 5120, monthly_cost: 120, hourly_cost: hourly(120), type: 'SSD', locations: ['ewr', 'ord', 'dfw', 'lax', 'ams', 'fra'],
  },
  {
    id: 'vbm-8c-132gb', cpu_count: 8, cpu_threads: 16, cpu_model: 'E-2288G', ram: 131072, disk: 1920, disk_count: 2,
    bandwidth: 10240, monthly_cost: 350, hourly_cost: hourly(350), type: 'NVMe', locations: ['ewr', 'sea', 'fra', 'sgp'],
  },
];

export interface OsRec {
  id: number;
  name: string;
  arch: string;
  family: string;
}

/** 159 is "Custom": an ISO or, with ipxe_chain_url, an iPXE chain-load. */
export const IPXE_OS_ID = 159;
export const SNAPSHOT_OS_ID = 164;

export const OPERATING_SYSTEMS: readonly OsRec[] = [
  { id: 1743, name: 'Ubuntu 22.04 LTS x64', arch: 'x64', family: 'ubuntu' },
  { id: 2284, name: 'Ubuntu 24.04 LTS x64', arch: 'x64', family: 'ubuntu' },
  { id: 2136, name: 'Debian 12 x64 (bookworm)', arch: 'x64', family: 'debian' },
  { id: 477, name: 'Debian 11 x64 (bullseye)', arch: 'x64', family: 'debian' },
  { id: 1869, name: 'Rocky Linux x64', arch: 'x64', family: 'rockylinux' },
  { id: IPXE_OS_ID, name: 'Custom', arch: 'x64', family: 'iso' },
  { id: SNAPSHOT_OS_ID, name: 'Snapshot', arch: 'x64', family: 'snapshot' },
];

export const planById = (id: string) => PLANS.find((p) => p.id === id);
export const metalPlanById = (id: string) => METAL_PLANS.find((p) => p.id === id);
export const osById = (id: number) => OPERATING_SYSTEMS.find((o) => o.id === id);
export const regionById = (id: string) => REGIONS.find((r) => r.id === id);
