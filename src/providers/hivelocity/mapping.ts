/** Pure converters between Hivelocity's wire shapes and ferry's types, and the status table. */
import { ProviderError, type Image, type ImageSpec, type Instance, type InstanceState, type Offer, type Region, type Size } from '../../core/index.js';
import type { HvBareMetalDevice, HvDeviceDump, HvLocation, HvOption, HvSshKey, HvStock } from './schema.js';

export const PROVIDER = 'hivelocity';
export const HOURS_PER_MONTH = 730;

// labels ↔ tags: Hivelocity tags are free strings; a label k=v is the tag "k=v" (label keys never hold "=").

/**
 * Neither device view carries a creation time, so ferry tags its orders with the time it sent
 * them; this tag is metadata, read into createdAt and never shown as a label.
 */
export const ORDERED_AT_TAG = 'ferry-ordered-at';

export function orderedAtTag(at: Date): string {
  return `${ORDERED_AT_TAG}=${at.toISOString()}`;
}

function orderedAtOf(tags: readonly unknown[] | null | undefined): string {
  for (const tag of tags ?? []) {
    if (typeof tag === 'string' && tag.startsWith(`${ORDERED_AT_TAG}=`)) {
      const at = tag.slice(ORDERED_AT_TAG.length + 1);
      if (!Number.isNaN(Date.parse(at))) return at;
    }
  }
  return '';
}

export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/** Tags ferry wrote decode exactly; any other tag becomes a label of that name with an empty value. */
export function tagsToLabels(tags: readonly unknown[] | null | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (typeof tag !== 'string' || !tag || tag.startsWith(`${ORDERED_AT_TAG}=`)) continue;
    const at = tag.indexOf('=');
    if (at > 0) labels[tag.slice(0, at)] = tag.slice(at + 1);
    else labels[tag] = '';
  }
  return labels;
}

// status: a bare-metal order walks ordered → provisioning → installing → in use.

export type Stage = 'ordered' | 'provisioning' | 'installing' | 'reinstalling' | 'in-use' | 'failed' | 'unknown';

/** spsStatus (Device-dump's enum) → the stage ferry shows; anything unlisted is 'unknown'. */
export const SPS_STAGE: Readonly<Record<string, Stage>> = Object.freeze({
  BUILDING: 'ordered',
  IPMI_READY: 'ordered',
  PROVISIONABLE: 'ordered',
  RESERVED: 'ordered',
  WAIT_TO_COMPLETE_ORDER: 'ordered',
  WAIT_TO_ASSIGN_SERVICE: 'ordered',
  // An order held for a manual review (fraud, payment) before hardware is assigned.
  IN_REVIEW: 'ordered',
  // Hardware preparation between orders: tested, wiped, firmware brought up to date.
  DEVICE_READY_TO_TEST: 'provisioning',
  DEVICE_READY_TO_WIPE: 'provisioning',
  DEVICE_READY_TO_UPGRADE_FIRMWARE: 'provisioning',
  WAIT_FOR_PXE: 'provisioning',
  PROVISION_STARTED: 'provisioning',
  WAIT_FOR_HARDWARE_SCAN: 'provisioning',
  PROVISION_WAIT_FOR_ADDONS: 'installing',
  PROVISION_FINISHED: 'installing',
  IN_USE: 'in-use',
  // Still the customer's running server, flagged for a move to other hardware: power decides.
  READY_FOR_MIGRATION: 'in-use',
  RELOADING: 'reinstalling',
  FAILED: 'failed',
  CLEANUP_MOVE_TO_FAILED: 'failed',
});

/** Power status of a device in use → ferry state; PENDING is a power action under way. */
export const POWER_STATE: Readonly<Record<string, InstanceState>> = Object.freeze({ ON: 'active', OFF: 'off', PENDING: 'new' });

export function stageOf(sps: string | null | undefined): Stage {
  if (!sps) return 'unknown';
  return Object.hasOwn(SPS_STAGE, sps.toUpperCase()) ? SPS_STAGE[sps.toUpperCase()]! : 'unknown';
}

/**
 * The state from both views: Device-dump's spsStatus says where the order is; once in use, the
 * power status decides. Without the dump (a device missing from /device/), the power status and
 * address alone: no address yet is an order still being provisioned.
 */
