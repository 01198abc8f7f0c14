import type { Offer } from '../core/index.js';

const SYMBOLS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£' };

/**
 * The one price format: `$0.0089/h`, `€3.79/mo`, `12.00 CHF/mo`. Prices under one unit keep four
 * decimals so cheap plans stay distinguishable. A currency ferry does not know (a record from
 * before it was kept) is said, never guessed as USD.
 */
export function formatPrice(amount: number, currency: string | null, per: 'h' | 'mo' = 'h'): string {
  const digits = per === 'h' && Math.abs(amount) < 1 ? 4 : 2;
  return `${money(amount.toFixed(digits), currency)}/${per}`;
}

/** An amount (a total, a fee) in the same format, without a period: `$12.34`, `12.34 CHF`. */
export function formatMoney(amount: number, currency: string | null): string {
  return money(amount.toFixed(2), currency);
}

function money(n: string, currency: string | null): string {
  const code = currency && currency !== 'unknown' ? currency.toUpperCase() : null;
  if (!code) return `${n} (currency unknown)`;
  const symbol = SYMBOLS[code];
  return symbol ? `${symbol}${n}` : `${n} ${code}`;
}

/** Whole numbers without decimals, fractions as given (0.5 GB). */
function formatAmount(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

export function formatGpu(o: Pick<Offer, 'gpu' | 'gpuCount'>): string {
  if (!o.gpu && o.gpuCount === 0) return '-';
  return `${o.gpuCount}× ${o.gpu ?? 'GPU'}`;
}

/** "hetzner cx42 in fsn1 at €0.0263/h": how errors and progress lines name an offer. */
export function describeOffer(o: Offer): string {
  return `${o.provider} ${o.plan} in ${o.region} at ${formatPrice(o.priceHourly, o.currency)}`;
}

export const OFFER_COLUMNS = ['provider', 'plan', 'region', 'vcpus', 'memory', 'disk', 'gpu', 'hourly', 'monthly', 'kind', 'source'] as const;
export type OfferColumn = (typeof OFFER_COLUMNS)[number];

/** One table row of display strings, keyed by OFFER_COLUMNS. */
export function formatOfferRow(o: Offer): Record<OfferColumn, string> {
  return {
    provider: o.provider,
    plan: o.plan,
    region: o.region,
    vcpus: String(o.vcpus),
    memory: `${formatAmount(o.memoryGb)} GB`,
    disk: `${formatAmount(o.diskGb)} GB`,
    gpu: formatGpu(o),
    hourly: formatPrice(o.priceHourly, o.currency, 'h'),
    monthly: formatPrice(o.priceMonthly, o.currency, 'mo'),
    kind: o.bareMetal ? `bare metal, ${formatAmount(o.leadTimeHours)}h lead` : 'cloud',
    source: o.source,
  };
}
