/**
 * Offers for `ferry offers`, `deploy` and the demo: live from each provider with credentials
 * (through the catalog's cache), cached or bundled prices for the others, the user's price
 * file on top, and a line for every provider that is not in the ranking saying why. Prices
 * read from an endpoint override (the emulator) are cached apart, so they can never stand in
 * for the real provider's prices. A provider without prices is never fatal.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ProviderError, UserError, type Offer, type ProviderDescriptor } from '../core/index.js';
import {
  Catalog,
  OfferCache,
  applyCustomPrices,
  declaredOffers,
  defaultOfferCacheDir,
  loadCustomPrices,
  priceAvailability,
  type CatalogResult,
  type CustomPrices,
} from '../catalog/index.js';
import type { Context } from './context.js';
import { configDir } from './credentials.js';
import { implementedDescriptor } from './providers.js';

export interface PriceOrigin {
  provider: string;
  source: Offer['source'];
  fetchedAt: string;
  /** A provider without a price list: its sizes at a declared price (from the price file, or zero). */
  declared?: 'file' | 'default';
}

/** A provider that contributes no offers, and why ("retired on 2026-06-30", "no credentials and no bundled prices"). */
export interface Unpriced {
  provider: string;
  reason: string;
}

export interface GatheredOffers {
  offers: Offer[];
  origins: PriceOrigin[];
  /** Providers whose prices are stale or fallbacks. */
  warnings: string[];
  unpriced: Unpriced[];
  custom: CustomPrices;
}

export interface GatherOptions {
  providers?: string[];
  offline?: boolean;
  refresh?: boolean;
  /** Only providers ferry can deploy to (credentials set). */
  onlyConfigured?: boolean;
}

function cacheFor(ctx: Context, endpoint: string | undefined): OfferCache {
  const base = defaultOfferCacheDir(ctx.env);
  if (!endpoint) return new OfferCache({ dir: base });
  const key = createHash('sha256').update(endpoint).digest('hex').slice(0, 12);
  return new OfferCache({ dir: join(base, 'endpoints', key) });
}

/** FERRY_PRICES names the price file (it must exist); else <config>/prices.json when present. */
export function customPrices(ctx: Context): Promise<CustomPrices> {
  const named = ctx.env.FERRY_PRICES;
  const path = named || join(configDir(ctx.env), 'prices.json');
  return loadCustomPrices(path, { required: Boolean(named), now: () => ctx.now() });
}

type Gathered = { result: CatalogResult } | { unpriced: Unpriced } | null;

export async function gatherOffers(ctx: Context, o: GatherOptions = {}): Promise<GatheredOffers> {
  const registry = await ctx.registry();
  const creds = await ctx.credentials();
  const configured = new Set(creds.configured());
  const custom = await customPrices(ctx);
  const named = o.providers?.length ? [...new Set(o.providers)] : undefined;
  const descriptors: ProviderDescriptor[] = named ? await Promise.all(named.map((p) => implementedDescriptor(ctx, p))) : registry.descriptors();
  const hasCustom = (p: string) => custom.offers.some((x) => x.provider === p);

  const one = async (d: ProviderDescriptor): Promise<Gathered> => {
    const p = d.name;
    const availability = priceAvailability(d);
    const isConfigured = configured.has(p);
    if (d.retired || !d.load) {
      const reason = availability.bundled ? 'driver not implemented yet' : availability.reason;
      return o.onlyConfigured || hasCustom(p) ? null : { unpriced: { provider: p, reason } };
    }
    if (o.onlyConfigured && !isConfigured) {
      if (named) await ctx.provider(p); // says which credentials are missing
      return null;
    }
    const catalog = new Catalog({ cache: cacheFor(ctx, creds.resolve(p).endpoint) });
    try {
      if (!availability.bundled) return await unlisted(ctx, p, availability.reason, isConfigured && !o.offline, custom);
      if (o.offline || !isConfigured) return { result: await catalog.offlineOffers([p], isConfigured ? 'offline' : 'no credentials') };
      return { result: await catalog.offers([await ctx.provider(p)], { refresh: o.refresh ?? false }) };
    } catch (err) {
      if (err instanceof UserError || ProviderError.is(err)) return { unpriced: { provider: p, reason: (err as Error).message.split('\n')[0]! } };
      throw err;
    }
  };

  const out: GatheredOffers = { offers: [], origins: [], warnings: [], unpriced: [], custom };
  for (const r of await Promise.all(descriptors.map(one))) {
    if (!r) continue;
    if ('unpriced' in r) {
      out.unpriced.push(r.unpriced);
      continue;
    }
    out.offers.push(...r.result.offers);
    out.warnings.push(...r.result.warnings);
    // Only a provider without a price list yields 'custom' rows here (the file's own offers join below).
    out.origins.push(...r.result.providers.map((x) => ({ provider: x.provider, source: x.source, fetchedAt: x.fetchedAt, ...(x.source === 'custom' ? { declared: custom.declared[x.provider] ? ('file' as const) : ('default' as const) } : {}) })));
  }
  // The price file's offers join for the providers asked (or all), and its discounts apply to every row.
  const wanted = new Set(descriptors.filter((d) => !d.retired && (!o.onlyConfigured || configured.has(d.name))).map((d) => d.name));
  const customOffers = custom.offers.filter((x) => wanted.has(x.provider));
  for (const p of new Set(customOffers.map((x) => x.provider))) {
    if (!out.origins.some((x) => x.provider === p)) out.origins.push({ provider: p, source: 'custom', fetchedAt: customOffers.find((x) => x.provider === p)!.fetchedAt });
  }
  out.offers = applyCustomPrices(out.offers, { ...custom, offers: customOffers });
  return out;
}

