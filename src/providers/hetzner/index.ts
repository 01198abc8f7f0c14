/**
 * The Hetzner Cloud driver. Follows https://docs.hetzner.cloud/ as described by hcloud.openapi.json.
 * Ownership and the create id live in server labels, so listings and the create lookup are
 * server-side label selectors; long operations are Actions polled to completion.
 */
import {
  BaseProvider,
  CREATE_ID_KEY,
  ferryLabels,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  no,
  resolveTimeouts,
  UserError,
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
import { waitForAction } from './actions.js';
import { HetznerCatalog } from './catalog.js';
import { HetznerClient } from './client.js';
import * as infra from './infrastructure.js';
import {
  imageParam,
  imageToImage,
  imageToSnapshot,
  locationToRegion,
  serverToInstance,
  serverTypeOffers,
  serverTypeToSize,
  sshKeyFromWire,
} from './mapping.js';
import { resolveSshKeys } from './ssh-keys.js';

export const HETZNER_CAPABILITIES: Capabilities = {
  instances: yes(),
  snapshots: yes('POST /servers/{id}/actions/create_image, billed per GB-month'),
  sshKeys: yes('raw public keys are registered once, by fingerprint'),
  networks: yes(`private network ${infra.NETWORK_IP_RANGE} with one cloud subnet ${infra.SUBNET_IP_RANGE}`),
  firewalls: yes('created with an inbound SSH rule, tcp/22 from 0.0.0.0/0 and ::/0'),
  volumes: yes('ext4 block volumes, 10 GB minimum'),
  validation: yes(),
  offers: yes('net EUR prices (before VAT) per server type and location, from /server_types'),
  reinstallIpxe: no('Hetzner Cloud servers are virtual machines without iPXE boot; rebuild from an image instead'),
};

/** Label selector syntax: "k=v,k2=v2". */
function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Hetzner ids are positive integers; anything else cannot exist, so no request is sent for it. */
const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);

