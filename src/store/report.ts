/**
 * Inventory statistics and cost breakdowns for `ferry inventory` and `ferry costs`. Costs use
 * the price recorded at launch (never today's catalog): hours alive × hourly price, capped at
 * the monthly price within each calendar month (UTC), as providers bill. Amounts in different
 * currencies are never added together.
 */
import { byCodeUnits } from '../core/kit/order.js';
import type { InventoryRecord } from './inventory.js';

const HOUR_MS = 3_600_000;
const ALL_TIME = { since: -Infinity, until: Infinity };

export interface Window {
  since?: Date | string;
  until?: Date | string;
}

/** One instance's alive time inside the window, split by calendar month: [month "YYYY-MM", hours]. */
export function monthlyHours(row: Pick<InventoryRecord, 'createdAt' | 'deletedAt'>, now: Date, w: Window = {}): [string, number][] {
  const out: [string, number][] = [];
  eachMonth(row, now.getTime(), windowBounds(w), (month, hours) => out.push([month, hours]));
  return out;
}

function windowBounds(w: Window): { since: number; until: number } {
  return { since: w.since === undefined ? -Infinity : new Date(w.since).getTime(), until: w.until === undefined ? Infinity : new Date(w.until).getTime() };
}

/** Calls `fn` per calendar month (UTC) of the row's alive time inside the bounds; no allocation per month but the key. */
function eachMonth(row: Pick<InventoryRecord, 'createdAt' | 'deletedAt'>, now: number, b: { since: number; until: number }, fn: (month: string, hours: number) => void): void {
  const until = Math.min(b.until, now);
  let start = Math.max(Date.parse(row.createdAt), b.since);
  const end = Math.min(row.deletedAt ? Date.parse(row.deletedAt) : until, until);
  if (!(start < end)) return;
  const first = new Date(start);
  let year = first.getUTCFullYear();
  let month = first.getUTCMonth();
  while (start < end) {
    const next = Date.UTC(year, month + 1, 1);
    const stop = Math.min(next, end);
    fn(`${year}-${month < 9 ? '0' : ''}${month + 1}`, (stop - start) / HOUR_MS);
    start = stop;
    if (++month === 12) {
      month = 0;
      year++;
    }
  }
}

/** What a month segment cost at the launch price; null when the price is unknown. */
function segmentCost(row: Pick<InventoryRecord, 'priceHourly' | 'priceMonthly'>, hours: number): number | null {
  if (row.priceHourly === null) return row.priceMonthly === null ? null : Math.min(row.priceMonthly, (hours / 730) * row.priceMonthly);
  const raw = hours * row.priceHourly;
  return row.priceMonthly === null ? raw : Math.min(raw, row.priceMonthly);
}

export type CostDimension = 'provider' | 'month' | 'region' | { label: string };

export interface CostGroup {
  key: string;
  currency: string;
  cost: number;
  hours: number;
  instances: number;
}

export interface CostBreakdown {
  by: string;
  since: string | null;
  until: string;
  groups: CostGroup[];
  /** Instances with hours in the window but no launch price. */
  unpriced: number;
}

export function dimensionName(by: CostDimension): string {
  return typeof by === 'string' ? by : `label:${by.label}`;
}

