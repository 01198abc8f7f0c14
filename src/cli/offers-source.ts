/**
 * Offers for `ferry offers`, `deploy` and the demo: live from each provider with credentials
 * (through the catalog's cache), cached or bundled prices for the others, and a record of
 * where every provider's prices came from. Prices read from an endpoint override (the
 * emulator) are cached apart, so they can never stand in for the real provider's prices.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ProviderError, UserError, type Offer } from '../core/index.js';
import { Catalog, OfferCache, bundledProviders, defaultOfferCacheDir, type CatalogResult } from '../catalog/index.js';
import type { Context } from './context.js';
import { implementedDescriptor } from './providers.js';

export interface PriceOrigin {
  provider: string;
  source: Offer['source'];
  fetchedAt: string;
}

export interface GatheredOffers {
  offers: Offer[];
  origins: PriceOrigin[];
  /** Providers whose prices are stale, fallbacks, or missing. */
  warnings: string[];
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

export async function gatherOffers(ctx: Context, o: GatherOptions = {}): Promise<GatheredOffers> {
  const registry = await ctx.registry();
  const creds = await ctx.credentials();
  const configured = new Set(creds.configured());
  const asked = o.providers?.length ? [...new Set(o.providers)] : undefined;
  if (asked) for (const p of asked) await implementedDescriptor(ctx, p);
  const bundled = new Set(bundledProviders());
  const candidates =
    asked ?? registry.implementedProviders().filter((p) => (o.onlyConfigured ? configured.has(p) : configured.has(p) || bundled.has(p)));

  const results = await Promise.all(
    candidates.map(async (p): Promise<CatalogResult | string> => {
      const endpoint = creds.resolve(p).endpoint;
      const catalog = new Catalog({ cache: cacheFor(ctx, endpoint) });
      try {
        if (o.offline || !configured.has(p)) {
          if (o.onlyConfigured) await ctx.provider(p); // says which credentials are missing
          return await catalog.offlineOffers([p]);
        }
        return await catalog.offers([await ctx.provider(p)], { refresh: o.refresh ?? false });
      } catch (err) {
        // A provider without any price list (Proxmox) is skipped unless it was asked for by name.
        if (!asked && (err instanceof UserError || ProviderError.is(err))) return `${p}: no prices (${(err as Error).message.split('\n')[0]})`;
        throw err;
      }
    }),
  );
  const out: GatheredOffers = { offers: [], origins: [], warnings: [] };
  for (const r of results) {
    if (typeof r === 'string') {
      out.warnings.push(r);
      continue;
    }
    out.offers.push(...r.offers);
    out.warnings.push(...r.warnings);
    out.origins.push(...r.providers.map((p) => ({ provider: p.provider, source: p.source, fetchedAt: p.fetchedAt })));
  }
  return out;
}

/** "hetzner: live (2026-…); digitalocean: bundled snapshot of 2025-06-01". */
export function describeOrigins(origins: readonly PriceOrigin[]): string {
  return origins
    .map((x) => {
      if (x.source === 'bundled') return `${x.provider}: bundled prices of ${x.fetchedAt}`;
      return `${x.provider}: ${x.source} prices read ${x.fetchedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`;
    })
    .join('; ');
}
