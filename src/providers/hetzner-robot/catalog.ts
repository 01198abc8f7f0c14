/**
 * Robot's two shelves: the standard products (/order/server/product: id like "EX44", a price per
 * location, monthly with a setup fee, EUR net) and the server market (/order/server_market/product:
 * numeric ids, one fixed datacenter, often no setup fee). Read once per a few minutes.
 */
import { TtlCache } from '../../core/kit/index.js';
import { unknownChoice, type ImageSpec, type OperationOptions } from '../../core/index.js';
import { PROVIDER, type RobotClient } from './client.js';
import type { RobotProduct } from './schema.js';

/** "FSN1-DC14" → "FSN1": the market names a datacenter, the standard shelf a location. */
export const locationOf = (dc: string | null | undefined) => (dc ?? '').split('-')[0]!.toUpperCase();
export const isMarketId = (size: string) => /^\d{1,12}$/.test(size);

/** "Ubuntu 24.04 LTS base" → "ubuntu-24.04"; other names are slugged whole. */
export function imageIdOf(dist: string): string {
  const m = /^([A-Za-z]+)\s+([\d.]+)/.exec(dist.trim());
  return m ? `${m[1]!.toLowerCase()}-${m[2]}` : dist.trim().toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

export function specToImageId(spec: ImageSpec): string {
  return spec.kind === 'custom' || spec.kind === 'snapshot' ? spec.id : `${spec.kind}-${spec.version}`;
}

export interface Placement {
  product: RobotProduct & { datacenter?: string | null };
  market: boolean;
}

export class RobotCatalog {
  private readonly products: TtlCache<RobotProduct[], [OperationOptions | undefined]>;
  private readonly market: TtlCache<(RobotProduct & { datacenter?: string | null })[], [OperationOptions | undefined]>;

  constructor(client: RobotClient) {
    this.products = new TtlCache((o) => client.listProducts(o), 300_000);
    this.market = new TtlCache((o) => client.listMarketProducts(o), 300_000);
  }

  standard(o?: OperationOptions) {
    return this.products.get(o);
  }
  auctions(o?: OperationOptions) {
    return this.market.get(o);
  }

  /** A standard product id ("EX44") or a server-market id (numeric). */
  async product(size: string, o?: OperationOptions): Promise<Placement> {
    const market = isMarketId(size);
    const rows = market ? await this.auctions(o) : await this.standard(o);
    const product = rows.find((p) => String(p.id) === size);
    if (!product) throw unknownChoice(PROVIDER, 'size', size, rows.map((p) => String(p.id)));
    return { product, market };
  }

  async place(size: string, region: string, o?: OperationOptions): Promise<Placement> {
    const { product, market } = await this.product(size, o);
    const where = market ? [locationOf(product.datacenter)] : (product.location ?? []);
    if (!where.includes(region.toUpperCase())) throw unknownChoice(PROVIDER, 'region', region, where);
    return { product, market };
  }

  /** The product's dist name for an image spec ("ubuntu-24.04" → "Ubuntu 24.04 LTS base"). */
  dist(p: RobotProduct, image: ImageSpec): string {
    const want = specToImageId(image);
    const dists = (p.dist ?? []).filter((d) => !/rescue/i.test(d));
    const hit = dists.find((d) => imageIdOf(d) === want || d === want);
    if (!hit) throw unknownChoice(PROVIDER, 'image', want, dists.map((d) => `${imageIdOf(d)} (${d})`));
    return hit;
  }
}
