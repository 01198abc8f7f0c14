/**
 * The user's price file (FERRY_PRICES, else <config>/prices.json): offers ferry cannot read
 * anywhere (on-premise Proxmox nodes at their real cost), prices that replace the list price
 * (a negotiated rate), percentage discounts per provider or plan (applied to the rows' prices,
 * whatever their source), and the price declared for
 * a provider without a price list (zero unless said). `offers` and placement both use it.
 *
 * {
 *   "offers": [{ "provider": "proxmox", "plan": "4c-8g", "region": "pve1", "vcpus": 4, "memoryGb": 8,
 *                "priceMonthly": 20, "currency": "EUR" }],
 *   "discounts": [{ "provider": "hetzner", "percent": 10, "plans": ["cx32"] }],
 *   "declared": { "proxmox": { "priceHourly": 0, "currency": "EUR" } }
 * }
 */
import { readFile } from 'node:fs/promises';
import { UserError, type CpuArch, type Offer } from '../core/index.js';

export interface Discount {
  provider: string;
  /** 0 < percent < 100. */
  percent: number;
  /** Only these plans; every plan of the provider when absent. */
  plans?: string[];
}

export interface DeclaredPrice {
  /** Per vCPU and hour: a bigger VM costs more of the node. */
  priceHourly: number;
  currency: string;
}

export interface CustomPrices {
  path: string | null;
  offers: Offer[];
  discounts: Discount[];
  declared: Record<string, DeclaredPrice>;
}

export const NO_CUSTOM_PRICES: CustomPrices = { path: null, offers: [], discounts: [], declared: {} };

