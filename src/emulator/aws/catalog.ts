/**
 * What the emulated account sees of AWS's catalog: regions and their zones, instance types
 * (shapes as DescribeInstanceTypes gives them), where each is offered, the public Ubuntu and
 * Debian AMIs of their official owners, and on-demand Linux prices for the Price List API.
 */
import { createHash } from 'node:crypto';

export const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-south-1', 'ap-southeast-1', 'ap-northeast-1',
] as const;

export const zonesOf = (region: string) => ['a', 'b', 'c'].map((z) => `${region}${z}`);

export interface TypeSpec {
  name: string;
  vcpus: number;
  memoryMiB: number;
  arch: 'x86_64' | 'arm64';
  gpu?: { name: string; manufacturer: string; count: number; memoryMiB: number };
  /** Local NVMe, total GB. */
  storageGb?: number;
  /** On-demand Linux USD per hour in us-east-1; other regions scale by REGION_FACTOR. */
  usd: number;
  /** Regions it is offered in; absent = everywhere. */
  regions?: readonly string[];
}

const GPU_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];

export const TYPES: readonly TypeSpec[] = [
  { name: 't3.micro', vcpus: 2, memoryMiB: 1024, arch: 'x86_64', usd: 0.0104 },
  { name: 't3.small', vcpus: 2, memoryMiB: 2048, arch: 'x86_64', usd: 0.0208 },
  { name: 't3.medium', vcpus: 2, memoryMiB: 4096, arch: 'x86_64', usd: 0.0416 },
  { name: 't3.large', vcpus: 2, memoryMiB: 8192, arch: 'x86_64', usd: 0.0832 },
  { name: 't4g.small', vcpus: 2, memoryMiB: 2048, arch: 'arm64', usd: 0.0168 },
  { name: 't4g.medium', vcpus: 2, memoryMiB: 4096, arch: 'arm64', usd: 0.0336 },
  { name: 'c5.large', vcpus: 2, memoryMiB: 4096, arch: 'x86_64', usd: 0.085 },
  { name: 'c5.xlarge', vcpus: 4, memoryMiB: 8192, arch: 'x86_64', usd: 0.17 },
  { name: 'c5.2xlarge', vcpus: 8, memoryMiB: 16384, arch: 'x86_64', usd: 0.34 },
  { name: 'm5.large', vcpus: 2, memoryMiB: 8192, arch: 'x86_64', usd: 0.096 },
  { name: 'm7g.large', vcpus: 2, memoryMiB: 8192, arch: 'arm64', usd: 0.0816 },
  { name: 'g4dn.xlarge', vcpus: 4, memoryMiB: 16384, arch: 'x86_64', storageGb: 125, usd: 0.526, gpu: { name: 'T4', manufacturer: 'NVIDIA', count: 1, memoryMiB: 15360 }, regions: GPU_REGIONS },
  { name: 'g5.xlarge', vcpus: 4, memoryMiB: 16384, arch: 'x86_64', storageGb: 250, usd: 1.006, gpu: { name: 'A10G', manufacturer: 'NVIDIA', count: 1, memoryMiB: 24576 }, regions: GPU_REGIONS },
  { name: 'g6.xlarge', vcpus: 4, memoryMiB: 16384, arch: 'x86_64', storageGb: 250, usd: 0.8048, gpu: { name: 'L4', manufacturer: 'NVIDIA', count: 1, memoryMiB: 22888 }, regions: GPU_REGIONS },
  { name: 'p4d.24xlarge', vcpus: 96, memoryMiB: 1179648, arch: 'x86_64', storageGb: 8000, usd: 21.9576, gpu: { name: 'A100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 40960 }, regions: ['us-east-1', 'us-west-2'] },
  { name: 'p5.48xlarge', vcpus: 192, memoryMiB: 2097152, arch: 'x86_64', storageGb: 30400, usd: 55.04, gpu: { name: 'H100', manufacturer: 'NVIDIA', count: 8, memoryMiB: 81920 }, regions: ['us-east-1', 'us-west-2'] },
];

/** Regional price factors against us-east-1 (rounded from the public price lists). */
const REGION_FACTOR: Record<string, number> = {
  'us-east-1': 1, 'us-east-2': 1, 'us-west-2': 1, 'us-west-1': 1.2, 'ca-central-1': 1.1, 'sa-east-1': 1.6,
  'eu-west-1': 1.1, 'eu-west-2': 1.15, 'eu-central-1': 1.15, 'ap-south-1': 1.05, 'ap-southeast-1': 1.25, 'ap-northeast-1': 1.3,
};

export const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)', 'us-east-2': 'US East (Ohio)', 'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)', 'ca-central-1': 'Canada (Central)', 'sa-east-1': 'South America (Sao Paulo)',
  'eu-west-1': 'EU (Ireland)', 'eu-west-2': 'EU (London)', 'eu-central-1': 'EU (Frankfurt)',
  'ap-south-1': 'Asia Pacific (Mumbai)', 'ap-southeast-1': 'Asia Pacific (Singapore)', 'ap-northeast-1': 'Asia Pacific (Tokyo)',
};

export function priceIn(t: TypeSpec, region: string): number {
  return Math.round(t.usd * (REGION_FACTOR[region] ?? 1) * 1e4) / 1e4;
}

export function offeredIn(t: TypeSpec, region: string): boolean {
  return !t.regions || t.regions.includes(region);
}

export const typeByName = (name: string) => TYPES.find((t) => t.name === name);

export const CANONICAL = '099720109477';
export const DEBIAN = '136693071363';

export interface AmiSpec {
  id: string;
  name: string;
  owner: string;
  arch: 'x86_64' | 'arm64';
  created: string;
  description: string;
}

/** Three builds per series and architecture, so "newest" has something to choose from. */
export function publicAmis(region: string): AmiSpec[] {
  const out: AmiSpec[] = [];
  const dates = ['20250318', '20250610', '20251001'];
  const ubuntu = [['24.04', 'noble', 'hvm-ssd-gp3'], ['22.04', 'jammy', 'hvm-ssd'], ['20.04', 'focal', 'hvm-ssd']];
  for (const arch of ['x86_64', 'arm64'] as const) {
    const a = arch === 'x86_64' ? 'amd64' : 'arm64';
    for (const date of dates) {
      const created = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}T12:00:00.000Z`;
      for (const [v, code, store] of ubuntu) {
        const name = `ubuntu/images/${store}/ubuntu-${code}-${v}-${a}-server-${date}`;
        out.push({ id: amiId(region, name), name, owner: CANONICAL, arch, created, description: `Canonical, Ubuntu, ${v}, ${a} ${code} image` });
      }
      for (const v of ['12', '11']) {
        const name = `debian-${v}-${a}-${date}-1900`;
        out.push({ id: amiId(region, name), name, owner: DEBIAN, arch, created, description: `Debian ${v} (${date}-1900)` });
      }
    }
  }
  return out;
}

export function amiId(region: string, name: string): string {
  return `ami-${createHash('sha256').update(`${region}/${name}`).digest('hex').slice(0, 17)}`;
}
