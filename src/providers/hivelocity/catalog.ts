/**
 * The store (instant and GPU listings, stock per facility), facilities and OS options, read once
 * and kept briefly: preflight checks an order against them (UserError naming valid choices, a
 * capacity error for an empty shelf) before anything is sent.
 */
import { formatImageSpec, listChoices, TtlCache, ProviderError, UserError, type ImageSpec, type OperationOptions } from '../../core/index.js';
import type { HivelocityClient, StoreListing } from './client.js';
import { isIpxeOption, osMatches, stockCount } from './mapping.js';
import type { HvLocation, HvOption, HvStock } from './schema.js';

/** Stock moves: kept a short while only, so an order is checked against the shelf as it is. */
const TTL_MS = 2 * 60_000;
export const LISTINGS: readonly StoreListing[] = ['MAIN', 'GPU'];

/** A list read at most once per TTL; a failed read is not kept (the next caller asks again). */
type Cached<T> = TtlCache<T, [OperationOptions?]>;

export interface StockRow extends HvStock {
  listing: StoreListing;
}

export class HivelocityCatalog {
  readonly stock: Cached<StockRow[]>;
  readonly locations: Cached<HvLocation[]>;
  private readonly osByProduct = new Map<number, Cached<HvOption[]>>();

  constructor(private readonly client: HivelocityClient) {
    this.stock = new TtlCache(async (o?: OperationOptions) => {
      const rows: StockRow[] = [];
      for (const listing of LISTINGS) {
        const inv = await client.inventory(listing, o);
        for (const [facility, list] of Object.entries(inv)) {
          for (const s of list ?? []) rows.push({ ...s, data_center: s.data_center ?? facility, listing });
        }
      }
      return rows;
    }, TTL_MS);
    this.locations = new TtlCache((o?: OperationOptions) => client.locations(o), TTL_MS);
  }

  operatingSystems(productId: number, o?: OperationOptions): Promise<HvOption[]> {
    let c = this.osByProduct.get(productId);
    if (!c) this.osByProduct.set(productId, (c = new TtlCache((oo?: OperationOptions) => this.client.operatingSystems(productId, oo), TTL_MS)));
    return c.get(o);
  }

  async productIds(o?: OperationOptions): Promise<number[]> {
    return [...new Set((await this.stock.get(o)).map((s) => s.product_id).filter((n): n is number => typeof n === 'number'))].sort((a, b) => a - b);
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<HvLocation> {
    const all = await this.locations.get(o);
    const found = all.find((l) => l.code === region);
    if (!found) throw new UserError(`unknown hivelocity region "${region}"`, `valid facilities: ${listChoices(all.map((l) => l.code ?? '').filter(Boolean))}`);
    return found;
  }

  async checkSize(size: string, o?: OperationOptions): Promise<StockRow[]> {
    const rows = await this.stock.get(o);
    const found = rows.filter((s) => String(s.product_id) === size.trim());
    if (found.length === 0) {
      const described = new Map<number, string>();
      for (const s of rows) if (typeof s.product_id === 'number') described.set(s.product_id, `${s.product_id} (${s.product_name ?? '?'})`);
      throw new UserError(`unknown hivelocity size "${size}"`, `sizes are product ids: ${listChoices([...described.values()], 30)}`);
    }
    return found;
  }

  /** The product must be sold in the facility, and in stock there, or Hivelocity would refuse the order. */
  async checkPlacement(size: string, region: string, o?: OperationOptions): Promise<StockRow> {
    const [rows] = await Promise.all([this.checkSize(size, o), this.checkRegion(region, o)]);
    const here = rows.find((s) => s.data_center === region);
    const inStock = rows.filter((s) => stockCount(s.stock) !== 0).map((s) => s.data_center ?? '');
    if (!here) throw new UserError(`hivelocity product ${size} is not sold in ${region}`, `sold in: ${listChoices(rows.map((s) => s.data_center ?? ''))}`);
    if (stockCount(here.stock) === 0) {
      throw new ProviderError({
        kind: 'capacity',
        provider: 'hivelocity',
        subject: `${size}@${region}`,
        message: `hivelocity product ${size} is out of stock in ${region}${inStock.length ? `; in stock in ${inStock.join(', ')}` : ''}`,
      });
    }
    return here;
  }

  /** The OS option's name for the order (`osName`), or a UserError naming the product's options. */
  async checkImage(spec: ImageSpec, productId: number, o?: OperationOptions): Promise<string> {
    const options = (await this.operatingSystems(productId, o)).filter((x) => x.name && !isIpxeOption(x));
    const found = options.find((x) => osMatches(spec, x.name!));
    if (!found) {
      throw new UserError(
        `unknown hivelocity image "${formatImageSpec(spec)}" for product ${productId}`,
        `operating systems: ${listChoices(options.map((x) => x.name!), 30)} (a custom iPXE boot is \`ferry reinstall --ipxe <url>\`)`,
      );
    }
    return found.name!;
  }

  /** The product's custom-iPXE OS option, if it has one. */
  async ipxeOption(productId: number, o?: OperationOptions): Promise<HvOption | undefined> {
    return (await this.operatingSystems(productId, o)).find(isIpxeOption);
  }
}
