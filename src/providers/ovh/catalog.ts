/**
 * The public catalog (/order/catalog/public/baremetalServers?ovhSubsidiary=, no authentication),
 * read once a minute: plans, their datacenters and OS templates (the item configurations an order
 * needs), prices with setup fees and commitment terms, and the checks preflight makes with it.
 */
import { TtlCache, unknownChoice, UserError, type ImageSpec, type OperationOptions } from '../../core/index.js';
import type { OvhClient } from './client.js';
import { imageToTemplate, PROVIDER } from './mapping.js';
import type { OvhCatalog, OvhCatalogPlan } from './schema.js';

export class OvhCatalogReader {
  readonly catalog: TtlCache<OvhCatalog>;

  constructor(client: OvhClient, readonly subsidiary: string) {
    this.catalog = new TtlCache(() => client.catalog(subsidiary));
  }

  async plans(o?: OperationOptions): Promise<OvhCatalogPlan[]> {
    void o;
    return ((await this.catalog.get()).plans ?? []).filter((p) => typeof p.planCode === 'string');
  }

  async currency(): Promise<string> {
    return (await this.catalog.get()).locale?.currencyCode ?? 'EUR';
  }

  static values(p: OvhCatalogPlan, name: string): string[] {
    return (p.configurations ?? []).find((c) => c.name === name)?.values ?? [];
  }

  async checkPlan(plan: string, o?: OperationOptions): Promise<OvhCatalogPlan> {
    const plans = await this.plans(o);
    const p = plans.find((x) => x.planCode === plan);
    if (!p) throw unknownChoice(PROVIDER, 'size', plan, plans.map((x) => x.planCode!));
    return p;
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<void> {
    const all = [...new Set((await this.plans(o)).flatMap((p) => OvhCatalogReader.values(p, 'dedicated_datacenter')))];
    if (!all.includes(region)) throw unknownChoice(PROVIDER, 'region', region, all);
  }

  checkPlacement(p: OvhCatalogPlan, region: string): void {
    const dcs = OvhCatalogReader.values(p, 'dedicated_datacenter');
    if (!dcs.includes(region)) throw unknownChoice(PROVIDER, 'region', region, dcs);
  }

  checkImage(p: OvhCatalogPlan, image: ImageSpec): string {
    if (image.kind === 'snapshot') throw new UserError('OVH dedicated servers have no snapshots', 'order an OS template, e.g. ubuntu-24.04 or debian-12');
    const templates = OvhCatalogReader.values(p, 'dedicated_os');
    const want = imageToTemplate(image);
    const found = templates.find((t) => t === want || t.replace(/\.en$/, '') === want);
    if (!found) throw unknownChoice(PROVIDER, 'image', image.kind === 'custom' ? image.id : `${image.kind}-${image.version}`, templates.map((t) => t.replace(/\.en$/, '')));
    return found;
  }

  /** The order's region value for a datacenter: the plan's only one, else Canada for bhs, Europe otherwise. */
  regionValue(p: OvhCatalogPlan, datacenter: string): string {
    const regions = OvhCatalogReader.values(p, 'region');
    if (regions.length <= 1) return regions[0] ?? 'europe';
    if (/^bhs/.test(datacenter) && regions.includes('canada')) return 'canada';
    return regions.includes('europe') ? 'europe' : regions[0]!;
  }
}
