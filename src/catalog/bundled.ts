/**
 * Bundled price snapshots: each driver ships its dated public list prices in its own folder
 * (src/providers/<name>/bundled-offers.json, format in bundled-offers.schema.json) and declares
 * it in its descriptor (`prices.bundled`). They stand in when live prices cannot be read.
 * Files load lazily, one provider at a time, so `ferry offers --provider x` reads only x's.
 */
import type { CpuArch, Offer, OfferExtra, ProviderDescriptor, ProviderRegistry } from '../core/index.js';

export interface BundledPrice {
  regions: string[];
  /** Absent for monthly-only plans. */
  hourly?: number;
  monthly: number;
  stock?: number | null;
}

export interface BundledGpu {
  model: string;
  count: number;
  memoryGb?: number;
}

export interface BundledPlan {
  plan: string;
  vcpus: number;
  memoryGb: number;
  diskGb: number;
  arch: CpuArch;
  gpu: BundledGpu | null;
  bareMetal: boolean;
  leadTimeHours?: number;
  setupFee?: number;
  billing?: 'hourly' | 'monthly';
  minimumTermMonths?: number;
  prices: BundledPrice[];
}

export interface BundledOffersFile {
  /** YYYY-MM-DD; also the fetchedAt of every offer of the file. */
  snapshotDate: string;
  currency: string;
  /** Hours at the hourly rate after which the monthly price caps the bill (the provider's billing rule). */
  hoursPerMonth: number;
  pricesIncludeVat: boolean;
  source: string;
  note?: string;
  extras?: { what: string; hourly: number; monthly: number }[];
  plans: BundledPlan[];
}

export interface BundledOffers {
  provider: string;
  snapshotDate: string;
  file: BundledOffersFile;
  offers: Offer[];
}

/** Where a provider's offline prices come from, or why it has none: every provider gets a line in `ferry offers`. */
export type PriceAvailability = { provider: string; bundled: true } | { provider: string; bundled: false; reason: string };

async function defaultRegistry(): Promise<ProviderRegistry> {
  return (await import('../providers/registry.js')).withDefaults();
}

/** Retired providers never contribute offers; the others say whether they ship prices. */
export function priceAvailability(d: ProviderDescriptor): PriceAvailability {
  if (d.retired) return { provider: d.name, bundled: false, reason: `retired on ${d.retired.date}` };
  if (d.prices && 'bundled' in d.prices) return { provider: d.name, bundled: true };
  if (d.prices && 'none' in d.prices) return { provider: d.name, bundled: false, reason: d.prices.none };
  return { provider: d.name, bundled: false, reason: d.load ? 'the driver declares no price list' : 'driver not implemented yet' };
}

/** Names of the providers whose descriptors declare a bundled snapshot (retired ones excluded). */
export async function bundledProviders(registry?: ProviderRegistry): Promise<string[]> {
  const r = registry ?? (await defaultRegistry());
  return r.descriptors().filter((d) => priceAvailability(d).bundled).map((d) => d.name);
}

const loaded = new Map<string, Promise<BundledOffers | null>>();

/** One provider's bundled offers; null when its descriptor ships none (or it is retired). Read once per process. */
export function loadBundledOffers(provider: string, registry?: ProviderRegistry): Promise<BundledOffers | null> {
  const key = registry ? '' : provider;
  const hit = key ? loaded.get(key) : undefined;
  if (hit) return hit;
  const p = (async () => {
    const r = registry ?? (await defaultRegistry());
    const d = r.descriptors().find((x) => x.name === provider);
    if (!d || d.retired || !d.prices || !('bundled' in d.prices)) return null;
    const mod = (await d.prices.bundled()) as { default?: unknown };
    return offersFromFile(provider, mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod);
  })();
  if (key) loaded.set(key, p);
  return p;
}

/** Every provider's bundled offers, in registry order. */
export async function loadAllBundledOffers(registry?: ProviderRegistry): Promise<BundledOffers[]> {
  const r = registry ?? (await defaultRegistry());
  const all = await Promise.all((await bundledProviders(r)).map((p) => loadBundledOffers(p, registry)));
  return all.filter((x): x is BundledOffers => x !== null);
}