/** Reads and checks the file; a missing default file is no custom prices, a missing named one is a UserError. */
export async function loadCustomPrices(path: string, o: { required: boolean; now?: () => Date }): Promise<CustomPrices> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!o.required && (err as NodeJS.ErrnoException).code === 'ENOENT') return NO_CUSTOM_PRICES;
    throw new UserError(`cannot read the price file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`the price file ${path} is not JSON: ${(err as Error).message}`);
  }
  return parseCustomPrices(raw, path, (o.now ?? (() => new Date()))().toISOString());
}

export function parseCustomPrices(raw: unknown, path: string, fetchedAt: string): CustomPrices {
  const bad = (where: string, what: string): never => {
    throw new UserError(`price file ${path}: ${where} ${what}`);
  };
  const obj = (v: unknown, where: string) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(where, 'must be an object'));
  const num = (v: unknown, where: string) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : bad(where, 'must be a number ≥ 0'));
  const str = (v: unknown, where: string) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : bad(where, 'must be a non-empty string'));
  const list = (v: unknown, where: string) => (v === undefined ? [] : Array.isArray(v) ? v : bad(where, 'must be a list'));
  const currency = (v: unknown, where: string) => {
    const c = str(v, where).toUpperCase();
    return /^[A-Z]{3}$/.test(c) ? c : bad(where, 'must be a three-letter currency code');
  };
  const top = obj(raw, 'the file');
  const offers = list(top.offers, 'offers').map((x, i): Offer => {
    const at = `offers[${i}]`;
    const r = obj(x, at);
    const hourly = r.priceHourly === undefined ? undefined : num(r.priceHourly, `${at}.priceHourly`);
    const monthly = r.priceMonthly === undefined ? undefined : num(r.priceMonthly, `${at}.priceMonthly`);
    if (hourly === undefined && monthly === undefined) bad(at, 'needs priceHourly or priceMonthly');
    const arch = r.arch === undefined ? 'x86' : r.arch === 'x86' || r.arch === 'arm' ? (r.arch as CpuArch) : bad(`${at}.arch`, 'must be x86 or arm');
    const gpu = r.gpu === undefined || r.gpu === null ? null : str(r.gpu, `${at}.gpu`);
    return {
      provider: str(r.provider, `${at}.provider`),
      plan: str(r.plan, `${at}.plan`),
      region: str(r.region, `${at}.region`),
      vcpus: num(r.vcpus, `${at}.vcpus`),
      memoryGb: num(r.memoryGb, `${at}.memoryGb`),
      diskGb: r.diskGb === undefined ? 0 : num(r.diskGb, `${at}.diskGb`),
      gpu,
      gpuCount: r.gpuCount === undefined ? (gpu ? 1 : 0) : num(r.gpuCount, `${at}.gpuCount`),
      gpuMemoryGb: r.gpuMemoryGb === undefined ? null : num(r.gpuMemoryGb, `${at}.gpuMemoryGb`),
      priceHourly: hourly ?? monthly! / 730,
      priceMonthly: monthly ?? hourly! * 730,
      currency: currency(r.currency ?? top.currency ?? 'USD', `${at}.currency`),
      bareMetal: r.bareMetal === true,
      leadTimeHours: r.leadTimeHours === undefined ? 0 : num(r.leadTimeHours, `${at}.leadTimeHours`),
      source: 'custom',
      fetchedAt,
      arch,
      billing: hourly === undefined ? 'monthly' : 'hourly',
    };
  });
  const discounts = list(top.discounts, 'discounts').map((x, i): Discount => {
    const at = `discounts[${i}]`;
    const r = obj(x, at);
    const percent = num(r.percent, `${at}.percent`);
    if (percent <= 0 || percent >= 100) bad(`${at}.percent`, 'must be between 0 and 100');
    const plans = r.plans === undefined ? undefined : list(r.plans, `${at}.plans`).map((p, j) => str(p, `${at}.plans[${j}]`));
    return { provider: str(r.provider, `${at}.provider`), percent, ...(plans ? { plans } : {}) };
  });
  const declared: Record<string, DeclaredPrice> = {};
  for (const [provider, v] of Object.entries(top.declared === undefined ? {} : obj(top.declared, 'declared'))) {
    const r = obj(v, `declared.${provider}`);
    declared[provider] = { priceHourly: num(r.priceHourly ?? 0, `declared.${provider}.priceHourly`), currency: currency(r.currency ?? 'USD', `declared.${provider}.currency`) };
  }
  return { path, offers, discounts, declared };
}

/**
 * The catalog as the user pays it: a custom offer replaces the catalog row of the same
 * provider, plan and region (or adds one); discounts lower the matching rows' prices.
 */
export function applyCustomPrices(offers: readonly Offer[], custom: CustomPrices): Offer[] {
  const key = (o: Offer) => `${o.provider}\u0000${o.plan}\u0000${o.region}`;
  const replaced = new Set(custom.offers.map(key));
  const kept = offers.filter((o) => !replaced.has(key(o)));
  return [...kept, ...custom.offers].map((o) => {
    const d = custom.discounts.find((x) => x.provider === o.provider && (!x.plans || x.plans.includes(o.plan)));
    if (!d) return o;
    const f = 1 - d.percent / 100;
    return { ...o, priceHourly: o.priceHourly * f, priceMonthly: o.priceMonthly * f };
  });
}

/** Offers of a provider without a price list, from its sizes and regions at the declared price (zero unless the file says). */
export function declaredOffers(
  provider: string,
  sizes: readonly { id: string; vcpus: number; memoryGb: number; diskGb: number; gpu: string | null; gpuCount: number }[],
  regions: readonly string[],
  price: DeclaredPrice,
  fetchedAt: string,
): Offer[] {
  return sizes.flatMap((s) =>
    regions.map((region): Offer => ({
      provider,
      plan: s.id,
      region,
      vcpus: s.vcpus,
      memoryGb: s.memoryGb,
      diskGb: s.diskGb,
      gpu: s.gpu,
      gpuCount: s.gpuCount,
      priceHourly: price.priceHourly * s.vcpus,
      priceMonthly: price.priceHourly * s.vcpus * 730,
      currency: price.currency,
      bareMetal: false,
      leadTimeHours: 0,
      source: 'custom',
      fetchedAt,
    })),
  );
}