/**
 * A provider without a price list (Proxmox): the price file's offers when it has some, else its
 * sizes in each region at the declared price (zero unless the file declares one) when ferry can
 * ask it; otherwise it is listed as unpriced with the reason, never fatal.
 */
async function unlisted(ctx: Context, p: string, reason: string, canAsk: boolean, custom: CustomPrices): Promise<Gathered> {
  if (custom.offers.some((x) => x.provider === p)) return null;
  if (!canAsk) return { unpriced: { provider: p, reason: `${reason}; with credentials it joins at a declared price` } };
  const provider = await ctx.provider(p);
  const [sizes, regions] = await Promise.all([provider.listSizes(), provider.listRegions()]);
  const price = custom.declared[p] ?? { priceHourly: 0, currency: 'USD' };
  const offers = declaredOffers(p, sizes, regions.map((r) => r.id), price, ctx.now().toISOString());
  if (!offers.length) return { unpriced: { provider: p, reason: `${reason}; it reports no sizes or regions` } };
  const warning = `${p}: no price list; at the declared price of ${price.priceHourly} ${price.currency} per vCPU-hour${custom.declared[p] ? '' : ' (default: declare one in the price file)'}`;
  return { result: { offers, providers: [{ provider: p, source: 'custom', fetchedAt: offers[0]!.fetchedAt, offers }], warnings: [warning] } };
}

/** "hetzner: live (2026-…); digitalocean: bundled snapshot of 2025-06-01". */
export function describeOrigins(origins: readonly PriceOrigin[]): string {
  return origins
    .map((x) => {
      if (x.source === 'bundled') return `${x.provider}: bundled prices of ${x.fetchedAt}`;
      if (x.declared === 'default') return `${x.provider}: declared price (zero unless your price file says)`;
      if (x.declared === 'file') return `${x.provider}: declared price from your price file`;
      if (x.source === 'custom') return `${x.provider}: your price file`;
      return `${x.provider}: ${x.source} prices read ${x.fetchedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`;
    })
    .join('; ');
}

/** "not in this ranking: proxmox (…); equinix-metal (retired on 2026-06-30)". */
export function describeUnpriced(list: readonly Unpriced[]): string | null {
  if (!list.length) return null;
  // Providers that share a reason (the road map's drivers) share one clause.
  const byReason = new Map<string, string[]>();
  for (const u of list) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.provider]);
  return `not in this ranking: ${[...byReason].map(([reason, ps]) => `${ps.join(', ')} (${reason})`).join('; ')}`;
}