export function deviceStatus(bm: HvBareMetalDevice, dump: HvDeviceDump | null | undefined): { state: InstanceState; raw: string; stage: Stage } {
  const power = (bm.powerStatus ?? '').toUpperCase();
  const sps = dump?.spsStatus ?? null;
  let stage = stageOf(sps);
  if (stage === 'unknown' && !sps) stage = bm.primaryIp ? (power ? 'in-use' : 'unknown') : 'ordered';
  const raw = `${stage}${sps ? ` (${sps})` : ''}${power ? `, power ${power}` : ''}`;
  if (stage === 'in-use') return { state: Object.hasOwn(POWER_STATE, power) ? POWER_STATE[power]! : 'unknown', raw, stage };
  if (stage === 'failed') return { state: 'archive', raw, stage };
  if (stage === 'unknown') return { state: 'unknown', raw, stage };
  return { state: 'new', raw, stage };
}

/** The ferry name: the hostname without the configured domain (a foreign device keeps its whole hostname). */
export function nameOf(hostname: string | null | undefined, domain: string): string {
  const h = hostname ?? '';
  const suffix = `.${domain}`;
  return domain && h.toLowerCase().endsWith(suffix.toLowerCase()) ? h.slice(0, -suffix.length) : h;
}

export function deviceToInstance(bm: HvBareMetalDevice, dump: HvDeviceDump | null | undefined, domain: string): Instance {
  if (typeof bm.deviceId !== 'number') {
    throw new ProviderError({ kind: 'api', provider: PROVIDER, message: `a bare-metal device without a deviceId: ${JSON.stringify(bm).slice(0, 200)}` });
  }
  const { state, raw } = deviceStatus(bm, dump);
  const ip = bm.primaryIp || dump?.primaryIp || null;
  return {
    provider: PROVIDER,
    id: String(bm.deviceId),
    name: nameOf(bm.hostname ?? dump?.hostname, domain),
    status: { state, raw },
    ipv4: ip && /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? ip : null,
    ipv6: ip && ip.includes(':') ? ip : null,
    region: bm.locationName ?? '',
    size: bm.productId === null || bm.productId === undefined ? '' : String(bm.productId),
    image: bm.osName ?? null,
    labels: tagsToLabels(bm.tags ?? dump?.tags),
    // From ferry's own tag; a device ordered elsewhere has no creation time in the API.
    createdAt: orderedAtOf(bm.tags ?? dump?.tags),
  };
}

// catalog

export function locationToRegion(l: HvLocation): Region | null {
  if (!l.code) return null;
  const city = l.location?.city;
  return { id: l.code, name: l.title ?? city ?? l.code, available: true };
}

const num = (re: RegExp, text: string | null | undefined): number | null => {
  const m = re.exec(text ?? '');
  return m ? Number(m[1]) : null;
};

/** "2 x 1.92TB NVMe + 1 x 480GB SSD" → 4320 (GB, decimal). */
export function driveGb(text: string | null | undefined): number {
  let total = 0;
  for (const m of (text ?? '').matchAll(/(?:(\d+)\s*x\s*)?(\d+(?:\.\d+)?)\s*(TB|GB)/gi)) {
    total += Number(m[1] ?? 1) * Number(m[2]) * (m[3]!.toUpperCase() === 'TB' ? 1000 : 1);
  }
  return Math.round(total);
}

/** "1 x NVIDIA GeForce RTX 4090 24GB" → model, count and memory; "" or null → no GPU. */
export function gpuOf(text: string | null | undefined): { model: string; count: number; memoryGb: number | null } | null {
  const t = (text ?? '').replace(/<[^>]+>/g, ' ').trim();
  if (!t) return null;
  const m = /^(?:(\d+)\s*x\s*)?(.*?)(?:\s+(\d+)\s*GB)?$/i.exec(t)!;
  return { model: m[2]!.trim() || t, count: Number(m[1] ?? 1), memoryGb: m[3] ? Number(m[3]) : null };
}

export function vcpusOf(s: HvStock): number {
  return s.processor_info?.threads ?? s.processor_info?.vcpus ?? num(/(\d+)\s*Threads/i, s.product_cpu_cores) ?? num(/(\d+)\s*Cores/i, s.product_cpu_cores) ?? 0;
}

