/**
 * The Vultr driver: cloud instances and bare metal under one name. Follows https://www.vultr.com/api/
 * as described by vultr-api-v2.openapi.json (2023) plus the newer fields named in schema.ts.
 * ferry's labels are Vultr tags "key=value" (tags.ts); listings and the create lookup filter
 * /instances server-side with ?tag=, and bare metal client-side (its list takes no tag filter).
 * Which API owns an id is found by lookup, instances first (machines.ts).
 */
import {
  BaseProvider,
  capabilitiesOf,
  ferryLabels,
  hasLabels,
  isManaged,
  pollUntil,
  no,
  provide,
  ProviderError,
  resolveTimeouts,
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
import { VultrCatalog, type Placement } from './catalog.js';
import { VultrClient, type MachineApi } from './client.js';
import * as infra from './infrastructure.js';
import { ipxeService } from './ipxe.js';
import { isVultrId, MachineLocator } from './machines.js';
import { isInstallableOs, machineToInstance, metalPlanToSize, osToImage, planToSize, regionToRegion, sshKeyFromWire } from './mapping.js';
import { powerService } from './power.js';
import { snapshotService } from './snapshots.js';
import { resolveSshKeys } from './ssh-keys.js';
import { createIdTag, labelsToTags, MANAGED_TAG } from './tags.js';

/** Default wait for a bare-metal install. */
const BARE_METAL_READY_MS = 4 * 3600_000;
/** Validated creates remembered for their send. */
const MAX_PENDING_PLACEMENTS = 256;
/** Vultr's limit on user data (base64-decoded). */
const USER_DATA_MAX = 64 * 1024;

export const VULTR_SERVICES: ServiceDeclarations<VultrProvider> = {
  snapshots: provide('POST /snapshots of cloud instances (not bare metal), billed per GB-month', (p) => snapshotService(p)),
  sshKeys: provide('raw public keys are registered once and matched by their text', (p) => ({
    list: async (o) => (await p.client.listSshKeys(o)).map(sshKeyFromWire),
  })),
  networks: provide('VPCs, one region each (the vpcRegion option, default ewr), named by their description', (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateNetwork(p.infra, name, o),
    getByName: (name, o) => infra.getNetworkByName(p.infra, name, o),
    delete: async (id, o) => void (isVultrId(id) && (await p.client.deleteVpc(id, o))),
  })),
  firewalls: provide('firewall groups with inbound SSH rules, tcp/22 from 0.0.0.0/0 and ::/0', (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateFirewall(p.infra, name, o),
    getByName: (name, o) => infra.getFirewallByName(p.infra, name, o),
    delete: async (id, o) => void (isVultrId(id) && (await p.client.deleteFirewallGroup(id, o))),
  })),
  volumes: provide('block storage, 10 to 40000 GB, attached live to cloud instances', (p) => ({
    create: (req, o) => infra.createVolume(p.infra, req, o),
    get: (id, o) => infra.getVolume(p.infra, id, o),
    getByName: (name, o) => infra.getVolumeByName(p.infra, name, o),
    attach: (volumeId, instanceId, o) => infra.attachVolume(p.infra, volumeId, instanceId, o),
    detach: (volumeId, o) => infra.detachVolume(p.infra, volumeId, o),
    delete: (id, o) => infra.deleteVolume(p.infra, id, o),
  })),
  power: provide('halt, start and reboot of instances and bare metal; a halted server is still billed until destroyed', (p) => powerService(p)),
  validation: provide('plans, bare-metal plans, regions and stock per region from the public catalog; credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.checkSize(size, o)),
    region: async (region, o) => void (await p.catalog.checkRegion(region, o)),
    credentials: async (o) => void (await p.client.http.get('/instances', { query: { per_page: 1 }, signal: o?.signal })),
  })),
  offers: provide(
    'USD prices (before tax) per plan and region from /plans (GPU model and memory included) and /plans-metal, billed hourly up to a monthly cap; only plans in stock (GET /regions/{id}/availability)',
    (p) => ({ list: (o) => p.catalog.offers(o) }),
  ),
  reinstallIpxe: provide('instances and bare metal: update with os_id 159 and ipxe_chain_url, which reinstalls and chain-loads the script; the disk is wiped', (p) => ipxeService(p)),
  batchCreate: no('the API creates one instance per request'),
  batchDestroy: no('the API deletes one instance per request'),
};

