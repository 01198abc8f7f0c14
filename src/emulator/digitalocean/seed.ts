/**
 * Seed catalog of the emulated DigitalOcean account: real region slugs, size slugs with
 * DigitalOcean's public list prices (USD), and distribution images with their real slugs.
 */

export interface SeedSize {
  slug: string;
  description: string;
  vcpus: number;
  /** MiB */
  memory: number;
  /** GiB */
  disk: number;
  /** TiB a month */
  transfer: number;
  price_monthly: number;
  price_hourly: number;
  gpu?: { count: number; model: string; vramGib: number };
  /** Regions it is sold in; absent means every region. */
  regions?: string[];
}

export const SEED_REGIONS: { slug: string; name: string }[] = [
  { slug: 'nyc1', name: 'New York 1' },
  { slug: 'nyc2', name: 'New York 2' },
  { slug: 'nyc3', name: 'New York 3' },
  { slug: 'sfo3', name: 'San Francisco 3' },
  { slug: 'ams3', name: 'Amsterdam 3' },
  { slug: 'sgp1', name: 'Singapore 1' },
  { slug: 'lon1', name: 'London 1' },
  { slug: 'fra1', name: 'Frankfurt 1' },
  { slug: 'tor1', name: 'Toronto 1' },
  { slug: 'blr1', name: 'Bangalore 1' },
  { slug: 'syd1', name: 'Sydney 1' },
];

export const REGION_FEATURES = ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'];

/** DigitalOcean bills by the hour up to 672 hours a month, so price_monthly = price_hourly × 672. */
export const SEED_SIZES: SeedSize[] = [
  { slug: 's-1vcpu-512mb-10gb', description: 'Basic', vcpus: 1, memory: 512, disk: 10, transfer: 0.5, price_monthly: 4, price_hourly: 0.00595 },
  { slug: 's-1vcpu-1gb', description: 'Basic', vcpus: 1, memory: 1024, disk: 25, transfer: 1, price_monthly: 6, price_hourly: 0.00893 },
  { slug: 's-1vcpu-2gb', description: 'Basic', vcpus: 1, memory: 2048, disk: 50, transfer: 2, price_monthly: 12, price_hourly: 0.01786 },
  { slug: 's-2vcpu-2gb', description: 'Basic', vcpus: 2, memory: 2048, disk: 60, transfer: 3, price_monthly: 18, price_hourly: 0.02679 },
  { slug: 's-2vcpu-4gb', description: 'Basic', vcpus: 2, memory: 4096, disk: 80, transfer: 4, price_monthly: 24, price_hourly: 0.03571 },
  { slug: 's-4vcpu-8gb', description: 'Basic', vcpus: 4, memory: 8192, disk: 160, transfer: 5, price_monthly: 48, price_hourly: 0.07143 },
  { slug: 's-8vcpu-16gb', description: 'Basic', vcpus: 8, memory: 16384, disk: 320, transfer: 6, price_monthly: 96, price_hourly: 0.14286 },
  { slug: 'c-2', description: 'CPU-Optimized', vcpus: 2, memory: 4096, disk: 25, transfer: 4, price_monthly: 42, price_hourly: 0.0625 },
  { slug: 'c-4', description: 'CPU-Optimized', vcpus: 4, memory: 8192, disk: 50, transfer: 5, price_monthly: 84, price_hourly: 0.125 },
  { slug: 'g-2vcpu-8gb', description: 'General Purpose', vcpus: 2, memory: 8192, disk: 25, transfer: 4, price_monthly: 63, price_hourly: 0.09375 },
  { slug: 'm-2vcpu-16gb', description: 'Memory-Optimized', vcpus: 2, memory: 16384, disk: 50, transfer: 4, price_monthly: 84, price_hourly: 0.125 },
  {
    slug: 'gpu-h100x1-80gb',
    description: 'H100 GPU - 1X',
    vcpus: 20,
    memory: 245760,
    disk: 720,
    transfer: 15,
    price_monthly: 2278.08,
    price_hourly: 3.39,
    gpu: { count: 1, model: 'nvidia_h100', vramGib: 80 },
    regions: ['nyc2', 'tor1'],
  },
];

export interface SeedImage {
  id: number;
  slug: string;
  name: string;
  distribution: string;
  min_disk_size: number;
  size_gigabytes: number;
  created_at: string;
}

export const SEED_IMAGES: SeedImage[] = [
  { id: 155133621, slug: 'ubuntu-24-04-x64', name: '24.04 (LTS) x64', distribution: 'Ubuntu', min_disk_size: 7, size_gigabytes: 2.71, created_at: '2024-04-25T16:43:25Z' },
  { id: 129211873, slug: 'ubuntu-22-04-x64', name: '22.04 (LTS) x64', distribution: 'Ubuntu', min_disk_size: 7, size_gigabytes: 2.36, created_at: '2023-04-21T17:06:54Z' },
  { id: 152462486, slug: 'debian-12-x64', name: '12 x64', distribution: 'Debian', min_disk_size: 7, size_gigabytes: 1.08, created_at: '2024-03-14T15:36:01Z' },
  { id: 152462413, slug: 'debian-11-x64', name: '11 x64', distribution: 'Debian', min_disk_size: 7, size_gigabytes: 0.94, created_at: '2024-03-14T15:33:18Z' },
  { id: 151958553, slug: 'rockylinux-9-x64', name: '9 x64', distribution: 'Rocky Linux', min_disk_size: 10, size_gigabytes: 1.25, created_at: '2024-02-27T19:50:37Z' },
  { id: 159651797, slug: 'fedora-40-x64', name: '40 x64', distribution: 'Fedora', min_disk_size: 7, size_gigabytes: 1.06, created_at: '2024-05-22T14:10:02Z' },
];

/** The account behind every accepted token. */
export const SEED_ACCOUNT = {
  droplet_limit: 1000,
  floating_ip_limit: 10,
  volume_limit: 100,
  email: 'sammy@example.com',
  name: 'Sammy the Shark',
  uuid: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef',
  email_verified: true,
  status: 'active',
  status_message: '',
};
