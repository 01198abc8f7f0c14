/**
 * The Hetzner Cloud driver. Follows https://docs.hetzner.cloud/ as described by hcloud.openapi.json.
 * Ownership and the create id live in server labels, so listings and the create lookup are
 * server-side label selectors; long operations are Actions polled to completion.
 */
import {
  BaseProvider,
  capabilitiesOf,
  CREATE_ID_KEY,
  ferryLabels,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  no,
  provide,
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
  ipv4PricesFrom,
  isDeprecated,
  serverTypeOffers,
  serverTypeToSize,
  sshKeyFromWire,
} from './mapping.js';
import { powerService } from './power.js';
import { snapshotService } from './snapshots.js';
import { planSshKeys, registerPlannedKeys, type KeyPlan } from './ssh-keys.js';

/** Hetzner ids are positive integers; anything else cannot exist, so no request is sent for it. */
const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);

export const HETZNER_SERVICES: ServiceDeclarations<HetznerProvider> = {
  snapshots: provide('POST /servers/{id}/actions/create_image, billed per GB-month', (p) => snapshotService(p)),
  sshKeys: provide('raw public keys are registered once, by fingerprint', (p) => ({
    list: async (o) => (await p.client.listSshKeys({}, o)).map(sshKeyFromWire),
  })),
  networks: provide(`private network ${infra.NETWORK_IP_RANGE} with one cloud subnet ${infra.SUBNET_IP_RANGE}`, (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateNetwork(p.infra, name, o),
    getByName: (name, o) => infra.getNetworkByName(p.infra, name, o),
    delete: async (id, o) => void (isNumericId(id) && (await p.client.deleteNetwork(id, o))),
  })),
  firewalls: provide('created with an inbound SSH rule, tcp/22 from 0.0.0.0/0 and ::/0', (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateFirewall(p.infra, name, o),
    getByName: (name, o) => infra.getFirewallByName(p.infra, name, o),
    delete: async (id, o) => void (isNumericId(id) && (await p.client.deleteFirewall(id, o))),
  })),
  volumes: provide('ext4 block volumes, 10 GB minimum', (p) => ({
    create: (req, o) => infra.createVolume(p.infra, req, o),
    get: async (id, o) => (isNumericId(id) ? infra.getVolume(p.infra, id, o) : null),
    getByName: (name, o) => infra.getVolumeByName(p.infra, name, o),
    attach: (volumeId, instanceId, o) => infra.attachVolume(p.infra, volumeId, instanceId, o),
    detach: (volumeId, o) => infra.detachVolume(p.infra, volumeId, o),
    delete: async (id, o) => void (isNumericId(id) && (await infra.deleteVolume(p.infra, id, o))),
  })),
  power: provide('server actions poweron, poweroff, reboot; a server that is off is still billed', (p) => powerService(p)),
  validation: provide('server types and locations from the API; credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.checkSize(size, o)),
    region: async (region, o) => void (await p.catalog.checkRegion(region, o)),
    credentials: async (o) => void (await p.client.http.get('/locations', { query: { per_page: 1 }, signal: o?.signal })),
  })),
  offers: provide('net EUR prices (before VAT) per server type and location a datacenter takes orders for (/server_types, /datacenters), plus the primary IPv4 (/pricing)', (p) => ({
    list: async (o) => {
      const [types, availability, pricing] = await Promise.all([p.client.listServerTypes(o), p.catalog.availability.get(o), p.client.getPricing(o)]);
      const at = new Date().toISOString();
      const ipv4 = ipv4PricesFrom(pricing);
      return types.flatMap((t) => serverTypeOffers(t, at, availability, ipv4));
    },
  })),
  reinstallIpxe: no('Hetzner Cloud servers are virtual machines without iPXE boot; rebuild from an image instead'),
  batchCreate: no('POST /servers creates one server per request'),
  batchDestroy: no('DELETE /servers/{id} deletes one server per request'),
};

/** Label selector syntax: "k=v,k2=v2". */
function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export class HetznerProvider extends BaseProvider<HetznerProvider, KeyPlan> {
  readonly client: HetznerClient;
  readonly catalog: HetznerCatalog;
  readonly infra: infra.InfraContext;

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'hetzner', services: HETZNER_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new HetznerClient(config, timeouts);
    this.catalog = new HetznerCatalog(this.client);
    this.infra = { client: this.client, timeouts, networkZone: config.options?.networkZone ?? infra.DEFAULT_NETWORK_ZONE };
  }

  // instances

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<KeyPlan> {
    const type = await this.catalog.checkPlacement(req.size, req.region, o);
    await this.catalog.checkImage(req.image, type, o);
    if (req.userData && Buffer.byteLength(req.userData) > 32 * 1024) {
      throw new UserError('user data is larger than 32 KiB', 'Hetzner accepts at most 32 KiB of cloud-init user data');
    }
    return planSshKeys(this.client, req.sshKeys ?? [], o);
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o: OperationOptions | undefined, plan: KeyPlan): Promise<Instance> {
    // Registering is idempotent by fingerprint, so a re-sent create registers nothing twice.
    const keys = await registerPlannedKeys(this.client, plan, o);
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

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.client.listLocations(o)).map(locationToRegion);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const [types, availability] = await Promise.all([this.client.listServerTypes(o), this.catalog.availability.get(o)]);
    return types.filter((t) => !isDeprecated(t)).map((t) => serverTypeToSize(t, availability));
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
}

export function createProvider(config: ProviderConfig): HetznerProvider {
  return new HetznerProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(HETZNER_SERVICES);
