import { byCodeUnits } from '../core/kit/order.js';
import type { InventoryRecord } from './inventory.js';

/** One instance's estimated spend: hours alive within the window × its hourly price at launch. */
export interface CostLine {
  provider: string;
  instanceId: string;
  name: string;
  active: boolean;
  hours: number;
  priceHourly: number | null;
  currency: string | null;
  /** Null when the launch price is unknown. */
  cost: number | null;
}

export interface CostTotal {
  currency: string;
  cost: number;
  hours: number;
}

export interface CostSummary {
  since: string | null;
  until: string;
  lines: CostLine[];
  /** One total per currency: prices in different currencies are never added together. */
  totals: CostTotal[];
  /** Instances counted in hours but without a known price. */
  unpriced: number;
}

const HOUR_MS = 3_600_000;

/**
 * An estimate, not a bill: providers round to started hours or cap at the monthly price, and
 * ferry records the price at launch, not later changes. Instances outside the window are left out.
 */
export function summariseCosts(
  rows: readonly InventoryRecord[],
  now: Date,
  window: { since?: Date | string; until?: Date | string } = {},
): CostSummary {
  const since = window.since === undefined ? null : new Date(window.since).getTime();
  const until = window.until === undefined ? now.getTime() : Math.min(new Date(window.until).getTime(), now.getTime());
  const lines: CostLine[] = [];
  const totals = new Map<string, CostTotal>();
  let unpriced = 0;
  for (const row of rows) {
    const start = Math.max(Date.parse(row.createdAt), since ?? -Infinity);
    const end = Math.min(row.deletedAt ? Date.parse(row.deletedAt) : until, until);
    if (end < start || (end === start && since !== null)) continue;
    const hours = (end - start) / HOUR_MS;
    const cost = row.priceHourly === null ? null : hours * row.priceHourly;
    lines.push({
      provider: row.provider,
      instanceId: row.instanceId,
      name: row.name,
      active: row.deletedAt === null,
      hours,
      priceHourly: row.priceHourly,
      currency: row.currency,
      cost,
    });
    if (cost === null) {
      unpriced++;
      continue;
    }
    const currency = row.currency ?? 'unknown';
    const total = totals.get(currency) ?? { currency, cost: 0, hours: 0 };
    total.cost += cost;
    total.hours += hours;
    totals.set(currency, total);
  }
  return {
    since: since === null ? null : new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    lines,
    totals: [...totals.values()].sort((a, b) => byCodeUnits(a.currency, b.currency)),
    unpriced,
  };
}
