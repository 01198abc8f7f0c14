/**
 * The pure selector: which offers satisfy the constraints, cheapest first. Offers are ranked
 * on what they would cost over the expected duration (cost.ts), converted through the dated
 * rate table (currency.ts); GPUs are compared by their normalised model (gpu.ts).
 */
import { byCodeUnits, UserError, listChoices, type CpuArch, type Offer } from '../core/index.js';
import { HOURS_PER_MONTH, effectiveHourly, rankingCost } from './cost.js';
import { convertForRanking, isRankableCurrency, rankingRates } from './currency.js';
import { describeOffer, formatPrice } from './format.js';
import { describeGpuFilter, gpuMatches, normaliseGpu, parseGpuFilter } from './gpu.js';

export interface OfferConstraints {
  minCpu?: number;
  minMemoryGb?: number;
  /** true: any GPU; false: no GPU; a string: a GPU filter "model[:memory[:count]]" ("h100", "a100:80gb:2"). */
  gpu?: boolean | string;
  minGpuCount?: number;
  /** Budget per hour, in `currency`. */
  maxHourly?: number;
  /** Currency of maxHourly; USD when absent. */
  currency?: string;
  regions?: string[];
  providers?: string[];
  bareMetal?: boolean;
  /** x86 or arm; an offer without one is x86. Placement asks for x86 unless told. */
  arch?: CpuArch;
  /** Expected duration in hours: offers are ranked (and the budget checked) on their cost over it. Default 730, one month. */
  hours?: number;
  /** Bare metal: at most this many hours from order to ready. */
  maxLeadTimeHours?: number;
}

/** The flag each constraint comes from, so validation speaks the user's words. */
const FLAG: Record<string, string> = { minCpu: '--min-cpu', minMemoryGb: '--min-memory', minGpuCount: '--gpu count', maxHourly: '--budget', hours: '--hours', maxLeadTimeHours: '--max-lead-time' };

export interface SelectOptions {
  /** Provider names the user may ask for; unknown names in constraints.providers are a UserError. */
  knownProviders?: readonly string[];
  /** How many near misses a "nothing matches" error names (default 3). */
  nearest?: number;
}

