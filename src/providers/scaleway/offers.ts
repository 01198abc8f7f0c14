/**
 * Live offers: Instance commercial types from /products/servers (net EUR prices, GPUs with model,
 * count and memory) in every zone, and Elastic Metal offers with hourly/monthly prices, setup fee
 * and stock in every Elastic Metal zone. Read through the catalog's ten-minute cache.
 */
import type { Offer, OfferService, OperationOptions } from '../../core/index.js';
import { BAREMETAL_ZONES, INSTANCE_ZONES, type ScalewayCatalog } from './catalog.js';
import { baremetalOffer, typeOffer } from './mapping.js';

export function offerService(catalog: ScalewayCatalog): OfferService {
  return {
    async list(o?: OperationOptions): Promise<Offer[]> {
      const fetchedAt = new Date().toISOString();
      const instance = await Promise.all(
        INSTANCE_ZONES.map(async (zone) => Object.entries(await catalog.types.get(zone, o)).map(([name, t]) => typeOffer(name, t, zone, fetchedAt))),
      );
      const metal = await Promise.all(BAREMETAL_ZONES.map(async (zone) => (await catalog.offers.get(zone, o)).map((x) => baremetalOffer(x, zone, fetchedAt))));
      return [...instance.flat(), ...metal.flat()].filter((x): x is Offer => x !== null);
    },
  };
}
