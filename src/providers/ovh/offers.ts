/**
 * Offers from the public catalog: one per plan and datacenter, the month-to-month price (commitment
 * 1, the pricing ferry orders; the catalog's 12- and 24-month commitments are cheaper per month), the setup fee, in the
 * subsidiary's currency without VAT. The catalog states no lead time: OVH delivers stocked servers
 * in about two hours, which ferry counts as the lead time.
 */
import type { Offer, OfferService } from '../../core/index.js';
import { OvhCatalogReader } from './catalog.js';
import { HOURS_PER_MONTH, planHardware, planPrices, PROVIDER } from './mapping.js';

export const LEAD_TIME_HOURS = 2;

export function offersService(catalog: OvhCatalogReader): OfferService {
  return {
    async list() {
      const fetchedAt = new Date().toISOString();
      const currency = await catalog.currency();
      const out: Offer[] = [];
      for (const p of await catalog.plans()) {
        const hw = planHardware(p);
        const prices = planPrices(p);
        const monthly = prices.find((x) => x.commitmentMonths === 1);
        if (!hw || !monthly) continue;
        for (const region of OvhCatalogReader.values(p, 'dedicated_datacenter')) {
          out.push({
            provider: PROVIDER,
            plan: p.planCode!,
            region,
            vcpus: hw.vcpus,
            memoryGb: hw.memoryGb,
            diskGb: hw.diskGb,
            gpu: hw.gpu,
            gpuCount: hw.gpuCount,
            gpuMemoryGb: hw.gpuMemoryGb,
            priceHourly: monthly.monthly / HOURS_PER_MONTH,
            priceMonthly: monthly.monthly,
            currency,
            bareMetal: true,
            leadTimeHours: LEAD_TIME_HOURS,
            source: 'live',
            fetchedAt,
            pricesIncludeVat: false,
            setupFee: monthly.setupFee,
            billing: 'monthly',
            minimumTermMonths: 1,
          });
        }
      }
      return out;
    },
  };
}
