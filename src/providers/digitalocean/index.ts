/**
 * The DigitalOcean driver: droplets labelled with tags, snapshots through droplet actions,
 * SSH keys, VPCs, cloud firewalls, block storage volumes, sizes with prices, regions and distribution
 * images (API v2, api.digitalocean.com).
 */
import {
  BaseProvider,
  CREATE_ID_KEY,
  FLEET_KEY,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  ferryLabels,
  hasLabels,
  isManaged,
  capabilitiesOf,
  no,
  provide,
  resolveTimeouts,
  TtlCache,
  type ServiceDeclarations,
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type Size,
} from '../../core/index.js';
import { DoClient } from './client.js';
import * as firewalls from './firewalls.js';
import * as networks from './networks.js';
import {
  dropletToInstance,
  imageFromDo,
  imageSlugOf,
  isFerrySnapshot,
  offersFromSizes,
  PROVIDER,
  regionFromDo,
  sizeFromDo,
  snapshotFromDo,
  sshKeyFromDo,
} from './mapping.js';
import { checkCreate, checkRegion, checkSize, type Catalog } from './preflight.js';
import type { DoDroplet } from './schema.js';
import { planKeys, registerKeys, type KeyPlan } from './ssh-keys.js';
import { takeSnapshot } from './snapshots.js';
import { batchTagOf, labelToTag, labelsToTags } from './tags.js';
import * as volumes from './volumes.js';
import { powerService } from './power.js';
import { batchService, MAX_NAMES, tagDestroyService } from './batch.js';

const CATALOG_TTL_MS = 60_000;

export const DIGITALOCEAN_SERVICES: ServiceDeclarations<DigitalOceanProvider> = {
  snapshots: provide('droplet snapshot action; ferry marks its snapshots with the name prefix "ferry:"', (p) => ({
    create: (instanceId, name, o) => takeSnapshot(p.client, p.timeouts, instanceId, name, o),
    list: async (o) => (await p.client.listSnapshots(o)).filter((s) => isFerrySnapshot(s.name)).map(snapshotFromDo),
    delete: async (id, o) => void (await p.client.deleteSnapshot(id, o)),
  })),
  sshKeys: provide('public keys given to a create are registered on the account once, matched by fingerprint', (p) => ({
    list: async (o) => (await p.client.listKeys(o)).map(sshKeyFromDo),
  })),
  networks: provide(
    `VPCs; DigitalOcean VPCs are per region and findOrCreateNetwork(name) carries none, so new ones go to the region of the driver option ${networks.VPC_REGION_OPTION} (${networks.VPC_REGION_ENV})`,
    (p) => ({
      findOrCreate: (name, o) => networks.findOrCreateNetwork(p.client, p.vpcRegion, name, o),
      getByName: (name, o) => networks.getNetworkByName(p.client, name, o),
      delete: async (id, o) => void (await p.client.deleteVpc(id, o)),
    }),
  ),
  firewalls: provide('cloud firewall: SSH in from anywhere, all outbound open (none would block it); known by name, not tagged (firewall tags assign droplets)', (p) => ({
    findOrCreate: (name, o) => firewalls.findOrCreateFirewall(p.client, name, o),
    getByName: (name, o) => firewalls.getFirewallByName(p.client, name, o),
    delete: async (id, o) => void (await p.client.deleteFirewall(id, o)),
  })),
  volumes: provide('block storage formatted ext4, tagged with ferry labels; attached at /dev/disk/by-id/scsi-0DO_Volume_<name>', (p) => volumes.volumeService(p)),
  power: provide('droplet actions power_on, power_off, reboot; a powered-off droplet is still billed', (p) => powerService(p)),
  validation: provide('regions and sizes from the API; credentials by GET /v2/account', (p) => ({
    instanceType: async (size, o) => void checkSize({ sizes: await p.client.listSizes(o) }, size),
    region: async (region, o) => void checkRegion({ regions: await p.client.listRegions(o) }, region),
    credentials: async (o) => void (await p.client.getAccount(o)),
  })),
  offers: provide('list prices from /v2/sizes, USD before tax, the same in every available region (/v2/regions)', (p) => ({
    list: async (o) => {
      const [sizes, regions] = await Promise.all([p.client.listSizes(o), p.client.listRegions(o)]);
      return offersFromSizes(sizes, new Date().toISOString(), regions);
    },
  })),
  reinstallIpxe: no('droplets cannot boot a custom iPXE script; use a custom image'),
  batchCreate: provide(`multi-create: up to ${MAX_NAMES} droplets of one spec per POST /v2/droplets (names); each keeps its own create id, the batch tag and its name`, (p) => batchService(p)),
  batchDestroy: provide('DELETE /v2/droplets?tag_name= removes every droplet of a fleet\'s tag in one request', (p) => tagDestroyService(p)),
};

