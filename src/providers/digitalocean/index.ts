/**
 * The DigitalOcean driver: droplets labelled with tags, snapshots through droplet actions,
 * SSH keys, VPCs, cloud firewalls, block storage volumes, sizes with prices, regions and distribution
 * images (API v2, api.digitalocean.com).
 */
import {
  BaseProvider,
  CREATE_ID_KEY,
  ferryLabels,
  hasLabels,
  isManaged,
  no,
  resolveTimeouts,
  yes,
  type Capabilities,
  type Firewall,
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type Network,
  type Offer,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type Size,
  type Snapshot,
  type SshKey,
  type Volume,
  type VolumeRequest,
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
import { labelToTag, labelsToTags, MANAGED_TAG } from './tags.js';
import * as volumes from './volumes.js';

const CATALOG_TTL_MS = 60_000;

export const DIGITALOCEAN_CAPABILITIES: Capabilities = {
  instances: yes(),
  snapshots: yes('droplet snapshot action; ferry marks its snapshots with the name prefix "ferry:"'),
  sshKeys: yes('public keys given to a create are registered on the account once, matched by fingerprint'),
  networks: yes(
    `VPCs; DigitalOcean VPCs are per region and findOrCreateNetwork(name) carries none, so new ones go to the region of the driver option ${networks.VPC_REGION_OPTION} (${networks.VPC_REGION_ENV})`,
  ),
  firewalls: yes('cloud firewall: SSH in from anywhere, all outbound open (none would block it); known by name, not tagged (firewall tags assign droplets)'),
  volumes: yes('block storage formatted ext4, tagged with ferry labels; attached at /dev/disk/by-id/scsi-0DO_Volume_<name>'),
  validation: yes(),
  offers: yes('list prices from /v2/sizes, USD, the same in every region'),
  reinstallIpxe: no('droplets cannot netboot a custom iPXE script'),
};

export class DigitalOceanProvider extends BaseProvider {
  readonly client: DoClient;
  /** SSH key plans made by preflight, used by the create(s) of the same request. */
  private readonly keyPlans = new Map<string, KeyPlan>();
  /** Where new VPCs go (driver option, or the credentials field the CLI fills from the environment). */
  private readonly vpcRegion: string | undefined;

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    super({ name: PROVIDER, capabilities: DIGITALOCEAN_CAPABILITIES, timeouts });
    this.client = new DoClient(config, timeouts);
    this.vpcRegion = config.options?.[networks.VPC_REGION_OPTION] || config.credentials[networks.VPC_REGION_OPTION] || undefined;
  }

  private cached: { at: number; catalog: Promise<Catalog> } | undefined;

  /** Regions, sizes and images for preflight, read once a minute at most: a fleet of creates shares them. */
  private catalog(o?: OperationOptions): Promise<Catalog> {
    if (this.cached && Date.now() - this.cached.at < CATALOG_TTL_MS) return this.cached.catalog;
    const catalog = Promise.all([this.client.listRegions(o), this.client.listSizes(o), this.client.listDistributionImages(o)]).then(
      ([regions, sizes, images]) => ({ regions, sizes, images }),
    );
    this.cached = { at: Date.now(), catalog };
    catalog.catch(() => {
      if (this.cached?.catalog === catalog) this.cached = undefined;
    });
    return catalog;
  }

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    await checkCreate(this.client, await this.catalog(o), req, o);
    this.keyPlans.set(req.createId, await planKeys(this.client, req.sshKeys ?? [], o));
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    // A retry after an ambiguous failure plans again: keys registered meanwhile match by fingerprint.
    const plan = this.keyPlans.get(req.createId) ?? (await planKeys(this.client, req.sshKeys ?? [], o));
    this.keyPlans.delete(req.createId);
    const sshKeys = await registerKeys(this.client, plan, `ferry-${req.name}`, o);
    const droplet = await this.client.createDroplet(
      {
        name: req.name,
        region: req.region,
        size: req.size,
        image: imageSlugOf(req.image),
        ...(sshKeys.length ? { ssh_keys: sshKeys } : {}),
        ...(req.userData !== undefined ? { user_data: req.userData } : {}),
        ipv6: true,
        tags: labelsToTags(ferryLabels(req)),
      },
      o,
    );
    return dropletToInstance(droplet);
  }

  /** The create id is a tag, so the lookup is one filtered list. */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await this.client.listDroplets({ tag_name: labelToTag(CREATE_ID_KEY, createId) }, o);
    const d = found.map(dropletToInstance).find((i) => isManaged(i.labels));
    return d ?? null;
  }

  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    await this.client.deleteDroplet(id, o);
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const d = await this.client.getDroplet(id, o);
    return d ? dropletToInstance(d) : null;
  }

  /** ferry's droplets by their managed-by tag; `all` lists regular and GPU droplets (the API splits them). */
  async listInstances(o?: ListOptions): Promise<Instance[]> {
    let droplets: DoDroplet[];
    if (o?.all) {
      const [plain, gpus] = await Promise.all([this.client.listDroplets({}, o), this.client.listDroplets({ type: 'gpus' }, o)]);
      droplets = [...plain, ...gpus];
    } else {
      droplets = await this.client.listDroplets({ tag_name: MANAGED_TAG }, o);
    }
    return droplets.map(dropletToInstance).filter((i) => (o?.all || isManaged(i.labels)) && hasLabels(i.labels, o?.labels));
  }

  override async createSnapshot(instanceId: string, name: string, o?: OperationOptions): Promise<Snapshot> {
    return takeSnapshot(this.client, this.timeouts, instanceId, name, o);
  }

  override async listSnapshots(o?: OperationOptions): Promise<Snapshot[]> {
    return (await this.client.listSnapshots(o)).filter((s) => isFerrySnapshot(s.name)).map(snapshotFromDo);
  }

  override async deleteSnapshot(id: string, o?: OperationOptions): Promise<void> {
    await this.client.deleteSnapshot(id, o);
  }

  override async getSshKeys(o?: OperationOptions): Promise<SshKey[]> {
    return (await this.client.listKeys(o)).map(sshKeyFromDo);
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

  override async listOffers(o?: OperationOptions): Promise<Offer[]> {
    return offersFromSizes(await this.client.listSizes(o), new Date().toISOString());
  }

  override async validateInstanceType(size: string, o?: OperationOptions): Promise<void> {
    checkSize({ sizes: await this.client.listSizes(o) }, size);
  }

  override async validateRegion(region: string, o?: OperationOptions): Promise<void> {
    checkRegion({ regions: await this.client.listRegions(o) }, region);
  }

  override async findOrCreateNetwork(name: string, o?: OperationOptions): Promise<Network> {
    return networks.findOrCreateNetwork(this.client, this.vpcRegion, name, o);
  }

  override async getNetworkByName(name: string, o?: OperationOptions): Promise<Network | null> {
    return networks.getNetworkByName(this.client, name, o);
  }

  override async deleteNetwork(id: string, o?: OperationOptions): Promise<void> {
    await this.client.deleteVpc(id, o);
  }

  override async findOrCreateFirewall(name: string, o?: OperationOptions): Promise<Firewall> {
    return firewalls.findOrCreateFirewall(this.client, name, o);
  }

  override async getFirewallByName(name: string, o?: OperationOptions): Promise<Firewall | null> {
    return firewalls.getFirewallByName(this.client, name, o);
  }

  override async deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    await this.client.deleteFirewall(id, o);
  }

  private get volumeContext(): volumes.VolumeContext {
    return { client: this.client, timeouts: this.timeouts };
  }

  override async createVolume(req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
    return volumes.createVolume(this.volumeContext, req, o);
  }

  override async getVolume(id: string, o?: OperationOptions): Promise<Volume | null> {
    return volumes.getVolume(this.volumeContext, id, o);
  }

  override async getVolumeByName(name: string, o?: OperationOptions): Promise<Volume | null> {
    return volumes.getVolumeByName(this.volumeContext, name, o);
  }

  override async attachVolume(volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
    return volumes.attachVolume(this.volumeContext, volumeId, instanceId, o);
  }

  override async detachVolume(volumeId: string, o?: OperationOptions): Promise<Volume> {
    return volumes.detachVolume(this.volumeContext, volumeId, o);
  }

  override async deleteVolume(id: string, o?: OperationOptions): Promise<void> {
    await volumes.deleteVolume(this.volumeContext, id, o);
  }

  /** GET /v2/account: a bad token is an authentication error. */
  override async validateCredentials(o?: OperationOptions): Promise<void> {
    await this.client.getAccount(o);
  }
}

export function createProvider(config: ProviderConfig): DigitalOceanProvider {
  return new DigitalOceanProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export { DIGITALOCEAN_CAPABILITIES as capabilities };
