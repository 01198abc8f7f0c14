/**
 * The DigitalOcean driver: droplets labelled with tags, snapshots through droplet actions,
 * SSH keys, sizes with prices, regions and distribution images (API v2, api.digitalocean.com).
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
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type Offer,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type Size,
  type Snapshot,
  type SshKey,
} from '../../core/index.js';
import { DoClient } from './client.js';
import {
  dropletToInstance,
  imageFromDo,
  imageSpecToDo,
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

const CATALOG_TTL_MS = 60_000;
const NOT_YET = "not implemented in ferry's DigitalOcean driver yet";

export const DIGITALOCEAN_CAPABILITIES: Capabilities = {
  instances: yes(),
  snapshots: yes('droplet snapshot action; ferry marks its snapshots with the name prefix "ferry:"'),
  sshKeys: yes('public keys given to a create are registered on the account once, matched by fingerprint'),
  networks: no(NOT_YET),
  firewalls: no(NOT_YET),
  volumes: no(NOT_YET),
  validation: yes(),
  offers: yes('list prices from /v2/sizes, USD, the same in every region'),
  reinstallIpxe: no('droplets cannot netboot a custom iPXE script'),
};

export class DigitalOceanProvider extends BaseProvider {
  readonly client: DoClient;
  /** SSH key plans made by preflight, used by the create(s) of the same request. */
  private readonly keyPlans = new Map<string, KeyPlan>();

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    super({ name: PROVIDER, capabilities: DIGITALOCEAN_CAPABILITIES, timeouts });
    this.client = new DoClient(config, timeouts);
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
        image: imageSpecToDo(req.image),
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
