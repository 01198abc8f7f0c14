/**
 * The emulated catalog: regions with capabilities, Linode types with region_prices and GPUs, and
 * public distribution images, in the shapes GET /regions, /linode/types and /images answer with.
 * Prices are Linode's public list prices (USD); Jakarta and São Paulo cost 20% more.
 */
const CORE = ['Linodes', 'Block Storage', 'Cloud Firewall', 'VPCs', 'Metadata', 'Vlans'];

export interface SeedRegion {
  id: string;
  label: string;
  country: string;
  capabilities: string[];
}

const region = (id: string, label: string, country: string, extra: string[] = []): SeedRegion => ({ id, label, country, capabilities: [...CORE, ...extra] });

export const REGIONS: SeedRegion[] = [
  region('us-east', 'Newark, NJ', 'us', ['GPU Linodes']),
  region('us-central', 'Dallas, TX', 'us'),
  region('us-west', 'Fremont, CA', 'us'),
  region('us-southeast', 'Atlanta, GA', 'us', ['GPU Linodes']),
  region('us-ord', 'Chicago, IL', 'us', ['GPU Linodes']),
  region('ca-central', 'Toronto, CA', 'ca'),
  region('eu-west', 'London, UK', 'gb'),
  region('eu-central', 'Frankfurt, DE', 'de', ['GPU Linodes']),
  region('de-fra-2', 'Frankfurt 2, DE', 'de', ['GPU Linodes']),
  region('ap-south', 'Singapore, SG', 'sg'),
  region('ap-northeast', 'Tokyo, JP', 'jp'),
  region('ap-southeast', 'Sydney, AU', 'au'),
  region('ap-west', 'Mumbai, IN', 'in', ['GPU Linodes']),
  region('id-cgk', 'Jakarta, ID', 'id'),
  region('br-gru', 'Sao Paulo, BR', 'br'),
];

export interface SeedType {
  id: string;
  label: string;
  class: 'nanode' | 'standard' | 'dedicated' | 'gpu' | 'highmem';
  vcpus: number;
  memory: number;
  disk: number;
  gpus: number;
  transfer: number;
  network_out: number;
  hourly: number;
  monthly: number;
  /** Jakarta and São Paulo are priced 20% higher, except the Nanode and GPUs. */
  uplift: boolean;
}

const t = (id: string, label: string, cls: SeedType['class'], vcpus: number, memGb: number, diskGb: number, hourly: number, monthly: number, gpus = 0): SeedType => ({
  id,
  label,
  class: cls,
  vcpus,
  memory: memGb * 1024,
  disk: diskGb * 1024,
  gpus,
  transfer: Math.max(1000, memGb * 1000),
  network_out: Math.min(12000, 1000 * Math.max(1, vcpus)),
  hourly,
  monthly,
  uplift: cls !== 'nanode' && cls !== 'gpu',
});

export const TYPES: SeedType[] = [
  t('g6-nanode-1', 'Nanode 1GB', 'nanode', 1, 1, 25, 0.0075, 5),
  t('g6-standard-1', 'Linode 2GB', 'standard', 1, 2, 50, 0.018, 12),
  t('g6-standard-2', 'Linode 4GB', 'standard', 2, 4, 80, 0.036, 24),
  t('g6-standard-4', 'Linode 8GB', 'standard', 4, 8, 160, 0.072, 48),
  t('g6-dedicated-2', 'Dedicated 4GB', 'dedicated', 2, 4, 80, 0.054, 36),
  t('g6-dedicated-8', 'Dedicated 16GB', 'dedicated', 8, 16, 320, 0.216, 144),
  t('g7-highmem-1', 'Linode 24GB', 'highmem', 2, 24, 20, 0.09, 60),
  t('g1-gpu-rtx6000-1', 'Dedicated 32GB + RTX6000 GPU x1', 'gpu', 8, 32, 640, 1.5, 1000, 1),
  t('g1-gpu-rtx6000-2', 'Dedicated 64GB + RTX6000 GPU x2', 'gpu', 16, 64, 1280, 3, 2000, 2),
  t('g2-gpu-rtx4000a1-s', 'RTX4000 Ada x1 Small', 'gpu', 4, 16, 500, 0.52, 350, 1),
  t('g2-gpu-rtx4000a2-m', 'RTX4000 Ada x2 Medium', 'gpu', 8, 32, 1000, 1.04, 700, 2),
];

export const UPLIFT_REGIONS = ['id-cgk', 'br-gru'];

export interface SeedImage {
  id: string;
  label: string;
  vendor: string;
  deprecated: boolean;
}

export const IMAGES: SeedImage[] = [
  { id: 'linode/ubuntu24.04', label: 'Ubuntu 24.04 LTS', vendor: 'Ubuntu', deprecated: false },
  { id: 'linode/ubuntu22.04', label: 'Ubuntu 22.04 LTS', vendor: 'Ubuntu', deprecated: false },
  { id: 'linode/debian12', label: 'Debian 12', vendor: 'Debian', deprecated: false },
  { id: 'linode/debian11', label: 'Debian 11', vendor: 'Debian', deprecated: false },
  { id: 'linode/ubuntu18.04', label: 'Ubuntu 18.04 LTS', vendor: 'Ubuntu', deprecated: true },
];
