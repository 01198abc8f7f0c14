/**
 * The bundled price snapshot: public list prices shipped with ferry, used when live prices
 * cannot be read. Imported as a JSON module so tsc copies it into dist and no build step is needed.
 */
import type { Offer } from '../core/index.js';
import snapshot from './bundled/offers.json' with { type: 'json' };

interface BundledPrice {
  regions: string[];
  hourly: number;
  monthly: number;
}

interface BundledPlan {
  plan: string;
  vcpus: number;
  memoryGb: number;
  diskGb: number;
  gpu?: string | null;
  gpuCount?: number;
  bareMetal?: boolean;
  leadTimeHours?: number;
  prices: BundledPrice[];
}

export interface BundledProvider {
  currency: string;
  /** Hours at the hourly rate after which the monthly price caps the bill (the provider's billing rule). */
  hoursPerMonth: number;
  /** Where the prices come from. */
  source: string;
  plans: BundledPlan[];
}

export interface BundledSnapshot {
  /** YYYY-MM-DD; also the fetchedAt of every bundled offer. */
  snapshotDate: string;
  note: string;
  providers: Record<string, BundledProvider>;
}

const SNAPSHOT: BundledSnapshot = snapshot;

export function bundledSnapshot(): BundledSnapshot {
  return SNAPSHOT;
}

export function bundledSnapshotDate(): string {
  return SNAPSHOT.snapshotDate;
}

export function bundledProviders(): string[] {
  return Object.keys(SNAPSHOT.providers);
}

/** Every bundled row as a normalised offer (source 'bundled', fetchedAt = the snapshot date). */
export function loadBundledOffers(provider?: string): Offer[] {
  const names = provider === undefined ? bundledProviders() : bundledProviders().filter((n) => n === provider);
  return names.flatMap((name) => offersOf(name, SNAPSHOT.providers[name]!, SNAPSHOT.snapshotDate));
}

function offersOf(provider: string, p: BundledProvider, fetchedAt: string): Offer[] {
  return p.plans.flatMap((plan) =>
    plan.prices.flatMap((price) =>
      price.regions.map(
        (region): Offer => ({
          provider,
          plan: plan.plan,
          region,
          vcpus: plan.vcpus,
          memoryGb: plan.memoryGb,
          diskGb: plan.diskGb,
          gpu: plan.gpu ?? null,
          gpuCount: plan.gpuCount ?? 0,
          priceHourly: price.hourly,
          priceMonthly: price.monthly,
          currency: p.currency,
          bareMetal: plan.bareMetal ?? false,
          leadTimeHours: plan.leadTimeHours ?? 0,
          source: 'bundled',
          fetchedAt,
        }),
      ),
    ),
  );
}