/** Throws UserError on constraints that cannot be meant: negative or non-finite numbers, empty lists, unknown providers. */
export function validateConstraints(c: OfferConstraints, o: SelectOptions = {}): void {
  for (const key of ['minCpu', 'minMemoryGb', 'minGpuCount', 'maxHourly', 'maxLeadTimeHours'] as const) {
    const v = c[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new UserError(`${FLAG[key]} must be ≥ 0, got ${String(v)}`);
    }
  }
  if (c.hours !== undefined && (typeof c.hours !== 'number' || !Number.isFinite(c.hours) || c.hours <= 0)) throw new UserError(`--hours must be > 0, got ${String(c.hours)}`);
  if (c.arch !== undefined && c.arch !== 'x86' && c.arch !== 'arm') throw new UserError(`--arch must be x86 or arm, got ${String(c.arch)}`);
  if (typeof c.gpu === 'string' && c.gpu.trim() === '') throw new UserError('--gpu model must not be empty', 'use --gpu for any GPU, or name a model such as h100');
  if (typeof c.gpu === 'string') parseGpuFilter(c.gpu);
  if (c.gpu === false && (c.minGpuCount ?? 0) > 0) throw new UserError(`--gpu count ${c.minGpuCount} contradicts no GPU`);
  if (c.currency !== undefined && !isRankableCurrency(c.currency)) {
    throw new UserError(`--currency ${c.currency} is not in the rate table of ${rankingRates().asOf}`, `supported: ${Object.keys(rankingRates().usdPer).join(', ')}`);
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
  if (typeof c.gpu === 'string') {
    const f = parseGpuFilter(c.gpu);
    if (!gpuMatches(offer.gpu, offer.gpuCount, offer.gpuMemoryGb, f)) {
      const has = hasGpu ? `has ${offer.gpuCount}× ${offer.gpu ? normaliseGpu(offer.gpu, offer.gpuMemoryGb).name : 'an unnamed GPU'}` : 'has no GPU';
      miss('gpu', `${has}, need ${describeGpuFilter(f)}`);
    }
  }
  if (c.minGpuCount !== undefined && offer.gpuCount < c.minGpuCount) miss('minGpuCount', `has ${offer.gpuCount} GPUs, need ${c.minGpuCount}`);
  if (c.arch !== undefined && (offer.arch ?? 'x86') !== c.arch) miss('arch', `is ${offer.arch ?? 'x86'}, need ${c.arch}`);
  if (c.maxHourly !== undefined) {
    const budgetCurrency = c.currency ?? 'USD';
    if (effectiveHourly(offer, c.hours ?? HOURS_PER_MONTH, budgetCurrency) > c.maxHourly) {
      miss('maxHourly', `is over the budget of ${formatPrice(c.maxHourly, budgetCurrency)}`);
    }
  }
  if (c.regions && !c.regions.map(lower).includes(lower(offer.region))) miss('regions', `is not in ${c.regions.join(', ')}`);
  if (c.providers && !c.providers.includes(offer.provider)) miss('providers', `is not from ${c.providers.join(', ')}`);
  if (c.maxLeadTimeHours !== undefined && offer.leadTimeHours > c.maxLeadTimeHours) {
    miss('maxLeadTimeHours', `is ready ${offer.leadTimeHours} h after the order, need ${c.maxLeadTimeHours} h at most`);
  }
  // A site the provider says is sold out cannot be ordered, whatever the price.
  if (offer.stock === 0) miss('providers', `is out of stock in ${offer.region}`);
  if (c.bareMetal === true && !offer.bareMetal) miss('bareMetal', 'is a cloud server, need bare metal');
  if (c.bareMetal === false && offer.bareMetal) miss('bareMetal', 'is bare metal, need a cloud server');
  return out;
}

/** Cheapest over the expected duration first (compared in USD), then the hourly price, then fewer vCPUs, then provider/plan/region. */
export function compareOffers(a: Offer, b: Offer, hours: number = HOURS_PER_MONTH): number {
  return (
    rankingCost(a, hours) - rankingCost(b, hours) ||
    convertForRanking(a.priceHourly, a.currency, 'USD') - convertForRanking(b.priceHourly, b.currency, 'USD') ||
    a.vcpus - b.vcpus ||
    byCodeUnits(a.provider, b.provider) ||
    byCodeUnits(a.plan, b.plan) ||
    byCodeUnits(a.region, b.region)
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
  const hours = c.hours ?? HOURS_PER_MONTH;
  const matching = offers.filter((x) => missesOf(x, c).length === 0).sort((a, b) => compareOffers(a, b, hours));
  if (matching.length > 0) return matching;
  throw new UserError(noMatchMessage(offers, c, o.nearest ?? 3), 'relax a constraint, or run `ferry offers` to see what is available');
}

function noMatchMessage(offers: readonly Offer[], c: OfferConstraints, count: number): string {
  // Asked for a GPU, the suggestions are GPU offers whenever there are any.
  const wantsGpu = c.gpu !== undefined && c.gpu !== false;
  const gpuOffers = wantsGpu ? offers.filter((x) => x.gpuCount > 0 || x.gpu) : [];
  const scored = (gpuOffers.length ? gpuOffers : offers).map((offer) => ({ offer, misses: missesOf(offer, c) }));
  const fewest = Math.min(...scored.map((s) => s.misses.length));
  // One line per plan and shortfall: the same plan in three regions at one price is one suggestion.
  const seen = new Set<string>();
  const nearest = scored
    .filter((s) => s.misses.length === fewest)
    .sort((a, b) => shortfall(a.offer, c) - shortfall(b.offer, c) || compareOffers(a.offer, b.offer, c.hours))
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
  // Asked for a GPU, the nearest offers are other GPUs, never CPU servers.
  if (c.gpu !== undefined && c.gpu !== false && offer.gpuCount === 0 && !offer.gpu) total += 1;
  if (c.maxHourly !== undefined && c.maxHourly > 0) {
    const price = effectiveHourly(offer, c.hours ?? HOURS_PER_MONTH, c.currency ?? 'USD');
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
  if (typeof c.gpu === 'string') parts.push(describeGpuFilter(parseGpuFilter(c.gpu)));
  if (c.minGpuCount !== undefined) parts.push(`≥${c.minGpuCount} GPUs`);
  if (c.maxHourly !== undefined) parts.push(`≤${formatPrice(c.maxHourly, c.currency ?? 'USD')}`);
  if (c.regions) parts.push(`in ${c.regions.join('/')}`);
  if (c.providers) parts.push(`from ${c.providers.join('/')}`);
  if (c.bareMetal !== undefined) parts.push(c.bareMetal ? 'bare metal' : 'cloud');
  if (c.arch !== undefined) parts.push(c.arch);
  if (c.hours !== undefined) parts.push(`for ${c.hours} h`);
  return parts.length ? `(${parts.join(', ')})` : '(no constraints)';
}
