/**
 * Regions, types and public images, read once and kept a few minutes: preflight checks a create
 * against them (UserError naming the valid choices) before anything is sent.
 */
import { formatImageSpec, listChoices, TtlCache, UserError, type ImageSpec, type OperationOptions } from '../../core/index.js';
import type { LinodeClient } from './client.js';
import { capabilityFor, imageParam } from './mapping.js';
import type { LnImage, LnRegion, LnType } from './schema.js';

const TTL_MS = 10 * 60_000;

/** A list read at most once per TTL; a failed read is not kept (the next caller asks again). */
type Cached<T> = TtlCache<T, [OperationOptions?]>;

export class LinodeCatalog {
  readonly regions: Cached<LnRegion[]>;
  readonly types: Cached<LnType[]>;
  readonly publicImages: Cached<LnImage[]>;

  constructor(private readonly client: LinodeClient) {
    this.regions = new TtlCache((o?: OperationOptions) => client.listRegions(o), TTL_MS);
    this.types = new TtlCache((o?: OperationOptions) => client.listTypes(o), TTL_MS);
    this.publicImages = new TtlCache((o?: OperationOptions) => client.listImages({ is_public: true }, o), TTL_MS);
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<LnRegion> {
    const all = await this.regions.get(o);
    const found = all.find((r) => r.id === region);
    if (!found) throw new UserError(`unknown linode region "${region}"`, `valid regions: ${listChoices(all.map((r) => r.id), 30)}`);
    return found;
  }

  async checkSize(size: string, o?: OperationOptions): Promise<LnType> {
    const all = await this.types.get(o);
    const found = all.find((t) => t.id === size);
    if (!found) throw new UserError(`unknown linode size "${size}"`, `valid sizes: ${listChoices(all.map((t) => t.id), 40)}`);
    return found;
  }

  /** The region must sell the type's kind (GPU types only where "GPU Linodes" is a capability). */
  async checkPlacement(size: string, region: string, o?: OperationOptions): Promise<LnType> {
    const [type, where] = await Promise.all([this.checkSize(size, o), this.checkRegion(region, o)]);
    const need = capabilityFor(type);
    if (!(where.capabilities ?? []).includes(need)) {
      const offered = (await this.regions.get(o)).filter((r) => (r.capabilities ?? []).includes(need)).map((r) => r.id);
      throw new UserError(`linode size "${size}" is not offered in ${region} (no "${need}" there)`, `offered in: ${listChoices(offered, 30)}`);
    }
    return type;
  }

  /** Distribution images must be public and current; a private image id is read once to confirm it. */
  async checkImage(spec: ImageSpec, o?: OperationOptions): Promise<string> {
    const id = imageParam(spec);
    if (spec.kind === 'snapshot' || (spec.kind === 'custom' && id.startsWith('private/'))) {
      const img = await this.client.getImage(id, o);
      if (!img) throw new UserError(`unknown linode image "${id}"`, 'list your images with `ferry snapshots` or pass a public image such as linode/ubuntu24.04');
      if (img.status !== 'available') throw new UserError(`linode image "${id}" is ${img.status}, not available yet`, 'wait until it is available');
      return id;
    }
    const all = (await this.publicImages.get(o)).filter((i) => !i.deprecated);
    if (all.some((i) => i.id === id)) return id;
    throw new UserError(`unknown linode image "${formatImageSpec(spec)}" (${id})`, `valid images: ${listChoices(all.map((i) => i.id), 30)}`);
  }
}
