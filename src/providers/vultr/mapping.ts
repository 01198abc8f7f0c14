/** Pure converters from Vultr's wire shapes to ferry's domain types, and the status table. */
import type { Image, Instance, InstanceState, Offer, Region, Size, SshKey } from '../../core/index.js';
import type { MachineApi, VuMachine } from './client.js';
import type { VuMetalPlan, VuOs, VuPlan, VuRegion, VuSnapshot, VuSshKey } from './schema.js';
import { tagsToLabels } from './tags.js';
import type { Snapshot } from '../../core/index.js';

const PROVIDER = 'vultr';

/**
 * Vultr reports three fields: status (pending, active, suspended, resizing), power_status
 * (running, stopped) and server_status (none, locked, installingbooting, ok). First match wins;
 * "*" matches anything, including a missing field. Anything else is unknown.
 */
export const STATUS_TABLE: readonly [status: string, power: string, server: string, state: InstanceState][] = [
  ['pending', '*', '*', 'new'],
  ['resizing', '*', '*', 'new'],
  ['suspended', '*', '*', 'off'],
  ['active', 'stopped', '*', 'off'],
  ['active', 'running', 'ok', 'active'],
  ['active', 'running', 'none', 'new'],
  ['active', 'running', 'locked', 'new'],
  ['active', 'running', 'installingbooting', 'new'],
  // Bare metal of the 2023 spec reports status alone.
  ['active', '', '', 'active'],
];

