/**
 * Offers per provider, from the best source available: a fresh cache, then the provider's
 * live price endpoints, then (when live fails) the stale cache or the bundled snapshot,
 * with a warning that says why. A provider left with no offers at all is an error.
 */
import { ProviderError, UserError, type OperationOptions, type Offer } from '../core/index.js';
import { loadBundledOffers } from './bundled.js';
import { OfferCache } from './cache.js';

/** The part of a Provider the catalog needs. */
export interface PriceSource {
  readonly name: string;
  listOffers(o?: OperationOptions): Promise<Offer[]>;
}

export interface ProviderOffers {
  provider: string;
  source: Offer['source'];
  /** When these prices were read (the snapshot date for bundled rows). */
  fetchedAt: string;
  offers: Offer[];
  /** Set when the provider's prices are not live and fresh, e.g. "live prices unavailable (…); using bundled prices from 2025-06-01". */
  warning?: string;
}

export interface CatalogResult {
  /** Every provider's offers, in the order the providers were given. */
  offers: Offer[];
  providers: ProviderOffers[];
  /** One line per provider whose prices are not live and fresh, prefixed with the provider name. */
  warnings: string[];
}

export interface CatalogOptions {
  cache?: OfferCache;
  /** Bundled offers of one provider and their snapshot date (null: none); the driver's file unless a test injects another. */
  bundled?: (provider: string) => Promise<{ snapshotDate: string; offers: Offer[] } | null>;
}

export interface FetchOptions {
  /** Skip the fresh cache and read live prices. */
  refresh?: boolean;
  signal?: AbortSignal;
}

export class Catalog {
  private readonly cache: OfferCache;
  private readonly bundled: NonNullable<CatalogOptions['bundled']>;

  constructor(o: CatalogOptions = {}) {
    this.cache = o.cache ?? new OfferCache();
    this.bundled = o.bundled ?? ((p) => loadBundledOffers(p));
  }

  /** Cache → live → fallback, for each provider in parallel. */
  async offers(sources: readonly PriceSource[], o: FetchOptions = {}): Promise<CatalogResult> {
    return collect(await Promise.all(sources.map(async (s) => this.enrich(await this.forProvider(s, o)))));
  }

  /**
   * Live and cached rows lack what a price endpoint does not say (architecture, GPU memory, VAT,
   * the extras the driver adds): the provider's bundled file fills the gaps for plans it knows.
   * What the driver did say always wins.
   */
  private async enrich(entry: ProviderOffers): Promise<ProviderOffers> {
    if (entry.source === 'bundled') return entry;
    const bundled = await this.bundled(entry.provider).catch(() => null);
    if (!bundled) return entry;
    const byPlan = new Map(bundled.offers.map((x) => [x.plan, x]));
    const offers = entry.offers.map((o) => {
      const b = byPlan.get(o.plan);
      if (!b) return o;
      return {
        ...o,
        arch: o.arch ?? b.arch,
        gpuMemoryGb: o.gpuMemoryGb ?? b.gpuMemoryGb,
        pricesIncludeVat: o.pricesIncludeVat ?? b.pricesIncludeVat,
        extras: o.extras ?? b.extras,
        billing: o.billing ?? b.billing,
      };
    });
    return { ...entry, offers };
  }

  /**
   * No provider calls: cached prices (even stale, with a warning) or the bundled snapshot.
   * `why` says why live prices were not read ("no credentials", "offline") in the warning.
   */
  async offlineOffers(providers: readonly string[], why = 'offline'): Promise<CatalogResult> {
    return collect(await Promise.all(providers.map(async (p) => this.enrich(await this.offline(p, why)))));
  }

