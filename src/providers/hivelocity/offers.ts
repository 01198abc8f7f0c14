/**
 * Offers from the store: one per product and facility, the facility's premium included, with the
 * stock level Hivelocity states (available / limited / unavailable). The API states no lead time:
 * instant servers (the MAIN listing) are provisioned automatically, which ferry counts as half an
 * hour; GPU servers as two hours (hardware checks before hand-over). Monthly is the period ferry
 * orders unless HIVELOCITY_BILLING_PERIOD=hourly, so the hourly figure of a monthly offer is the
 * month spread over 730 hours, and placement ranks it by the month.
 */
import type { HvStock } from './schema.js';
import type { OfferService } from '../../core/index.js';
import type { HivelocityCatalog, StockRow } from './catalog.js';
import { stockToOffer } from './mapping.js';

export const LEAD_TIME_HOURS = { MAIN: 0.5, GPU: 2 } as const;

export function leadTimeHours(s: HvStock): number {
  return (s as StockRow).listing === 'GPU' || (s.product_gpu ?? '').trim() !== '' ? LEAD_TIME_HOURS.GPU : LEAD_TIME_HOURS.MAIN;
}

export function offersService(catalog: HivelocityCatalog, period: 'monthly' | 'hourly'): OfferService {
  return {
    async list(o) {
      const fetchedAt = new Date().toISOString();
      return (await catalog.stock.get(o)).map((s) => stockToOffer(s, { period, leadTimeHours }, fetchedAt)).filter((x) => x !== null);
    },
  };
}