export class VultrProvider extends BaseProvider<VultrProvider> {
  readonly client: VultrClient;
  readonly catalog: VultrCatalog;
  readonly machines: MachineLocator;
  readonly infra: infra.InfraContext;
  /** The API and install of each validated request, by create id, for the send that follows. */
  private readonly placements = new Map<string, Placement>();
  /** Bare metal installs for tens of minutes: hours unless instanceReadyMs is set explicitly. */
  readonly bareMetalReadyMs: number;

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'vultr', services: VULTR_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new VultrClient(config, timeouts);
    this.catalog = new VultrCatalog(this.client);
    this.machines = new MachineLocator(this.client);
    this.infra = { client: this.client, timeouts, vpcRegion: config.options?.vpcRegion ?? infra.DEFAULT_VPC_REGION };
    this.bareMetalReadyMs = config.timeouts?.instanceReadyMs ?? BARE_METAL_READY_MS;
  }

  /** Cloud instances wait as every driver does; bare metal waits longer, naming its install stage. */
  override async waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    const found = await this.machines.find(id, o);
    if (found?.api !== 'bare-metals') return super.waitReady(id, o);
    return pollUntil({
      provider: this.name,
      operation: `waiting for bare metal ${id} to be installed`,
      timeoutMs: this.bareMetalReadyMs,
      intervalMs: this.timeouts.pollIntervalMs,
      signal: o?.signal,
      check: async () => {
        const m = await this.client.getMachine('bare-metals', id, o);
        if (!m) throw new ProviderError({ kind: 'not_found', provider: this.name, subject: id, message: `bare metal ${id} disappeared while waiting for it` });
        const inst = machineToInstance(m);
        if (inst.status.state === 'active' && (inst.ipv4 || inst.ipv6)) return inst;
        o?.onProgress?.({ phase: 'install', message: `${inst.name}: ${inst.status.raw}${inst.ipv4 ? '' : ', no address yet'}` });
        return undefined;
      },
    });
  }

  // instances and bare metal

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    if (req.userData && Buffer.byteLength(req.userData) > USER_DATA_MAX) {
      throw new UserError('user data is larger than 64 KiB', 'Vultr accepts at most 64 KiB of user data');
    }
    this.placements.set(req.createId, await this.catalog.checkPlacement(req.size, req.region, req.image, o));
    // A validated request whose create is never sent (found by its create id, or abandoned) leaves
    // an entry behind: the oldest go once there are more than anyone sends at once.
    while (this.placements.size > MAX_PENDING_PLACEMENTS) this.placements.delete(this.placements.keys().next().value!);
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    const placement = this.placements.get(req.createId) ?? (await this.catalog.checkPlacement(req.size, req.region, req.image, o));
    const keys = await resolveSshKeys(this.client, req.sshKeys ?? [], o);
    const m = await this.client.createMachine(
      placement.api,
      {
        region: req.region,
        plan: req.size,
        ...placement.install,
        label: req.name,
        hostname: req.name,
        tags: labelsToTags(ferryLabels(req)),
        enable_ipv6: true,
        ...(req.userData ? { user_data: Buffer.from(req.userData).toString('base64') } : {}),
        ...(keys.length ? { sshkey_id: keys } : {}),
      },
      o,
    );
    this.placements.delete(req.createId);
    this.machines.remember(m.id, placement.api);
    return machineToInstance(m);
  }

  /** The create id's tag, filtered server-side on instances; bare metal is read whole. */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await this.listAcross({ tag: createIdTag(createId), labels: {} }, o);
    return found.find(isManagedInstance) ?? null;
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await this.machines.find(id, o);
    return found ? machineToInstance(found.machine) : null;
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const labels = o?.labels ?? {};
    const found = await this.listAcross({ tag: o?.all ? undefined : MANAGED_TAG, labels }, o);
    return o?.all ? found : found.filter(isManagedInstance);
  }

  /** Instances (tag filtered server-side) and bare metal (filtered here), each with every page. */
  private async listAcross(f: { tag: string | undefined; labels: Record<string, string> }, o?: OperationOptions): Promise<Instance[]> {
    const read = async (api: MachineApi) => {
      const list = await this.client.listMachines(api, api === 'instances' && f.tag ? { tag: f.tag } : {}, o);
      for (const m of list) this.machines.remember(m.id, api);
      return list.map(machineToInstance).filter((i) => !f.tag || hasTag(i, f.tag));
    };
    const [cloud, metal] = await Promise.all([read('instances'), read('bare-metals')]);
    return [...cloud, ...metal].filter((i) => hasLabels(i.labels, f.labels));
  }

  /** Vultr deletes instances and bare metal at once; a server already gone is success. */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    const found = await this.machines.find(id, o);
    if (found) await this.client.deleteMachine(found.api, id, o);
  }

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.catalog.regions.get(o)).map(regionToRegion);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const [plans, metal] = await Promise.all([this.catalog.plans.get(o), this.catalog.metalPlans.get(o)]);
    return [...plans.map(planToSize), ...metal.map(metalPlanToSize)];
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    return (await this.catalog.os.get(o)).filter(isInstallableOs).map(osToImage);
  }
}

const isManagedInstance = (i: Instance) => isManaged(i.labels);
const hasTag = (i: Instance, tag: string) => {
  const at = tag.indexOf('=');
  return i.labels[tag.slice(0, at)] === tag.slice(at + 1);
};

export function createProvider(config: ProviderConfig): VultrProvider {
  return new VultrProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(VULTR_SERVICES);
