/**
 * The one place prices in different currencies are made comparable. A dated rate table ranks
 * offers (and checks a budget given in another currency); it never changes a displayed price.
 * The bundled table can be replaced by a newer one (`ferry offers --rates <file>`).
 */
import { UserError } from '../core/index.js';

export interface RateTable {
  /** YYYY-MM-DD the rates were read. */
  asOf: string;
  source: string;
  /** US dollars per one unit of each currency. */
  usdPer: Readonly<Record<string, number>>;
}

/** Approximate ECB reference rates (converted to USD), end of May 2025, rounded. */
export const BUNDLED_RATES: RateTable = {
  asOf: '2025-05-30',
  source: 'ECB euro foreign exchange reference rates of 2025-05-30 (EUR/USD ≈ 1.14), expressed in USD and rounded',
  usdPer: {
    USD: 1,
    EUR: 1.14,
    GBP: 1.35,
    CHF: 1.21,
    CAD: 0.73,
    AUD: 0.64,
    JPY: 0.0069,
    SGD: 0.77,
    INR: 0.0117,
    BRL: 0.175,
    PLN: 0.266,
    SEK: 0.104,
    NOK: 0.098,
    DKK: 0.153,
    CZK: 0.0455,
  },
};

let active: RateTable = BUNDLED_RATES;

/** The rate table ranking uses in this process. */
export function rankingRates(): RateTable {
  return active;
}

/** Replaces the table for this process (the CLI installs a saved `--rates` table at start). */
export function useRankingRates(table: RateTable): void {
  active = table;
}

/** @deprecated kept for callers of the first catalog: the active table. */
export const RANKING_RATES = {
  get asOf() {
    return active.asOf;
  },
  get source() {
    return active.source;
  },
  get usdPer() {
    return active.usdPer;
  },
};

export function isRankableCurrency(currency: string): boolean {
  return Object.hasOwn(active.usdPer, currency.toUpperCase());
}

function usdPer(currency: string): number {
  const rate = active.usdPer[currency.toUpperCase()];
  if (rate === undefined) {
    throw new UserError(
      `no exchange rate for ${currency} in the rate table of ${active.asOf}; supported: ${Object.keys(active.usdPer).join(', ')}`,
      'give a rate table that has it: `ferry offers --rates <file>` ({"asOf": "YYYY-MM-DD", "source": "…", "usdPer": {"XYZ": 0.5}})',
    );
  }
  return rate;
}

/** An amount in `from` expressed in `to`, for ranking and budget checks only. */
export function convertForRanking(amount: number, from: string, to: string): number {
  if (from.toUpperCase() === to.toUpperCase()) return amount;
  return (amount * usdPer(from)) / usdPer(to);
}

/** Checks a rate table read from a file: USD must be 1, every rate a positive number. */
export function parseRateTable(raw: unknown, where: string): RateTable {
  const bad = (what: string): never => {
    throw new UserError(`rate table ${where}: ${what}`, 'expected {"asOf": "YYYY-MM-DD", "source": "…", "usdPer": {"USD": 1, "EUR": 1.1, …}}');
  };
  if (!raw || typeof raw !== 'object') bad('must be a JSON object');
  const r = raw as Record<string, unknown>;
  if (typeof r.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.asOf)) bad('asOf must be YYYY-MM-DD');
  if (typeof r.source !== 'string' || !r.source.trim()) bad('source must say where the rates come from');
  if (!r.usdPer || typeof r.usdPer !== 'object') bad('usdPer must map currency codes to US dollars per unit');
  const usd: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.usdPer as Record<string, unknown>)) {
    if (!/^[A-Z]{3}$/.test(code)) bad(`"${code}" is not a three-letter currency code`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(`usdPer.${code} must be a positive number`);
    usd[code] = v as number;
  }
  if (usd.USD !== 1) bad('usdPer.USD must be 1');
  return { asOf: r.asOf as string, source: r.source as string, usdPer: usd };
}