export function stockToSize(s: HvStock, regions: string[]): Size | null {
  if (typeof s.product_id !== 'number') return null;
  const gpu = gpuOf(s.product_gpu);
  return {
    id: String(s.product_id),
    vcpus: vcpusOf(s),
    memoryGb: num(/(\d+)\s*GB/i, s.product_memory) ?? 0,
    diskGb: driveGb(s.product_drive),
    gpu: gpu?.model ?? null,
    gpuCount: gpu?.count ?? 0,
    regions,
    priceHourly: s.product_hourly_price ?? null,
    priceMonthly: s.product_monthly_price ?? null,
    currency: 'USD',
  };
}

/** Stock levels → how many servers ferry may count on: Hivelocity says "limited" for a few, not a number. */
export function stockCount(level: string | null | undefined): number | null {
  if (level === 'unavailable') return 0;
  if (level === 'limited') return 1;
  return null;
}

export interface OfferTerms {
  period: 'monthly' | 'hourly';
  /** Hours from order to a running server, by store listing (the API does not say). */
  leadTimeHours: (s: HvStock) => number;
}

/** One stock row (a product in a facility) → one offer, the location premium included. */
export function stockToOffer(s: HvStock, terms: OfferTerms, fetchedAt: string): Offer | null {
  if (typeof s.product_id !== 'number' || !s.data_center) return null;
  const monthly = s.product_monthly_price;
  if (typeof monthly !== 'number') return null;
  const gpu = gpuOf(s.product_gpu);
  const priceMonthly = round(monthly + (s.monthly_location_premium ?? 0));
  const hourlyListed = typeof s.product_hourly_price === 'number' && !(s.product_disabled_billing_periods ?? []).includes('hourly');
  const hourly = terms.period === 'hourly' && hourlyListed;
  return {
    provider: PROVIDER,
    plan: String(s.product_id),
    region: s.data_center,
    vcpus: vcpusOf(s),
    memoryGb: num(/(\d+)\s*GB/i, s.product_memory) ?? 0,
    diskGb: driveGb(s.product_drive),
    gpu: gpu?.model ?? null,
    gpuCount: gpu?.count ?? 0,
    gpuMemoryGb: gpu?.memoryGb ?? null,
    priceHourly: hourly ? round4(s.product_hourly_price! + (s.hourly_location_premium ?? 0)) : round4(priceMonthly / HOURS_PER_MONTH),
    priceMonthly,
    currency: 'USD',
    bareMetal: true,
    leadTimeHours: terms.leadTimeHours(s),
    source: 'live',
    fetchedAt,
    arch: 'x86',
    pricesIncludeVat: false,
    setupFee: 0,
    billing: hourly ? 'hourly' : 'monthly',
    minimumTermMonths: hourly ? 0 : 1,
    stock: stockCount(s.stock),
  };
}

// images

/** The OS option a ferry image names: "Ubuntu 24.04" for ubuntu-24.04, "Debian 12" for debian-12, a custom name as is. */
export function osMatches(spec: ImageSpec, optionName: string): boolean {
  const n = optionName.trim().toLowerCase();
  switch (spec.kind) {
    case 'ubuntu':
      return new RegExp(`^ubuntu ${spec.version.replace('.', '\\.')}\\b`).test(n) || n === `ubuntu ${spec.version.split('.')[0]}.x`;
    case 'debian':
      return new RegExp(`^debian ${spec.version}(\\.x|\\b)`).test(n);
    case 'custom':
      return n === spec.id.trim().toLowerCase();
    case 'snapshot':
      return false;
  }
}

export function optionToImage(o: HvOption): Image | null {
  if (!o.name) return null;
  const m = /^(ubuntu|debian|rocky linux|almalinux|centos|windows)\s+([\d.]+|\w+)/i.exec(o.name);
  return { id: o.name, name: o.name, distribution: m ? m[1]!.toLowerCase() : null, version: m ? m[2]! : null };
}

export const isIpxeOption = (o: HvOption) => /ipxe/i.test(o.name ?? '') || (o.tags ?? []).some((t) => /ipxe/i.test(t));

export function sshKeyFromWire(k: HvSshKey): { id: string; name: string; fingerprint: null; publicKey: string | null } | null {
  if (typeof k.sshKeyId !== 'number') return null;
  return { id: String(k.sshKeyId), name: k.name ?? '', fingerprint: null, publicKey: k.publicKey ?? null };
}

const round = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