/** Checks the file's shape (the schema's rules that matter at run time) and expands it to one offer per plan and region. */
export function offersFromFile(provider: string, raw: unknown): BundledOffers {
  const file = checkFile(provider, raw);
  const extras: OfferExtra[] | undefined = file.extras?.map((e) => ({ what: e.what, priceHourly: e.hourly, priceMonthly: e.monthly }));
  const offers = file.plans.flatMap((plan) =>
    plan.prices.flatMap((price) =>
      price.regions.map((region): Offer => {
        const billing = plan.billing ?? 'hourly';
        return {
          provider,
          plan: plan.plan,
          region,
          vcpus: plan.vcpus,
          memoryGb: plan.memoryGb,
          diskGb: plan.diskGb,
          gpu: plan.gpu?.model ?? null,
          gpuCount: plan.gpu?.count ?? 0,
          gpuMemoryGb: plan.gpu?.memoryGb ?? null,
          // A monthly-only plan's "hourly" is its month spread over the provider's hours, for display; placement prices it by the month.
          priceHourly: price.hourly ?? price.monthly / file.hoursPerMonth,
          priceMonthly: price.monthly,
          currency: file.currency,
          bareMetal: plan.bareMetal,
          leadTimeHours: plan.leadTimeHours ?? 0,
          source: 'bundled',
          fetchedAt: file.snapshotDate,
          arch: plan.arch,
          pricesIncludeVat: file.pricesIncludeVat,
          setupFee: plan.setupFee ?? 0,
          billing,
          minimumTermMonths: plan.minimumTermMonths ?? 0,
          stock: price.stock ?? null,
          ...(extras?.length ? { extras } : {}),
        };
      }),
    ),
  );
  return { provider, snapshotDate: file.snapshotDate, file, offers };
}

function checkFile(provider: string, raw: unknown): BundledOffersFile {
  const bad = (where: string, what: string): never => {
    throw new Error(`bundled prices of ${provider} are malformed: ${where} ${what}`);
  };
  const obj = (v: unknown, where: string) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(where, 'must be an object'));
  const num = (v: unknown, where: string, min = 0) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : bad(where, `must be a number ≥ ${min}`));
  const str = (v: unknown, where: string) => (typeof v === 'string' && v.length > 0 ? v : bad(where, 'must be a non-empty string'));
  const f = obj(raw, 'the file');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(f.snapshotDate))) bad('snapshotDate', 'must be YYYY-MM-DD');
  if (!/^[A-Z]{3}$/.test(String(f.currency))) bad('currency', 'must be an ISO 4217 code');
  num(f.hoursPerMonth, 'hoursPerMonth', 1);
  if (typeof f.pricesIncludeVat !== 'boolean') bad('pricesIncludeVat', 'must be true or false');
  str(f.source, 'source');
  if (!Array.isArray(f.plans) || f.plans.length === 0) bad('plans', 'must be a non-empty list');
  (f.plans as unknown[]).forEach((p, i) => {
    const at = `plans[${i}]`;
    const plan = obj(p, at);
    str(plan.plan, `${at}.plan`);
    num(plan.vcpus, `${at}.vcpus`, 1);
    num(plan.memoryGb, `${at}.memoryGb`);
    num(plan.diskGb, `${at}.diskGb`);
    if (plan.arch !== 'x86' && plan.arch !== 'arm') bad(`${at}.arch`, 'must be x86 or arm');
    if (plan.gpu !== null) {
      const g = obj(plan.gpu, `${at}.gpu`);
      str(g.model, `${at}.gpu.model`);
      num(g.count, `${at}.gpu.count`, 1);
    }
    if (plan.billing !== undefined && plan.billing !== 'hourly' && plan.billing !== 'monthly') bad(`${at}.billing`, 'must be hourly or monthly');
    if (!Array.isArray(plan.prices) || plan.prices.length === 0) bad(`${at}.prices`, 'must be a non-empty list');
    (plan.prices as unknown[]).forEach((x, j) => {
      const price = obj(x, `${at}.prices[${j}]`);
      if (!Array.isArray(price.regions) || price.regions.length === 0) bad(`${at}.prices[${j}].regions`, 'must be a non-empty list');
      num(price.monthly, `${at}.prices[${j}].monthly`);
      if (price.hourly !== undefined) num(price.hourly, `${at}.prices[${j}].hourly`);
      else if (plan.billing !== 'monthly') bad(`${at}.prices[${j}].hourly`, 'is required unless billing is monthly');
    });
  });
  return f as unknown as BundledOffersFile;
}
