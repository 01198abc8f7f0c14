/** How `ferry offers` lays offers out: sort keys, groups, the per-provider comparison, and table rows. */
import { UserError, type Offer } from '../core/index.js';
import { convertForRanking, expectedCost, formatMoney, formatOfferRow, formatPrice, normaliseGpu } from '../catalog/index.js';
import type { Suppression } from '../store/index.js';

export const SORTS = ['price', 'price-per-vcpu', 'price-per-gb'] as const;
export const GROUPS = ['provider', 'region', 'gpu'] as const;
export type SortKey = (typeof SORTS)[number];
export type GroupKey = (typeof GROUPS)[number];

export function choice<T extends string>(flag: string, value: unknown, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !choices.includes(value as T)) throw new UserError(`${flag} must be one of ${choices.join(', ')}, got ${String(value)}`);
  return value as T;
}

/** The cost over the expected duration in the display currency: what the ranking compares. */
export function rankAmount(o: Offer, hours: number, currency: string): number {
  return convertForRanking(expectedCost(o, hours), o.currency, currency);
}

export function sortValue(o: Offer, sort: SortKey, hours: number): number {
  const usd = rankAmount(o, hours, 'USD');
  return sort === 'price' ? usd : sort === 'price-per-vcpu' ? usd / Math.max(o.vcpus, 1) : usd / Math.max(o.memoryGb, 0.001);
}

export function gpuLabel(o: Offer): string {
  if (!o.gpu && o.gpuCount === 0) return '-';
  const g = normaliseGpu(o.gpu ?? 'GPU', o.gpuMemoryGb);
  const mem = g.memoryGb && !/\d+GB/.test(g.name) ? ` ${g.memoryGb}GB` : '';
  return `${o.gpuCount}× ${g.name}${mem}`;
}

export function groupKey(o: Offer, by: GroupKey): string {
  if (by === 'provider') return o.provider;
  if (by === 'region') return `${o.provider}/${o.region}`;
  return o.gpu || o.gpuCount ? normaliseGpu(o.gpu ?? 'GPU', o.gpuMemoryGb).name : 'no GPU';
}

/** Groups in the order of their best offer; offers keep their order inside a group. */
export function groupOffers(offers: readonly Offer[], by: GroupKey): { key: string; offers: Offer[] }[] {
  const groups = new Map<string, Offer[]>();
  for (const o of offers) groups.set(groupKey(o, by), [...(groups.get(groupKey(o, by)) ?? []), o]);
  return [...groups].map(([key, list]) => ({ key, offers: list }));
}

/** The cheapest matching offer of each provider, cheapest provider first (offers come sorted). */
export function cheapestPerProvider(offers: readonly Offer[]): Offer[] {
  const seen = new Set<string>();
  return offers.filter((o) => !seen.has(o.provider) && seen.add(o.provider));
}

export const suppressionKey = (x: { provider: string; plan: string; region: string }) => `${x.provider}\u0000${x.plan}\u0000${x.region}`;

/** Billing words a person needs before ordering: monthly-only, term, setup fee, stock, extras, suppression. */
export function offerNotes(o: Offer, s: Suppression | undefined): string {
  const notes: string[] = [];
  if (s) notes.push(`suppressed until ${s.until.slice(11, 16)}Z (${s.kind}: ${s.reason})`);
  if (o.billing === 'monthly') notes.push('monthly billing');
  if (o.minimumTermMonths) notes.push(`${o.minimumTermMonths}-month term`);
  if (o.setupFee) notes.push(`setup ${formatMoney(o.setupFee, o.currency)}`);
  if (o.extras?.length) notes.push(`+ ${o.extras.map((e) => `${e.what} ${formatPrice(e.priceMonthly, o.currency, 'mo')}`).join(', ')}`);
  if (o.stock !== undefined && o.stock !== null) notes.push(`${o.stock} in stock`);
  if (o.bareMetal) notes.push(`bare metal, ${o.leadTimeHours}h lead`);
  return notes.join('; ');
}

export const OFFER_HEADERS = (hours: number, currency: string) => ['provider', 'plan', 'region', 'arch', 'vcpus', 'memory', 'disk', 'gpu', 'hourly', 'monthly', `${hours}h in ${currency}`, 'tax', 'source', 'notes'];

export function offerCells(o: Offer, hours: number, currency: string, s: Suppression | undefined): string[] {
  const r = formatOfferRow(o);
  const rank = rankAmount(o, hours, currency);
  return [r.provider, r.plan, r.region, o.arch ?? 'x86', r.vcpus, r.memory, r.disk, gpuLabel(o), r.hourly, r.monthly, `≈${formatMoney(rank, currency)}`, o.pricesIncludeVat ? 'gross' : 'net', o.source, offerNotes(o, s)];
}
