/**
 * The pure selector: which offers satisfy the constraints, cheapest first. Prices in
 * different currencies are ranked through the fixed table in currency.ts.
 */
import { UserError, listChoices, type Offer } from '../core/index.js';
import { convertForRanking, isRankableCurrency } from './currency.js';
import { describeOffer, formatPrice } from './format.js';

export interface OfferConstraints {
  minCpu?: number;
  minMemoryGb?: number;
  /** true: any GPU; false: no GPU; a string: a GPU whose model contains it, case-insensitively ("h100"). */
  gpu?: boolean | string;
  minGpuCount?: number;
  /** Budget per hour, in `currency`. */
  maxHourly?: number;
  /** Currency of maxHourly; USD when absent. */
  currency?: string;
  regions?: string[];
  providers?: string[];
  bareMetal?: boolean;
}

export interface SelectOptions {
  /** Provider names the user may ask for; unknown names in constraints.providers are a UserError. */
  knownProviders?: readonly string[];
  /** How many near misses a "nothing matches" error names (default 3). */
  nearest?: number;
}

/** Throws UserError on constraints that cannot be meant: negative or non-finite numbers, empty lists, unknown providers. */
export function validateConstraints(c: OfferConstraints, o: SelectOptions = {}): void {
  for (const key of ['minCpu', 'minMemoryGb', 'minGpuCount', 'maxHourly'] as const) {
    const v = c[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new UserError(`${key} must be a number of at least 0, got ${String(v)}`);
    }
  }
  if (typeof c.gpu === 'string' && c.gpu.trim() === '') throw new UserError('gpu model must not be empty', 'use --gpu for any GPU, or name a model such as h100');
  if (c.gpu === false && (c.minGpuCount ?? 0) > 0) throw new UserError(`minGpuCount ${c.minGpuCount} contradicts gpu: false`);
  if (c.currency !== undefined && !isRankableCurrency(c.currency)) {
    throw new UserError(`unknown budget currency ${c.currency}`, 'give the budget in USD or EUR');
  }
  for (const key of ['regions', 'providers'] as const) {
    const list = c[key];
    if (list === undefined) continue;
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || x.trim() === '')) {
      throw new UserError(`${key} must be a non-empty list of names`);
    }
  }
  if (c.providers && o.knownProviders) {
    const known = new Set(o.knownProviders);
    const unknown = c.providers.filter((p) => !known.has(p));
    if (unknown.length) throw new UserError(`unknown provider ${unknown.join(', ')}; known: ${listChoices(o.knownProviders)}`);
  }
}

/** One unmet constraint of one offer, in words: "has 8 GB memory, need 16". */
export interface Miss {
  constraint: keyof OfferConstraints;
  message: string;
}

const lower = (s: string) => s.toLowerCase();

/** Every constraint `offer` fails; empty when it matches. */
export function missesOf(offer: Offer, c: OfferConstraints): Miss[] {
  const out: Miss[] = [];
  const miss = (constraint: keyof OfferConstraints, message: string) => out.push({ constraint, message });
  if (c.minCpu !== undefined && offer.vcpus < c.minCpu) miss('minCpu', `has ${offer.vcpus} vCPUs, need ${c.minCpu}`);
  if (c.minMemoryGb !== undefined && offer.memoryGb < c.minMemoryGb) miss('minMemoryGb', `has ${offer.memoryGb} GB memory, need ${c.minMemoryGb}`);
  const hasGpu = offer.gpuCount > 0 || offer.gpu !== null;
  if (c.gpu === true && !hasGpu) miss('gpu', 'has no GPU');
  if (c.gpu === false && hasGpu) miss('gpu', `has a GPU (${offer.gpu ?? 'unnamed'}), need none`);
  if (typeof c.gpu === 'string' && !(offer.gpu !== null && lower(offer.gpu).includes(lower(c.gpu.trim())))) {
    miss('gpu', hasGpu ? `has ${offer.gpu ?? 'an unnamed GPU'}, need ${c.gpu}` : `has no GPU, need ${c.gpu}`);
  }
  if (c.minGpuCount !== undefined && offer.gpuCount < c.minGpuCount) miss('minGpuCount', `has ${offer.gpuCount} GPUs, need ${c.minGpuCount}`);
  if (c.maxHourly !== undefined) {
    const budgetCurrency = c.currency ?? 'USD';
    if (convertForRanking(offer.priceHourly, offer.currency, budgetCurrency) > c.maxHourly) {
      miss('maxHourly', `is over the budget of ${formatPrice(c.maxHourly, budgetCurrency)}`);
    }
  }
  if (c.regions && !c.regions.map(lower).includes(lower(offer.region))) miss('regions', `is not in ${c.regions.join(', ')}`);
  if (c.providers && !c.providers.includes(offer.provider)) miss('providers', `is not from ${c.providers.join(', ')}`);
  if (c.bareMetal === true && !offer.bareMetal) miss('bareMetal', 'is a cloud server, need bare metal');
  if (c.bareMetal === false && offer.bareMetal) miss('bareMetal', 'is bare metal, need a cloud server');
  return out;
}