  private async forProvider(source: PriceSource, o: FetchOptions): Promise<ProviderOffers> {
    const provider = source.name;
    const cached = await this.readCache(provider);
    if (cached?.fresh && !o.refresh) return fromCache(provider, cached.offers);

    let failure: ProviderError;
    try {
      const live = await source.listOffers({ signal: o.signal });
      if (live.length > 0) {
        const offers = live.map((x) => ({ ...x, provider, source: 'live' as const }));
        const entry: ProviderOffers = { provider, source: 'live', fetchedAt: offers[0]!.fetchedAt, offers };
        // Live prices are worth more than the cache; an unwritable cache costs a warning, not the prices.
        try {
          await this.cache.write(provider, offers);
        } catch (err) {
          entry.warning = `live prices could not be cached (${(err as Error).message})`;
        }
        return entry;
      }
      // The provider answered: nothing is orderable now. Bundled prices would place on plans it just
      // said it cannot sell, so the empty answer stands (uncached), reported as such.
      return { provider, source: 'live', fetchedAt: new Date().toISOString(), offers: [], warning: 'the provider answered with zero orderable offers; bundled prices not used' };
    } catch (err) {
      // Only provider failures fall back; a cancelled run or a bug in a driver surfaces as itself.
      if (!(err instanceof ProviderError) || err.kind === 'cancelled' || o.signal?.aborted) throw err;
      failure = err;
    }

    const why = `live prices unavailable (${reason(failure)})`;
    if (cached) {
      const at = cached.offers[0]!.fetchedAt;
      return { ...fromCache(provider, cached.offers), warning: `${why}; using cached prices from ${at}` };
    }
    const bundled = await this.bundled(provider);
    if (bundled && bundled.offers.length > 0) {
      const date = bundled.snapshotDate;
      return { provider, source: 'bundled', fetchedAt: date, offers: bundled.offers, warning: `${why}; using bundled prices of ${date}` };
    }
    throw new ProviderError({
      kind: failure.kind,
      provider,
      status: failure.status,
      requestId: failure.requestId,
      message: `no price catalog for ${provider}: ${why} and ferry bundles no prices for it`,
      cause: failure,
    });
  }

  /** An unreadable cache (permissions, a damaged disk) is treated as empty rather than failing the catalog. */
  private async readCache(provider: string) {
    try {
      return await this.cache.read(provider);
    } catch {
      return null;
    }
  }

  private async offline(provider: string, why: string): Promise<ProviderOffers> {
    const cached = await this.readCache(provider);
    if (cached) {
      const entry = fromCache(provider, cached.offers);
      return cached.fresh ? entry : { ...entry, warning: `${why}; cached prices from ${entry.fetchedAt} are older than the cache TTL` };
    }
    const bundled = await this.bundled(provider);
    if (bundled && bundled.offers.length > 0) {
      const date = bundled.snapshotDate;
      return { provider, source: 'bundled', fetchedAt: date, offers: bundled.offers, warning: `${why}: bundled prices of ${date}` };
    }
    throw new UserError(
      `no offline price catalog for ${provider}: nothing cached and ferry bundles no prices for it`,
      `configure ${provider} credentials so ferry can read its live prices`,
    );
  }
}

function fromCache(provider: string, offers: Offer[]): ProviderOffers {
  return { provider, source: 'cache', fetchedAt: offers[0]!.fetchedAt, offers };
}

/** "authentication failed: token rejected" — the kind in words, then the provider's message. */
function reason(err: ProviderError): string {
  const words: Partial<Record<ProviderError['kind'], string>> = {
    authentication: 'authentication failed',
    forbidden: 'permission denied',
    network: 'network error',
    timeout: 'timed out',
    rate_limited: 'rate limited',
    not_supported: 'not supported by the driver',
    not_implemented: 'driver not implemented',
  };
  const label = words[err.kind];
  return label ? `${label}: ${err.message}` : err.message;
}

function collect(entries: ProviderOffers[]): CatalogResult {
  return {
    offers: entries.flatMap((e) => e.offers),
    providers: entries,
    warnings: entries.flatMap((e) => (e.warning ? [`${e.provider}: ${e.warning}`] : [])),
  };
}