export class HetznerProvider extends BaseProvider {
  private readonly client: HetznerClient;
  private readonly catalog: HetznerCatalog;
  private readonly infra: infra.InfraContext;
  /** SSH key ids resolved in preflight, by create id, for the sends that follow. */
  private readonly resolvedKeys = new Map<string, string[]>();

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'hetzner', capabilities: HETZNER_CAPABILITIES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new HetznerClient(config, timeouts);
    this.catalog = new HetznerCatalog(this.client);
    this.infra = { client: this.client, timeouts, networkZone: config.options?.networkZone ?? infra.DEFAULT_NETWORK_ZONE };
  }

  // instances

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    const type = await this.catalog.checkPlacement(req.size, req.region, o);
    await this.catalog.checkImage(req.image, type, o);
    if (req.userData && Buffer.byteLength(req.userData) > 32 * 1024) {
      throw new UserError('user data is larger than 32 KiB', 'Hetzner accepts at most 32 KiB of cloud-init user data');
    }
    this.resolvedKeys.set(req.createId, await resolveSshKeys(this.client, req.sshKeys ?? [], o));
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    // Consumed at once so nothing lingers; a re-send resolves again (lookups by fingerprint are idempotent).
    const keys = this.resolvedKeys.get(req.createId) ?? (await resolveSshKeys(this.client, req.sshKeys ?? [], o));
    this.resolvedKeys.delete(req.createId);
    const res = await this.client.createServer(
      {
        name: req.name,
        server_type: req.size,
        location: req.region,
        image: imageParam(req.image),
        labels: ferryLabels(req),
        start_after_create: true,
        ...(req.userData ? { user_data: req.userData } : {}),
        ...(keys.length ? { ssh_keys: keys } : {}),
      },
      o,
    );
    const instance = serverToInstance(res.server);
    return res.root_password ? { ...instance, initialRootPassword: res.root_password } : instance;
  }

  /** One server-side selector on both labels: a single request, whatever the fleet's size. */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await this.client.listServers(selector({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: createId }), o);
    return found[0] ? serverToInstance(found[0]) : null;
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    if (!isNumericId(id)) return null;
    const s = await this.client.getServer(id, o);
    return s ? serverToInstance(s) : null;
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const labels = o?.all ? { ...o?.labels } : { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...o?.labels };
    return (await this.client.listServers(selector(labels), o)).map(serverToInstance);
  }

  /**
   * Hetzner removes the server from the account at once ("This immediately removes the Server"),
   * so the delete action is not waited for; a server already gone is success.
   */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (!isNumericId(id)) return;
    await this.client.deleteServer(id, o);
  }

  // snapshots

  override async createSnapshot(instanceId: string, name: string, o?: OperationOptions): Promise<Snapshot> {
    if (!isNumericId(instanceId)) throw new UserError(`invalid hetzner server id "${instanceId}"`);
    const res = await this.client.createImage(instanceId, { type: 'snapshot', description: name, labels: { [MANAGED_BY_KEY]: MANAGED_BY_VALUE } }, o);
    await waitForAction(this.client, res.action, this.timeouts, o);
    const done = await this.client.getImage(String(res.image.id), o);
    return imageToSnapshot(done ?? res.image);
  }

  override async listSnapshots(o?: OperationOptions): Promise<Snapshot[]> {
    const images = await this.client.listImages({ type: 'snapshot', label_selector: selector({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE }) }, o);
    return images.map(imageToSnapshot);
  }

  override async deleteSnapshot(id: string, o?: OperationOptions): Promise<void> {
    if (!isNumericId(id)) return;
    await this.client.deleteImage(id, o);
  }

  override async getSshKeys(o?: OperationOptions): Promise<SshKey[]> {
    return (await this.client.listSshKeys({}, o)).map(sshKeyFromWire);
  }

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.client.listLocations(o)).map(locationToRegion);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    return (await this.client.listServerTypes(o)).filter((t) => !t.deprecated).map(serverTypeToSize);
  }

  /** System images, one entry per name (Hetzner keeps an x86 and an arm build under one name). */
  async listImages(o?: OperationOptions): Promise<Image[]> {
    const byName = new Map<string, Image>();
    for (const img of await this.client.listImages({ type: 'system' }, o)) {
      const mapped = imageToImage(img);
      if (!byName.has(mapped.id)) byName.set(mapped.id, mapped);
    }
    return [...byName.values()];
  }

  override async listOffers(o?: OperationOptions): Promise<Offer[]> {
    const fetchedAt = new Date().toISOString();
    return (await this.client.listServerTypes(o)).flatMap((t) => serverTypeOffers(t, fetchedAt));
  }

  // validation

  override async validateInstanceType(size: string, o?: OperationOptions): Promise<void> {
    await this.catalog.checkSize(size, o);
  }

  override async validateRegion(region: string, o?: OperationOptions): Promise<void> {
    await this.catalog.checkRegion(region, o);
  }

  /** One cheap authenticated read; a bad token surfaces as an authentication error. */
  override async validateCredentials(o?: OperationOptions): Promise<void> {
    await this.client.http.get('/locations', { query: { per_page: 1 }, signal: o?.signal });
  }

  // infrastructure (seed 001)

  override findOrCreateNetwork(name: string, o?: OperationOptions): Promise<Network> {
    return infra.findOrCreateNetwork(this.infra, name, o);
  }
  override getNetworkByName(name: string, o?: OperationOptions): Promise<Network | null> {
    return infra.getNetworkByName(this.infra, name, o);
  }
  override async deleteNetwork(id: string, o?: OperationOptions): Promise<void> {
    if (isNumericId(id)) await this.client.deleteNetwork(id, o);
  }

  override findOrCreateFirewall(name: string, o?: OperationOptions): Promise<Firewall> {
    return infra.findOrCreateFirewall(this.infra, name, o);
  }
  override getFirewallByName(name: string, o?: OperationOptions): Promise<Firewall | null> {
    return infra.getFirewallByName(this.infra, name, o);
  }
  override async deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    if (isNumericId(id)) await this.client.deleteFirewall(id, o);
  }

  override createVolume(req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
    return infra.createVolume(this.infra, req, o);
  }
  override async getVolume(id: string, o?: OperationOptions): Promise<Volume | null> {
    return isNumericId(id) ? infra.getVolume(this.infra, id, o) : null;
  }
  override getVolumeByName(name: string, o?: OperationOptions): Promise<Volume | null> {
    return infra.getVolumeByName(this.infra, name, o);
  }
  override attachVolume(volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
    return infra.attachVolume(this.infra, volumeId, instanceId, o);
  }
  override detachVolume(volumeId: string, o?: OperationOptions): Promise<Volume> {
    return infra.detachVolume(this.infra, volumeId, o);
  }
  override async deleteVolume(id: string, o?: OperationOptions): Promise<void> {
    if (isNumericId(id)) await infra.deleteVolume(this.infra, id, o);
  }
}

export function createProvider(config: ProviderConfig): HetznerProvider {
  return new HetznerProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export { HETZNER_CAPABILITIES as capabilities };