export class DigitalOceanProvider extends BaseProvider<DigitalOceanProvider, KeyPlan> {
  readonly client: DoClient;
  /** Where new VPCs go (driver option, or the credentials field the CLI fills from the environment). */
  readonly vpcRegion: string | undefined;

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    super({ name: PROVIDER, services: DIGITALOCEAN_SERVICES, timeouts });
    this.client = new DoClient(config, timeouts);
    this.vpcRegion = config.options?.[networks.VPC_REGION_OPTION] || config.credentials[networks.VPC_REGION_OPTION] || undefined;
  }

  /** Regions, sizes and images for preflight, read once a minute at most: a fleet of creates shares them. */
  private readonly catalog = new TtlCache(
    (o?: OperationOptions): Promise<Catalog> =>
      Promise.all([this.client.listRegions(o), this.client.listSizes(o), this.client.listDistributionImages(o)]).then(([regions, sizes, images]) => ({ regions, sizes, images })),
    CATALOG_TTL_MS,
  );

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<KeyPlan> {
    await checkCreate(this.client, await this.catalog.get(o), req, o);
    return planKeys(this.client, req.sshKeys ?? [], o);
  }

  /** A batch's preflight: the checks and key plan of its first request, which the whole batch shares. */
  batchPreflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<KeyPlan> {
    return this.preflight(req, o);
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o: OperationOptions | undefined, plan: KeyPlan): Promise<Instance> {
    // registerKeys moves what it registered into plan.ids, so a re-sent create registers nothing twice.
    const sshKeys = await registerKeys(this.client, plan, `ferry-${req.name}`, o);
    // A batch member's create id sent alone (a resumed journal entry) carries its batch tag too, where lookups find it.
    const batchTag = batchTagOf(req.createId);
    const droplet = await this.client.createDroplet(
      {
        name: req.name,
        region: req.region,
        size: req.size,
        image: imageSlugOf(req.image),
        ...(sshKeys.length ? { ssh_keys: sshKeys } : {}),
        ...(req.userData !== undefined ? { user_data: req.userData } : {}),
        ipv6: true,
        tags: [...labelsToTags(ferryLabels(req)), ...(batchTag ? [batchTag] : [])],
      },
      o,
    );
    return dropletToInstance(droplet);
  }

  /** The create id is a tag (a batch member's: its batch tag), so the lookup is one filtered list. */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const [found] = await this.listInstances({ labels: { [CREATE_ID_KEY]: createId }, ...(o?.signal ? { signal: o.signal } : {}) });
    return found ?? null;
  }

  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    await this.client.deleteDroplet(id, o);
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const d = await this.client.getDroplet(id, o);
    return d ? dropletToInstance(d) : null;
  }

  /**
   * ferry's droplets by their managed-by tag, or by the tag of a label asked for (a fleet's, so its
   * readiness rounds list only the fleet); `all` lists regular and GPU droplets (the API splits them,
   * and a tag filter cannot be combined with the GPU type), by the tag when labels are asked for.
   */
  async listInstances(o?: ListOptions): Promise<Instance[]> {
    let droplets: DoDroplet[];
    if (o?.all) {
      const plainQuery = o.labels && Object.keys(o.labels).length ? { tag_name: narrowestTag(o.labels) } : {};
      // The caller's expectation is of the tagged droplets; the GPU list is asked for alone.
      const [plain, gpus] = await Promise.all([this.client.listDroplets(plainQuery, o), this.client.listDroplets({ type: 'gpus' }, { ...o, expected: undefined })]);
      droplets = [...new Map([...plain, ...gpus].map((d) => [d.id, d])).values()];
    } else {
      droplets = await this.client.listDroplets({ tag_name: narrowestTag(o?.labels) }, o);
    }
    return droplets.map(dropletToInstance).filter((i) => (o?.all || isManaged(i.labels)) && hasLabels(i.labels, o?.labels));
  }

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.client.listRegions(o)).map(regionFromDo);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    return (await this.client.listSizes(o)).map(sizeFromDo);
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    return (await this.client.listDistributionImages(o)).map(imageFromDo);
  }
}

/**
 * One tag to filter on server-side: a batch member's create id by its batch tag, a fleet's label if
 * asked for, else any label asked for, else ferry's own.
 */
function narrowestTag(labels: Record<string, string> | undefined): string {
  const batch = labels?.[CREATE_ID_KEY] === undefined ? undefined : batchTagOf(labels[CREATE_ID_KEY]);
  if (batch) return batch;
  const entries = Object.entries(labels ?? {});
  const [k, v] = entries.find(([k]) => k === FLEET_KEY) ?? entries[0] ?? [MANAGED_BY_KEY, MANAGED_BY_VALUE];
  return labelToTag(k, v);
}

export function createProvider(config: ProviderConfig): DigitalOceanProvider {
  return new DigitalOceanProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(DIGITALOCEAN_SERVICES);