/** Cheapest hourly first (compared in USD), then monthly, then fewer vCPUs, then provider/plan/region. */
export function compareOffers(a: Offer, b: Offer): number {
  const usd = (n: number, cur: string) => convertForRanking(n, cur, 'USD');
  return (
    usd(a.priceHourly, a.currency) - usd(b.priceHourly, b.currency) ||
    usd(a.priceMonthly, a.currency) - usd(b.priceMonthly, b.currency) ||
    a.vcpus - b.vcpus ||
    a.provider.localeCompare(b.provider) ||
    a.plan.localeCompare(b.plan) ||
    a.region.localeCompare(b.region)
  );
}

/**
 * The offers that satisfy every constraint, cheapest first. Throws UserError when none does,
 * naming the nearest offers and what each misses.
 */
export function selectOffers(offers: readonly Offer[], c: OfferConstraints, o: SelectOptions = {}): Offer[] {
  validateConstraints(c, o);
  // An empty catalog is a bug upstream (Catalog never returns one), not "nothing fits".
  if (offers.length === 0) throw new Error('selectOffers was given an empty catalog');
  const matching = offers.filter((x) => missesOf(x, c).length === 0).sort(compareOffers);
  if (matching.length > 0) return matching;
  throw new UserError(noMatchMessage(offers, c, o.nearest ?? 3), 'relax a constraint, or run `ferry offers` to see what is available');
}

function noMatchMessage(offers: readonly Offer[], c: OfferConstraints, count: number): string {
  const scored = offers.map((offer) => ({ offer, misses: missesOf(offer, c) }));
  const fewest = Math.min(...scored.map((s) => s.misses.length));
  // One line per plan and shortfall: the same plan in three regions at one price is one suggestion.
  const seen = new Set<string>();
  const nearest = scored
    .filter((s) => s.misses.length === fewest)
    .sort((a, b) => shortfall(a.offer, c) - shortfall(b.offer, c) || compareOffers(a.offer, b.offer))
    .filter((s) => {
      const key = `${s.offer.provider}/${s.offer.plan}/${s.misses.map((m) => m.message).join(';')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, count);
  const lines = nearest.map((s) => `  ${describeOffer(s.offer)} ${s.misses.map((m) => m.message).join('; ')}`);
  const what = fewest === 1 ? 'misses one constraint' : `miss ${fewest} constraints`;
  return [`no offer matches ${describeConstraints(c)}; the nearest ${what}:`, ...lines].join('\n');
}

/**
 * How far an offer is from the numeric constraints it misses, as relative gaps added up
 * (8 GB of 16 needed is 0.5): the nearest offer to "4 TB of memory" is the biggest, not the cheapest.
 */
function shortfall(offer: Offer, c: OfferConstraints): number {
  const gap = (have: number, need: number | undefined) => (need !== undefined && need > 0 && have < need ? (need - have) / need : 0);
  let total = gap(offer.vcpus, c.minCpu) + gap(offer.memoryGb, c.minMemoryGb) + gap(offer.gpuCount, c.minGpuCount);
  if (c.maxHourly !== undefined && c.maxHourly > 0) {
    const price = convertForRanking(offer.priceHourly, offer.currency, c.currency ?? 'USD');
    if (price > c.maxHourly) total += (price - c.maxHourly) / c.maxHourly;
  }
  return total;
}

export function describeConstraints(c: OfferConstraints): string {
  const parts: string[] = [];
  if (c.minCpu !== undefined) parts.push(`≥${c.minCpu} vCPUs`);
  if (c.minMemoryGb !== undefined) parts.push(`≥${c.minMemoryGb} GB memory`);
  if (c.gpu === true) parts.push('a GPU');
  if (c.gpu === false) parts.push('no GPU');
  if (typeof c.gpu === 'string') parts.push(`a ${c.gpu} GPU`);
  if (c.minGpuCount !== undefined) parts.push(`≥${c.minGpuCount} GPUs`);
  if (c.maxHourly !== undefined) parts.push(`≤${formatPrice(c.maxHourly, c.currency ?? 'USD')}`);
  if (c.regions) parts.push(`in ${c.regions.join('/')}`);
  if (c.providers) parts.push(`from ${c.providers.join('/')}`);
  if (c.bareMetal !== undefined) parts.push(c.bareMetal ? 'bare metal' : 'cloud');
  return parts.length ? `(${parts.join(', ')})` : '(no constraints)';
}
