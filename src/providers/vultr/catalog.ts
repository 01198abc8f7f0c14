/**
 * The catalog as the driver reads it: regions, plans, bare-metal plans and operating systems
 * (public endpoints), kept for a few minutes per provider object, and the checks of a create
 * against them — every failure a UserError naming the valid choices, before anything is created.
 */
import { checkIpxeUrl, listChoices, ProviderError, TtlCache, UserError, type ImageSpec, type Offer, type OperationOptions } from '../../core/index.js';
import type { MachineApi, VultrClient } from './client.js';
import { isInstallableOs, metalPlanOffers, planOffers } from './mapping.js';
import type { VuMetalPlan, VuOs, VuPlan, VuRegion } from './schema.js';

const TTL_MS = 5 * 60_000;
const STOCK_TTL_MS = 10_000;
/** Vultr's "Custom" operating system: with ipxe_chain_url it chain-loads an iPXE script. */
export const IPXE_OS_ID = 159;

/** What a create installs: an OS id, a snapshot, or an iPXE chain-load (os_id 159). */
export type InstallChoice = { os_id: number } | { snapshot_id: string } | { os_id: number; ipxe_chain_url: string };

export interface Placement {
  api: MachineApi;
  install: InstallChoice;
}

export class VultrCatalog {
  readonly regions: TtlCache<VuRegion[], [OperationOptions?]>;
  readonly plans: TtlCache<VuPlan[], [OperationOptions?]>;
  readonly metalPlans: TtlCache<VuMetalPlan[], [OperationOptions?]>;
  readonly os: TtlCache<VuOs[], [OperationOptions?]>;
  /** Stock per region, read at most every few seconds: a fleet's creates share one read, a new deploy reads afresh. */
  private readonly stock = new Map<string, TtlCache<string[], [OperationOptions?]>>();

  constructor(private readonly client: VultrClient) {
    this.regions = new TtlCache((o) => client.listRegions(o), TTL_MS);
    this.plans = new TtlCache((o) => client.listPlans(o), TTL_MS);
    this.metalPlans = new TtlCache((o) => client.listMetalPlans(o), TTL_MS);
    this.os = new TtlCache((o) => client.listOs(o), TTL_MS);
  }

  private availablePlans(region: string, o?: OperationOptions): Promise<string[]> {
    let cache = this.stock.get(region);
    if (!cache) this.stock.set(region, (cache = new TtlCache((x) => this.client.availablePlans(region, x), STOCK_TTL_MS)));
    return cache.get(o);
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<VuRegion> {
    const regions = await this.regions.get(o);
    const found = regions.find((r) => r.id === region);
    if (!found) throw new UserError(`unknown vultr region "${region}"`, `valid regions: ${listChoices(regions.map((r) => r.id))}`);
    return found;
  }

  /** The plan among cloud plans, then bare-metal plans: which API creates it. */
  async checkSize(size: string, o?: OperationOptions): Promise<{ api: MachineApi; locations: string[] }> {
    const [plans, metal] = await Promise.all([this.plans.get(o), this.metalPlans.get(o)]);
    const cloud = plans.find((p) => p.id === size);
    if (cloud) return { api: 'instances', locations: cloud.locations ?? [] };
    const bm = metal.find((p) => p.id === size);
    if (bm) return { api: 'bare-metals', locations: bm.locations ?? [] };
    const choices = [...plans.map((p) => p.id), ...metal.map((p) => p.id)];
    throw new UserError(`unknown vultr plan "${size}"`, `valid plans: ${listChoices(choices, 16)}`);
  }

  /**
   * Region, plan, the plan sold in that region, in stock there now (GET /regions/{id}/availability),
   * and the image: all GET requests.
   */
  async checkPlacement(size: string, region: string, image: ImageSpec, o?: OperationOptions): Promise<Placement> {
    await this.checkRegion(region, o);
    const plan = await this.checkSize(size, o);
    if (plan.locations.length && !plan.locations.includes(region)) {
      throw new UserError(`vultr plan "${size}" is not sold in region "${region}"`, `it is sold in: ${listChoices(plan.locations)}`);
    }
    const available = await this.availablePlans(region, o);
    if (!available.includes(size)) {
      throw new ProviderError({ kind: 'capacity', provider: 'vultr', subject: 'out_of_stock', message: `vultr plan ${size} is out of stock in ${region} right now` });
    }
    return { api: plan.api, install: await this.resolveImage(image, o) };
  }

  /** Every plan in every region it is sold in and in stock now: one availability read per region. */
  async offers(o?: OperationOptions): Promise<Offer[]> {
    const at = new Date().toISOString();
    const [plans, metal, regions] = await Promise.all([this.plans.get(o), this.metalPlans.get(o), this.regions.get(o)]);
    const stock = new Map(await Promise.all(regions.map(async (r) => [r.id, new Set(await this.client.availablePlans(r.id, o))] as const)));
    const all = [...plans.flatMap((x) => planOffers(x, at)), ...metal.flatMap((x) => metalPlanOffers(x, at))];
    return all.filter((offer) => stock.get(offer.region)?.has(offer.plan));
  }

  async resolveImage(image: ImageSpec, o?: OperationOptions): Promise<InstallChoice> {
    if (image.kind === 'snapshot') return { snapshot_id: image.id };
    if (image.kind === 'custom' && /^ipxe:/i.test(image.id)) {
      const url = image.id.slice(5);
      checkIpxeUrl(url, "Vultr's iPXE");
      return { os_id: IPXE_OS_ID, ipxe_chain_url: url };
    }
    const all = (await this.os.get(o)).filter(isInstallableOs);
    const x64 = all.filter((os) => !os.arch || os.arch === 'x64');
    let found: VuOs | undefined;
    if (image.kind === 'ubuntu') found = x64.find((os) => os.family === 'ubuntu' && new RegExp(`^Ubuntu ${escape(image.version)}\\b`).test(os.name ?? ''));
    else if (image.kind === 'debian') found = x64.find((os) => os.family === 'debian' && new RegExp(`^Debian ${escape(image.version)}\\b`).test(os.name ?? ''));
    else found = all.find((os) => String(os.id) === image.id || os.name === image.id);
    if (found) return { os_id: found.id };
    const wanted = image.kind === 'custom' ? image.id : `${image.kind}-${image.version}`;
    const choices = x64.map((os) => `${os.id} (${os.name ?? '?'})`);
    throw new UserError(
      `unknown vultr image "${wanted}"`,
      `use ubuntu-<version>, debian-<version>, snapshot:<id>, ipxe:<url> or an os id: ${listChoices([...distroNames(x64), ...choices], 16)}`,
    );
  }
}

function distroNames(list: VuOs[]): string[] {
  return list.flatMap((os) => {
    const m = /^(Ubuntu|Debian) (\d+(?:\.\d+)?)/.exec(os.name ?? '');
    return m ? [`${m[1]!.toLowerCase()}-${m[2]}`] : [];
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

