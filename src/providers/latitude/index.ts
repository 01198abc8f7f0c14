/**
 * The Latitude.sh bare-metal driver. Follows https://docs.latitude.sh/reference as generated into
 * the official Go SDK (github.com/latitudesh/latitudesh-go-sdk) and used by the Terraform provider
 * (github.com/latitudesh/terraform-provider-latitudesh). Servers live in a project; labels are
 * team-wide tags attached after the create (the create takes none), so listings filter server-side
 * on the managed-by tag. A deploy is waited for through its stages, hours if need be.
 */
import {
  bareMetalTimeouts,
  BaseProvider,
  capabilitiesOf,
  CREATE_ID_KEY,
  ferryLabels,
  formatImageSpec,
  hasLabels,
  listChoices,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  no,
  provide,
  ProviderError,
  UserError,
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type ServiceDeclarations,
  type Size,
} from '../../core/index.js';
import { findOrCreateFirewall, findOrCreateNetwork, getFirewallByName, getNetworkByName, resolveProject, resolveSshKeys, tagIds, type NetworkContext } from './account.js';
import { destroyServer, ipxeService, waitThroughStages, type BareMetalContext } from './bare-metal.js';
import { LatitudeClient } from './client.js';
import { osSlug, osToImage, planInStockAt, planOffers, planSites, planToSize, regionToRegion, serverToInstance, sshKeyFromWire } from './mapping.js';
import { powerService } from './power.js';
import { labelsToTagNames, labelToTagName } from './tags.js';

const isServerId = (id: string) => /^sv_[A-Za-z0-9]{4,40}$/.test(id);
const USER_DATA_MAX = 64 * 1024;

export const LATITUDE_SERVICES: ServiceDeclarations<LatitudeProvider> = {
  snapshots: no('Latitude.sh bare-metal servers have no disk snapshots; reinstall from an OS image or over iPXE'),
  sshKeys: provide('team SSH keys; raw public keys are registered once and found by their text after', (p) => ({
    list: async (o) => (await p.client.listSshKeys(o)).map(sshKeyFromWire),
  })),
  networks: provide('virtual networks (VLANs) in the project at the site of the networkSite setting, named by their description; free', (p) => ({
    findOrCreate: (name, o) => findOrCreateNetwork(p.networks, name, o),
    getByName: (name, o) => getNetworkByName(p.networks, name, o),
    delete: (id, o) => p.client.deleteVirtualNetwork(id, o),
  })),
  firewalls: provide('project firewalls created with an inbound SSH rule (TCP 22 from ANY); free', (p) => ({
    findOrCreate: (name, o) => findOrCreateFirewall(p.networks, name, o),
    getByName: (name, o) => getFirewallByName(p.networks, name, o),
    delete: (id, o) => p.client.deleteFirewall(id, o),
  })),
  volumes: no('Latitude.sh block storage attaches over NVMe-oF from inside the server\'s OS; ferry does not drive it'),
  power: provide('POST /servers/{id}/actions power_on, power_off, reboot; a server that is off is still billed', (p) => powerService(p.bareMetal)),
  validation: provide('plans, regions and operating systems from the API; credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (await p.planOrThrow(size, o)),
    region: async (region, o) => {
      const regions = (await p.client.listRegions(o)).map(regionToRegion).map((r) => r.id);
      if (!regions.includes(region)) throw new UserError(`unknown Latitude.sh site "${region}"`, `valid sites: ${listChoices(regions)}`);
    },
    credentials: async (o) => void (await p.client.http.get('/regions', { query: { 'page[size]': 1 }, signal: o?.signal })),
  })),
  offers: provide('USD per plan and site from GET /plans (hourly, capped at the monthly price; no setup fee), stock per site', (p) => ({
    list: async (o) => (await p.client.listPlans(o)).flatMap((plan) => planOffers(plan, new Date().toISOString())),
  })),
  reinstallIpxe: provide('native: POST /servers/{id}/reinstall with operating_system "ipxe" and the script URL; the disks are wiped', (p) =>
    ipxeService(p.bareMetal),
  ),
  batchCreate: no('POST /servers deploys one server per request'),
  batchDestroy: no('servers are removed one request each'),
};

interface Pending {
  hostname: string;
  sentAt: number;
  tagNames: string[];
}

export class LatitudeProvider extends BaseProvider<LatitudeProvider> {
  readonly client: LatitudeClient;
  readonly bareMetal: BareMetalContext;
  readonly networks: NetworkContext;
  private readonly projectSetting: string | undefined;
  private readonly billing: 'hourly' | 'monthly' | 'yearly';
  private projectId: string | undefined;
  /** Creates sent by this process, by create id: found by hostname if their answer (or the tagging) was lost. */
  private readonly pending = new Map<string, Pending>();

  constructor(config: ProviderConfig) {
    const timeouts = bareMetalTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'latitude', services: LATITUDE_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new LatitudeClient(config, timeouts);
    this.bareMetal = { client: this.client, timeouts, timeScale: config.http?.timeScale ?? 1 };
    this.projectSetting = config.options?.project || undefined;
    const billing = config.options?.billing ?? 'hourly';
    if (billing !== 'hourly' && billing !== 'monthly' && billing !== 'yearly') {
      throw new UserError(`invalid Latitude.sh billing "${billing}"`, 'LATITUDESH_BILLING is hourly, monthly or yearly');
    }
    this.billing = billing;
    this.networks = { client: this.client, project: (o) => this.project(o), site: config.options?.networkSite ?? 'ASH' };
  }

