/**
 * Locations, server types and system images, read once and kept a few minutes: preflight checks
 * a create against them (UserError naming the valid choices) before anything is sent.
 */
import { formatImageSpec, listChoices, TtlCache, UserError, unknownChoice, type ImageSpec, type OperationOptions } from '../../core/index.js';
import type { HetznerClient } from './client.js';
import { imageParam, isDeprecated, orderablePrices, type Availability } from './mapping.js';
import type { HcDatacenter, HcImage, HcLocation, HcServerType } from './schema.js';

const TTL_MS = 10 * 60_000;

export class HetznerCatalog {
  readonly locations: TtlCache<HcLocation[], [OperationOptions?]>;
  readonly serverTypes: TtlCache<HcServerType[], [OperationOptions?]>;
  readonly systemImages: TtlCache<HcImage[], [OperationOptions?]>;
  /** Location → server type ids a datacenter there takes orders for now. */
  readonly availability: TtlCache<Availability, [OperationOptions?]>;

  constructor(private readonly client: HetznerClient) {
    this.locations = new TtlCache((o?: OperationOptions) => client.listLocations(o), TTL_MS);
    this.serverTypes = new TtlCache((o?: OperationOptions) => client.listServerTypes(o), TTL_MS);
    this.systemImages = new TtlCache((o?: OperationOptions) => client.listImages({ type: 'system' }, o), TTL_MS);
    this.availability = new TtlCache(async (o?: OperationOptions) => availabilityFrom(await client.listDatacenters(o)), TTL_MS);
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<HcLocation> {
    const all = await this.locations.get(o);
    const found = all.find((l) => l.name === region);
    if (!found) throw unknownChoice('hetzner', 'region', region, all.map((l) => l.name));
    return found;
  }

  async checkSize(size: string, o?: OperationOptions): Promise<HcServerType> {
    const all = (await this.serverTypes.get(o)).filter((t) => !isDeprecated(t));
    const found = all.find((t) => t.name === size);
    if (!found) throw unknownChoice('hetzner', 'size', size, all.map((t) => t.name), 40);
    return found;
  }

  /** The type must be sold in the location, or Hetzner would refuse the create. */
  async checkPlacement(size: string, region: string, o?: OperationOptions): Promise<HcServerType> {
    const [type, , availability] = await Promise.all([this.checkSize(size, o), this.checkRegion(region, o), this.availability.get(o)]);
    const where = orderablePrices(type, availability).map((p) => p.location);
    if (!where.includes(region)) {
      throw new UserError(`hetzner size "${size}" is not offered in ${region}`, `offered in: ${listChoices(where)}`, { field: 'region', choices: where });
    }
    return type;
  }

  async checkImage(spec: ImageSpec, type: HcServerType, o?: OperationOptions): Promise<void> {
    const wanted = imageParam(spec);
    if (spec.kind === 'snapshot' || (spec.kind === 'custom' && /^\d+$/.test(spec.id))) {
      const img = await this.client.getImage(wanted, o);
      if (!img) throw new UserError(`hetzner image ${formatImageSpec(spec)} does not exist`, 'list snapshots with `ferry snapshot ls --provider hetzner`', { field: 'image' });
      if (img.architecture !== type.architecture) {
        throw new UserError(`image ${formatImageSpec(spec)} is built for ${img.architecture}, size ${type.name} is ${type.architecture}`, undefined, { field: 'image' });
      }
      return;
    }
    const system = await this.systemImages.get(o);
    const names = [...new Set(system.map((i) => i.name).filter((n): n is string => !!n))].sort();
    const sameName = system.filter((i) => i.name === wanted);
    if (sameName.length === 0) {
      if (spec.kind === 'custom') {
        const apps = await this.client.listImages({ name: wanted }, o);
        if (apps.length > 0) return;
      }
      throw new UserError(`unknown hetzner image "${wanted}"`, `valid images: ${listChoices(names, 30)}, or snapshot:<id>`, { field: 'image', choices: names });
    }
    if (!sameName.some((i) => i.architecture === type.architecture)) {
      throw new UserError(`image "${wanted}" has no ${type.architecture} build for size ${type.name}`, undefined, { field: 'image' });
    }
  }
}

/**
 * Only locations whose datacenters report `server_types.available` are constrained; an answer
 * without it (older API, a proxy) leaves the prices to say where a type is sold.
 */
export function availabilityFrom(datacenters: readonly HcDatacenter[]): Availability {
  const out = new Map<string, Set<number>>();
  for (const dc of datacenters) {
    const location = dc?.location?.name;
    const available = dc?.server_types?.available;
    if (typeof location !== 'string' || !Array.isArray(available)) continue;
    const ids = out.get(location) ?? new Set<number>();
    for (const id of available) ids.add(id);
    out.set(location, ids);
  }
  return out;
}
