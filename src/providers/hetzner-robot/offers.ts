/**
 * Offers from Robot's two shelves: one per standard product and location (net monthly price and
 * setup fee in EUR, as /order/server/product states them), and one per server-market server at
 * its datacenter's location (usually no setup fee, in stock: one). Robot bills dedicated servers
 * monthly; the hourly figure is the month over 730 hours, for ranking only. Lead times are ferry's
 * estimates (Robot states none): hours for the standard shelf, one for the market.
 */
import type { Offer, OfferService } from '../../core/index.js';
import { locationOf, type RobotCatalog } from './catalog.js';
import { PROVIDER } from './client.js';
import { net, productToSize } from './mapping.js';
import type { RobotProduct } from './schema.js';

export const LEAD_TIME_HOURS = { standard: 4, market: 1 } as const;
const HOURS_PER_MONTH = 730;

const GPU = /(NVIDIA [^\n,]+?)(?:\s+(\d+)\s*GB)?$/im;

function base(p: RobotProduct, fetchedAt: string) {
  const size = productToSize(p);
  if (!size) return null;
  const gpu = GPU.exec((p.description ?? []).join('\n'));
  return {
    provider: PROVIDER,
    plan: size.id,
    vcpus: size.vcpus,
    memoryGb: size.memoryGb,
    diskGb: size.diskGb,
    gpu: gpu ? gpu[1]!.trim() : null,
    gpuCount: gpu ? 1 : 0,
    ...(gpu?.[2] ? { gpuMemoryGb: Number(gpu[2]) } : {}),
    currency: 'EUR',
    bareMetal: true,
    source: 'live' as const,
    fetchedAt,
    arch: 'x86' as const,
    pricesIncludeVat: false,
    billing: 'monthly' as const,
    minimumTermMonths: 1,
  };
}

export function standardOffers(p: RobotProduct, fetchedAt: string): Offer[] {
  const b = base(p, fetchedAt);
  if (!b) return [];
  return (p.prices ?? []).flatMap((x) => {
    const monthly = net(x.price?.net);
    if (!x.location || monthly === null) return [];
    return [{ ...b, region: x.location, priceMonthly: monthly, priceHourly: monthly / HOURS_PER_MONTH, setupFee: net(x.price_setup?.net) ?? 0, leadTimeHours: LEAD_TIME_HOURS.standard }];
  });
}

type MarketProduct = RobotProduct & { datacenter?: string | null; price?: unknown; price_setup?: unknown; memory_size?: unknown; hdd_size?: unknown; hdd_count?: unknown };

/** The market states memory and disks in fields (its description lines vary), so those win. */
export function marketOffer(p: MarketProduct, fetchedAt: string): Offer[] {
  const parsed = base(p, fetchedAt);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const hdd = num(p.hdd_size);
  const b = parsed && {
    ...parsed,
    memoryGb: num(p.memory_size) ?? parsed.memoryGb,
    diskGb: hdd !== null ? hdd * (num(p.hdd_count) ?? 1) : parsed.diskGb,
  };
  const monthly = net(typeof p.price === 'string' ? p.price : null);
  if (!b || monthly === null || !p.datacenter) return [];
  const setup = net(typeof p.price_setup === 'string' ? p.price_setup : null) ?? 0;
  return [{ ...b, region: locationOf(p.datacenter), priceMonthly: monthly, priceHourly: monthly / HOURS_PER_MONTH, setupFee: setup, stock: 1, leadTimeHours: LEAD_TIME_HOURS.market }];
}

export function offersService(catalog: RobotCatalog): OfferService {
  return {
    async list(o) {
      const fetchedAt = new Date().toISOString();
      const [standard, market] = [await catalog.standard(o), await catalog.auctions(o)];
      return [...standard.flatMap((p) => standardOffers(p, fetchedAt)), ...market.flatMap((p) => marketOffer(p, fetchedAt))];
    },
  };
}