  async project(o?: OperationOptions): Promise<string> {
    this.projectId ??= await resolveProject(this.client, this.projectSetting, o);
    return this.projectId;
  }

  async planOrThrow(size: string, o?: OperationOptions) {
    const plans = await this.client.listPlans(o);
    const plan = plans.find((p) => p.attributes?.slug === size);
    if (!plan) throw new UserError(`unknown Latitude.sh plan "${size}"`, `valid plans: ${listChoices(plans.map((p) => p.attributes?.slug ?? '?'))}`);
    return plan;
  }

  // instances

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    const plan = await this.planOrThrow(req.size, o);
    const sites = planSites(plan);
    if (!sites.includes(req.region)) {
      throw new UserError(`plan ${req.size} is not offered at site "${req.region}"`, `sites of ${req.size}: ${listChoices(sites)}`);
    }
    const slug = osSlug(req.image);
    const systems = (await this.client.listOperatingSystems(o)).map(osToImage);
    if (!slug) throw new UserError('Latitude.sh has no snapshots to boot from', `choose an operating system: ${listChoices(systems.map((s) => s.id))}`);
    if (!systems.some((s) => s.id === slug)) {
      throw new UserError(`unknown Latitude.sh operating system "${formatImageSpec(req.image)}" (${slug})`, `valid operating systems: ${listChoices(systems.map((s) => s.id))}`);
    }
    if (req.userData && Buffer.byteLength(req.userData) > USER_DATA_MAX) throw new UserError('user data is larger than 64 KiB', 'shorten the script');
    await this.project(o);
    await resolveSshKeys(this.client, req.sshKeys ?? [], false, o);
    if (!planInStockAt(plan, req.region)) {
      throw new ProviderError({
        kind: 'capacity',
        provider: this.name,
        subject: `${req.size}@${req.region}`,
        message: `plan ${req.size} is out of stock at ${req.region}; no order was placed`,
      });
    }
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    const project = await this.project(o);
    const keys = await resolveSshKeys(this.client, req.sshKeys ?? [], true, o);
    const tagNames = labelsToTagNames(ferryLabels(req));
    const tags = await tagIds(this.client, tagNames, true, o);
    const userData = req.userData ? await this.client.createUserData(`ferry ${req.name}`, req.userData, project, o) : undefined;
    this.pending.set(req.createId, { hostname: req.name, sentAt: Date.now(), tagNames });
    const created = await this.client.createServer(
      {
        project,
        plan: req.size,
        site: req.region,
        operating_system: osSlug(req.image)!,
        hostname: req.name,
        billing: this.billing,
        ...(keys.length ? { ssh_keys: keys } : {}),
        ...(userData ? { user_data: userData } : {}),
      },
      o,
    );
    const tagged = await this.client.setServerTags(created.id!, req.name, tagNames.map((n) => tags.get(n)!), o);
    this.pending.delete(req.createId);
    return serverToInstance(tagged);
  }

  /**
   * By the create-id tag, server-side. A create this process sent whose answer or tagging was
   * lost is found by its hostname (untagged, created since) and tagged now.
   */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const name = labelToTagName(CREATE_ID_KEY, createId);
    const id = (await tagIds(this.client, [name], false, o)).get(name);
    if (id) {
      const hit = (await this.client.listServers({ tagId: id }, o)).map(serverToInstance).find((i) => i.labels[CREATE_ID_KEY] === createId);
      if (hit) return hit;
    }
    const p = this.pending.get(createId);
    if (!p) return null;
    const orphan = (await this.client.listServers({ hostname: p.hostname }, o))
      .map(serverToInstance)
      .find((i) => i.name === p.hostname && !i.labels[MANAGED_BY_KEY] && Date.parse(i.createdAt) >= p.sentAt - 5 * 60_000);
    if (!orphan) return null;
    const ids = await tagIds(this.client, p.tagNames, true, o);
    const tagged = await this.client.setServerTags(orphan.id, orphan.name, p.tagNames.map((n) => ids.get(n)!), o);
    this.pending.delete(createId);
    return serverToInstance(tagged);
  }

  override waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    return waitThroughStages(this.bareMetal, id, 'deploy', o);
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    if (!isServerId(id)) return null;
    const s = await this.client.getServer(id, o);
    return s ? serverToInstance(s) : null;
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    if (o?.all) return (await this.client.listServers({}, o)).map(serverToInstance).filter((i) => hasLabels(i.labels, o.labels));
    const managed = labelToTagName(MANAGED_BY_KEY, MANAGED_BY_VALUE);
    const tagId = (await tagIds(this.client, [managed], false, o)).get(managed);
    if (!tagId) return []; // no server was ever tagged by ferry
    const wanted = { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...o?.labels };
    return (await this.client.listServers({ tagId }, o)).map(serverToInstance).filter((i) => hasLabels(i.labels, wanted));
  }

  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (!isServerId(id)) return;
    await destroyServer(this.bareMetal, id, o);
  }

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.client.listRegions(o)).map(regionToRegion);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    return (await this.client.listPlans(o)).map(planToSize);
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    return (await this.client.listOperatingSystems(o)).map(osToImage);
  }
}

export function createProvider(config: ProviderConfig): LatitudeProvider {
  return new LatitudeProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(LATITUDE_SERVICES);
