export {
  loadBundledOffers,
  loadAllBundledOffers,
  bundledProviders,
  offersFromFile,
  priceAvailability,
  type BundledOffers,
  type BundledOffersFile,
  type BundledPlan,
  type PriceAvailability,
} from './bundled.js';
export { loadCustomPrices, parseCustomPrices, applyCustomPrices, declaredOffers, NO_CUSTOM_PRICES, type CustomPrices, type Discount, type DeclaredPrice } from './custom.js';
export { OfferCache, defaultOfferCacheDir, DEFAULT_OFFER_TTL_MS, type OfferCacheOptions, type CachedOffers } from './cache.js';
export { Catalog, type CatalogOptions, type CatalogResult, type FetchOptions, type PriceSource, type ProviderOffers } from './catalog.js';
export { RANKING_RATES, BUNDLED_RATES, convertForRanking, isRankableCurrency, rankingRates, useRankingRates, parseRateTable, type RateTable } from './currency.js';
export { formatMoney, formatPrice, formatGpu, formatOfferRow, describeOffer, OFFER_COLUMNS, type OfferColumn } from './format.js';
export {
  selectOffers,
  validateConstraints,
  missesOf,
  compareOffers,
  describeConstraints,
  type OfferConstraints,
  type SelectOptions,
  type Miss,
} from './select.js';
export { place, saysOfferUnavailable, PlacementExhaustedError, DEFAULT_MAX_ATTEMPTS, type AttemptOutcome, type AttemptReport, type PlaceOptions, type Placement, type SuppressedOffer } from './placement.js';
export { normaliseGpu, parseGpuFilter, gpuMatches, gpuModels, describeGpuFilter, type GpuModel, type GpuFilter, type NormalisedGpu } from './gpu.js';
export { expectedCost, rankingCost, effectiveHourly, HOURS_PER_MONTH } from './cost.js';
