/**
 * The one place prices in different currencies are made comparable. These rates rank offers
 * (and check a budget given in another currency); they never change a displayed price.
 */

/** US dollars per one unit of each currency. Approximate ECB reference rate, end of May 2025. */
export const RANKING_RATES = {
  asOf: '2025-05-30',
  source: 'ECB euro foreign exchange reference rate (EUR/USD ≈ 1.14), rounded',
  usdPer: { USD: 1, EUR: 1.14 } as Readonly<Record<string, number>>,
} as const;

export function isRankableCurrency(currency: string): boolean {
  return Object.hasOwn(RANKING_RATES.usdPer, currency.toUpperCase());
}

function usdPer(currency: string): number {
  const rate = RANKING_RATES.usdPer[currency.toUpperCase()];
  if (rate === undefined) {
    throw new Error(`no ranking rate for currency ${currency}; known: ${Object.keys(RANKING_RATES.usdPer).join(', ')}`);
  }
  return rate;
}

/** An amount in `from` expressed in `to`, for ranking and budget checks only. */
export function convertForRanking(amount: number, from: string, to: string): number {
  if (from.toUpperCase() === to.toUpperCase()) return amount;
  return (amount * usdPer(from)) / usdPer(to);
}
