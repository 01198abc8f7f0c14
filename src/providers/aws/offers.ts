/**
 * Live offers: instance types from DescribeInstanceTypes (vCPUs, memory, GPUs, architecture,
 * instance storage) joined with on-demand Linux (shared tenancy, no pre-installed software)
 * hourly prices from the Price List API's GetProducts, per region; cached for an hour.
 */
import { DescribeInstanceTypesCommand, type DescribeInstanceTypesCommandOutput } from '@aws-sdk/client-ec2';
import { GetProductsCommand, type GetProductsCommandOutput } from '@aws-sdk/client-pricing';
import { collectPages, type Offer, type OperationOptions } from '../../core/index.js';
import type { AwsClients } from './client.js';
import { hourlyPrice, typeToOffer } from './mapping.js';
import type { InstanceTypeInfo, PriceListProduct } from './schema.js';

const CACHE_MS = 3600_000;

export const LINUX_ON_DEMAND = {
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  capacitystatus: 'Used',
} as const;

export async function instanceTypes(aws: AwsClients, region: string, o?: OperationOptions): Promise<InstanceTypeInfo[]> {
  return collectPages<InstanceTypeInfo, string | null>(null, async (token) => {
    const r = await aws.ec2Call<DescribeInstanceTypesCommandOutput>(region, new DescribeInstanceTypesCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }), o);
    return { items: r.InstanceTypes ?? [], next: r.NextToken || undefined };
  });
}

/** instance type → USD per hour, on-demand Linux, for one region. */
export async function onDemandPrices(aws: AwsClients, region: string, o?: OperationOptions): Promise<Map<string, number>> {
  const filters = Object.entries({ ...LINUX_ON_DEMAND, regionCode: region }).map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));
  const docs = await collectPages<string, string | null>(null, async (token) => {
    const r = await aws.send<GetProductsCommandOutput>(
      aws.pricing(),
      new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: filters, FormatVersion: 'aws_v1', MaxResults: 100, ...(token ? { NextToken: token } : {}) }),
      o,
    );
    return { items: (r.PriceList ?? []).map(String), next: r.NextToken || undefined };
  });
  const prices = new Map<string, number>();
  for (const text of docs) {
    let doc: PriceListProduct;
    try {
      doc = JSON.parse(text) as PriceListProduct;
    } catch {
      continue; // one unreadable entry does not hide the others
    }
    const type = doc.product?.attributes?.instanceType;
    const usd = hourlyPrice(doc);
    if (type && usd !== undefined) prices.set(type, usd);
  }
  return prices;
}

export class OfferCache {
  private readonly byRegion = new Map<string, { at: number; offers: Promise<Offer[]> }>();

  constructor(private readonly aws: AwsClients) {}

  async list(regions: readonly string[], o?: OperationOptions): Promise<Offer[]> {
    const out: Offer[] = [];
    for (const region of regions) out.push(...(await this.region(region, o)));
    return out;
  }

  private region(region: string, o?: OperationOptions): Promise<Offer[]> {
    const hit = this.byRegion.get(region);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.offers;
    const offers = (async () => {
      const [types, prices] = await Promise.all([instanceTypes(this.aws, region, o), onDemandPrices(this.aws, region, o)]);
      const fetchedAt = new Date().toISOString();
      return types.flatMap((t) => {
        const usd = t.InstanceType ? prices.get(t.InstanceType) : undefined;
        const offer = usd === undefined ? undefined : typeToOffer(t, region, usd, fetchedAt);
        return offer ? [offer] : [];
      });
    })();
    this.byRegion.set(region, { at: Date.now(), offers });
    offers.catch(() => this.byRegion.delete(region));
    return offers;
  }
}
