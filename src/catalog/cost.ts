/**
 * What an offer costs over the request's expected duration, so a monthly-only server, a setup
 * fee or a 12-month term is compared with an hourly cloud server on what would really be paid,
 * not on a made-up hourly price. Extras the driver adds (a primary IPv4) count too.
 */
import type { Offer } from '../core/index.js';
import { convertForRanking } from './currency.js';

/** One month, in hours: the default expected duration. */
export const HOURS_PER_MONTH = 730;

/** Hourly billing capped at the monthly price, month by month. */
function hourlyCapped(hours: number, hourly: number, monthly: number): number {
  const full = Math.floor(hours / HOURS_PER_MONTH);
  const rest = hours - full * HOURS_PER_MONTH;
  const month = monthly > 0 ? Math.min(monthly, hourly * HOURS_PER_MONTH) : hourly * HOURS_PER_MONTH;
  return full * month + (monthly > 0 ? Math.min(rest * hourly, monthly) : rest * hourly);
}

/** The offer's cost in its own currency over `hours`: plan, setup fee, minimum term and extras. */
export function expectedCost(o: Offer, hours: number = HOURS_PER_MONTH): number {
  let plan: number;
  if (o.billing === 'monthly') {
    const months = Math.max(Math.ceil(hours / HOURS_PER_MONTH), o.minimumTermMonths ?? 0, 1);
    plan = months * o.priceMonthly;
  } else {
    const term = (o.minimumTermMonths ?? 0) * HOURS_PER_MONTH;
    plan = hourlyCapped(Math.max(hours, term), o.priceHourly, o.priceMonthly);
  }
  const extras = (o.extras ?? []).reduce((sum, e) => sum + hourlyCapped(hours, e.priceHourly, e.priceMonthly), 0);
  return plan + (o.setupFee ?? 0) + extras;
}

/** The cost over `hours` in USD through the rate table: what ranking compares. */
export function rankingCost(o: Offer, hours: number = HOURS_PER_MONTH): number {
  return convertForRanking(expectedCost(o, hours), o.currency, 'USD');
}

/** The effective hourly price over `hours` (setup and terms spread), in `currency`: what a budget is checked against. */
export function effectiveHourly(o: Offer, hours: number, currency: string): number {
  return convertForRanking(expectedCost(o, hours) / hours, o.currency, currency);
}