export function machineStatus(m: Pick<VuMachine, 'status' | 'power_status' | 'server_status'>): { state: InstanceState; raw: string } {
  const status = str(m.status);
  const power = str(m.power_status);
  const server = str(m.server_status);
  const raw = [status, power, server].filter(Boolean).join('/') || 'unknown';
  const hit = STATUS_TABLE.find(([s, p, v]) => s === status && (p === '*' || p === power) && (v === '*' || v === server));
  return { state: hit ? hit[3] : 'unknown', raw };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** "0.0.0.0" and "" mean no address yet. */
function address(v: unknown): string | null {
  const s = str(v);
  return s && s !== '0.0.0.0' && s !== '::' ? s : null;
}

export function isoDate(v: unknown): string {
  const t = Date.parse(str(v));
  return Number.isFinite(t) ? new Date(t).toISOString() : new Date(0).toISOString();
}

export function machineToInstance(m: VuMachine): Instance {
  return {
    provider: PROVIDER,
    id: m.id,
    name: str(m.label) || str(m.hostname),
    status: machineStatus(m),
    ipv4: address(m.main_ip),
    ipv6: address(m.v6_main_ip),
    region: str(m.region),
    size: str(m.plan),
    image: str(m.os) || null,
    labels: tagsToLabels(Array.isArray(m.tags) ? m.tags : []),
    createdAt: isoDate(m.date_created),
  };
}

export function regionToRegion(r: VuRegion): Region {
  const where = [str(r.city), str(r.country)].filter(Boolean).join(', ');
  return { id: r.id, name: where || r.id, available: true };
}

/** Memory of one GPU of each model Vultr rents, to count GPUs from a plan's total vRAM. */
const GPU_MEMORY_GB: Record<string, number> = { NVIDIA_A16: 16, NVIDIA_A40: 48, NVIDIA_A100: 80, NVIDIA_L40S: 48, NVIDIA_H100: 80, NVIDIA_GH200: 96, AMD_MI300X: 192 };

/** GPU model, count and memory of a plan; fractional (vGPU) plans count one GPU with their slice of memory. */
export function planGpu(p: VuPlan): { gpu: string | null; gpuCount: number; gpuMemoryGb: number | null } {
  const model = str(p.gpu_type);
  if (!model) return { gpu: null, gpuCount: 0, gpuMemoryGb: null };
  const vram = typeof p.gpu_vram_gb === 'number' ? p.gpu_vram_gb : null;
  const per = GPU_MEMORY_GB[model];
  const count = vram !== null && per ? Math.max(1, Math.floor(vram / per)) : 1;
  return { gpu: model.replace(/_/g, ' '), gpuCount: count, gpuMemoryGb: vram === null ? null : vram / count };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** Vultr bills cloud and bare-metal servers up to 672 hours a month, GPU servers up to 730. */
export const hoursPerMonth = (gpu: boolean) => (gpu ? 730 : 672);
const hourlyOf = (monthly: number, hourly: unknown, gpu: boolean) =>
  typeof hourly === 'number' && Number.isFinite(hourly) ? hourly : Math.round((monthly / hoursPerMonth(gpu)) * 1000) / 1000;

export function planToSize(p: VuPlan): Size {
  const g = planGpu(p);
  const monthly = num(p.monthly_cost);
  return {
    id: p.id,
    vcpus: num(p.vcpu_count),
    memoryGb: num(p.ram) / 1024,
    diskGb: num(p.disk) * Math.max(1, num(p.disk_count)),
    gpu: g.gpu,
    gpuCount: g.gpuCount,
    regions: Array.isArray(p.locations) ? p.locations.filter((x) => typeof x === 'string') : [],
    priceHourly: hourlyOf(monthly, p.hourly_cost, g.gpu !== null),
    priceMonthly: monthly,
    currency: 'USD',
  };
}

export function metalPlanToSize(p: VuMetalPlan): Size {
  const monthly = num(p.monthly_cost);
  return {
    id: p.id,
    vcpus: num(p.cpu_threads) || num(p.cpu_count),
    memoryGb: num(p.ram) / 1024,
    diskGb: num(p.disk) * Math.max(1, num(p.disk_count)),
    gpu: null,
    gpuCount: 0,
    regions: Array.isArray(p.locations) ? p.locations.filter((x) => typeof x === 'string') : [],
    priceHourly: hourlyOf(monthly, p.hourly_cost, false),
    priceMonthly: monthly,
    currency: 'USD',
  };
}

/** Bare metal is provisioned in minutes, not at once: an hour covers Vultr's usual install. */
export const BARE_METAL_LEAD_HOURS = 1;

/** One offer per region a plan is sold in. */
export function planOffers(p: VuPlan, fetchedAt: string): Offer[] {
  const s = planToSize(p);
  const g = planGpu(p);
  return s.regions.map((region) => ({
    ...baseOffer(s, region, fetchedAt),
    ...(g.gpu ? { gpuMemoryGb: g.gpuMemoryGb } : {}),
  }));
}

export function metalPlanOffers(p: VuMetalPlan, fetchedAt: string): Offer[] {
  const s = metalPlanToSize(p);
  return s.regions.map((region) => ({ ...baseOffer(s, region, fetchedAt), bareMetal: true, leadTimeHours: BARE_METAL_LEAD_HOURS, setupFee: 0 }));
}

function baseOffer(s: Size, region: string, fetchedAt: string): Offer {
  return {
    provider: PROVIDER,
    plan: s.id,
    region,
    vcpus: s.vcpus,
    memoryGb: s.memoryGb,
    diskGb: s.diskGb,
    gpu: s.gpu,
    gpuCount: s.gpuCount,
    priceHourly: s.priceHourly ?? 0,
    priceMonthly: s.priceMonthly ?? 0,
    currency: 'USD',
    bareMetal: false,
    leadTimeHours: 0,
    source: 'live',
    fetchedAt,
    arch: 'x86',
    pricesIncludeVat: false,
    billing: 'hourly',
    minimumTermMonths: 0,
  };
}

/** Installable operating systems: not the snapshot, backup, application or custom placeholders. */
export function isInstallableOs(os: VuOs): boolean {
  return !['snapshot', 'backup', 'application', 'iso'].includes(str(os.family));
}

export function osToImage(os: VuOs): Image {
  const name = str(os.name) || String(os.id);
  const version = /\b(\d+(?:\.\d+)?)\b/.exec(name)?.[1] ?? null;
  return { id: String(os.id), name, distribution: str(os.family) || null, version };
}

export function sshKeyFromWire(k: VuSshKey): SshKey {
  return { id: k.id, name: str(k.name) || k.id, fingerprint: null, publicKey: str(k.ssh_key) || null };
}

export function snapshotToSnapshot(s: VuSnapshot, name: string): Snapshot {
  return { provider: PROVIDER, id: s.id, name, createdAt: s.date_created ? isoDate(s.date_created) : null, sizeGb: typeof s.size === 'number' ? s.size / 1024 ** 3 : null };
}

export const apiOf = (kind: 'instance' | 'bare-metal'): MachineApi => (kind === 'instance' ? 'instances' : 'bare-metals');