export function costsBy(rows: readonly InventoryRecord[], now: Date, by: CostDimension, w: Window = {}): CostBreakdown {
  const groups = new Map<string, CostGroup & { ids: Set<string> }>();
  let unpriced = 0;
  const bounds = windowBounds(w);
  const at = now.getTime();
  for (const row of rows) {
    const priced = row.priceHourly !== null || row.priceMonthly !== null;
    let seen = false;
    eachMonth(row, at, bounds, (month, hours) => {
      seen = true;
      if (!priced) return;
      const key = by === 'provider' ? row.provider : by === 'month' ? month : by === 'region' ? `${row.provider}/${row.region}` : (row.labels[by.label] ?? '(none)');
      const currency = row.currency ?? 'unknown';
      const id = `${key}\u0000${currency}`;
      const g = groups.get(id) ?? { key, currency, cost: 0, hours: 0, instances: 0, ids: new Set<string>() };
      g.cost += segmentCost(row, hours) ?? 0;
      g.hours += hours;
      g.ids.add(`${row.provider}/${row.instanceId}`);
      groups.set(id, g);
    });
    if (seen && !priced) unpriced++;
  }
  const until = Math.min(w.until === undefined ? now.getTime() : new Date(w.until).getTime(), now.getTime());
  return {
    by: dimensionName(by),
    since: w.since === undefined ? null : new Date(w.since).toISOString(),
    until: new Date(until).toISOString(),
    groups: [...groups.values()]
      .map(({ ids, ...g }) => ({ ...g, instances: ids.size }))
      .sort((a, b) => byCodeUnits(a.key, b.key) || byCodeUnits(a.currency, b.currency)),
    unpriced,
  };
}

export interface Count {
  key: string;
  count: number;
}

export interface InventoryStats {
  total: number;
  live: number;
  destroyed: number;
  byProvider: Count[];
  byRegion: Count[];
  byStatus: Count[];
  /** Server-hours of every instance ever recorded, to now. */
  hours: number;
  /** Spend to date per currency, at the launch prices. */
  spend: { currency: string; amount: number }[];
  unpriced: number;
  /** The longest-running live instance. */
  oldest: { provider: string; name: string; instanceId: string; createdAt: string } | null;
  /** Label keys with their values and how many live instances carry each (ferry's own keys left out). */
  labels: { key: string; values: Count[] }[];
}

const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
const sorted = (m: Map<string, number>): Count[] => [...m].map(([key, n]) => ({ key, count: n })).sort((a, b) => b.count - a.count || byCodeUnits(a.key, b.key));

export function inventoryStats(rows: readonly InventoryRecord[], now: Date, hiddenLabels: readonly string[] = []): InventoryStats {
  const byProvider = new Map<string, number>();
  const byRegion = new Map<string, number>();
  const byStatus = new Map<string, number>();
  const labels = new Map<string, Map<string, number>>();
  const spend = new Map<string, number>();
  let hours = 0;
  let live = 0;
  let unpriced = 0;
  let oldest: InventoryRecord | null = null;
  const at = now.getTime();
  for (const r of rows) {
    const alive = r.deletedAt === null;
    count(byStatus, alive ? (r.lastSeenStatus ?? 'unknown') : 'destroyed');
    if (alive) {
      live++;
      count(byProvider, r.provider);
      count(byRegion, `${r.provider}/${r.region}`);
      if (!oldest || r.createdAt < oldest.createdAt) oldest = r;
      for (const [k, v] of Object.entries(r.labels)) {
        if (hiddenLabels.includes(k)) continue;
        const values = labels.get(k) ?? new Map<string, number>();
        count(values, v);
        labels.set(k, values);
      }
    }
    const priced = r.priceHourly !== null || r.priceMonthly !== null;
    const currency = r.currency ?? 'unknown';
    let rowHours = 0;
    let rowCost = 0;
    eachMonth(r, at, ALL_TIME, (_, h) => {
      rowHours += h;
      if (priced) rowCost += segmentCost(r, h) ?? 0;
    });
    hours += rowHours;
    if (!priced) {
      if (rowHours > 0) unpriced++;
      continue;
    }
    spend.set(currency, (spend.get(currency) ?? 0) + rowCost);
  }
  return {
    total: rows.length,
    live,
    destroyed: rows.length - live,
    byProvider: sorted(byProvider),
    byRegion: sorted(byRegion),
    byStatus: sorted(byStatus),
    hours,
    spend: [...spend].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => byCodeUnits(a.currency, b.currency)),
    unpriced,
    oldest: oldest ? { provider: oldest.provider, name: oldest.name, instanceId: oldest.instanceId, createdAt: oldest.createdAt } : null,
    labels: [...labels].map(([key, values]) => ({ key, values: sorted(values) })).sort((a, b) => byCodeUnits(a.key, b.key)),
  };
}
