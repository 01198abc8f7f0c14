/**
 * The Linode driver. Follows the Linode API v4 as described by linode-openapi-v4.189.0.yaml.
 * Ownership and the create id live in tags (a reversible label codec), so listings and the create
 * lookup filter server-side with X-Filter; long operations are events polled to completion;
 * every request is paced to Linode's per-operation windows (creates 20 per 15 s).
 */
import { randomBytes } from 'node:crypto';
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
import { LinodeCatalog } from './catalog.js';
import { LinodeClient, type XFilter } from './client.js';
import * as infra from './infrastructure.js';
import { imageToImage, linodeToInstance, regionToRegion, sshKeyFromWire, typeOffers, typeToSize } from './mapping.js';
import { powerService } from './power.js';
import { snapshotService } from './snapshots.js';
import { resolveAuthorizedKeys } from './ssh-keys.js';
import { invalidTag, labelsToTags, labelToTag, MANAGED_TAG } from './tags.js';

const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);
/** Linode labels: 3-64 characters, starting with a letter, no "--", "__" or "..". */
const LABEL_RE = /^[a-zA-Z](?!.*(--|__|\.\.))[a-zA-Z0-9-_.]{2,63}$/;
const USER_DATA_MAX = 65_535;

export const LINODE_SERVICES: ServiceDeclarations<LinodeProvider> = {
  snapshots: provide('private images captured from the main disk (POST /images with disk_id), billed per GB-month', (p) => snapshotService(p)),
  sshKeys: provide('profile keys (/profile/sshkeys); raw public keys go straight into authorized_keys', (p) => ({
    list: async (o) => (await p.client.listSshKeys(o)).map(sshKeyFromWire),
  })),
  networks: provide(`VPCs with one subnet ${infra.SUBNET_IPV4}, in one region (vpcRegion, default ${infra.DEFAULT_VPC_REGION}); free`, (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateNetwork(p.infra, name, o),
    getByName: (name, o) => infra.getNetworkByName(p.infra, name, o),
    delete: async (id, o) => void (isNumericId(id) && (await p.client.deleteVpc(id, o))),
  })),
  firewalls: provide('cloud firewalls: inbound SSH (tcp/22 from 0.0.0.0/0 and ::/0), the rest dropped; free', (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateFirewall(p.infra, name, o),
    getByName: (name, o) => infra.getFirewallByName(p.infra, name, o),
    delete: async (id, o) => void (isNumericId(id) && (await p.client.deleteFirewall(id, o))),
  })),
  volumes: provide('block storage volumes, 10 GB minimum, attach and detach waited for through their events', (p) => ({
    create: (req, o) => infra.createVolume(p.infra, req, o),
    get: (id, o) => infra.getVolume(p.infra, id, o),
    getByName: (name, o) => infra.getVolumeByName(p.infra, name, o),
    attach: (volumeId, instanceId, o) => infra.attachVolume(p.infra, volumeId, instanceId, o),
    detach: (volumeId, o) => infra.detachVolume(p.infra, volumeId, o),
    delete: async (id, o) => void (isNumericId(id) && (await p.client.deleteVolume(id, o))),
  })),
  power: provide('boot, shutdown and reboot, each waited for through its event; a Linode that is off is still billed', (p) => powerService(p)),
  validation: provide('types and regions from the API; credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.checkSize(size, o)),
    region: async (region, o) => void (await p.catalog.checkRegion(region, o)),
    credentials: async (o) => void (await p.client.call('GET', '/profile', { o })),
  })),
  offers: provide('USD prices per type and region from /linode/types (region_prices win over the base price)', (p) => ({
    list: async (o) => {
      const [types, regions] = await Promise.all([p.catalog.types.get(o), p.catalog.regions.get(o)]);
      const at = new Date().toISOString();
      return types.flatMap((t) => typeOffers(t, regions, at));
    },
  })),
  reinstallIpxe: no('Linodes are virtual machines that boot from disks or a kernel, with no iPXE chain-loading; rebuild from an image instead'),
  batchCreate: no('POST /linode/instances creates one Linode per request'),
  batchDestroy: no('DELETE /linode/instances/{id} deletes one Linode per request'),
};

/** Every wanted label, as tags the server filters on (a list field equals = contains). */
function tagFilter(labels: Record<string, string>): XFilter | undefined {
  const tags = labelsToTags(labels);
  if (tags.length === 0) return undefined;
  if (tags.length === 1) return { tags: tags[0] };
  return { '+and': tags.map((t) => ({ tags: t })) };
}

/** A root password Linode's strength check accepts; shown once to the caller, never stored. */
export function generateRootPassword(): string {
  return `${randomBytes(24).toString('base64url')}-Fy7`;
}

export class LinodeProvider extends BaseProvider<LinodeProvider> {
  readonly client: LinodeClient;
  readonly catalog: LinodeCatalog;
  readonly infra: infra.InfraContext;
  private readonly firewallLabel: string | undefined;
  /** The firewall every new Linode joins, found or made once per provider object. */
  private firewallId: Promise<number> | undefined;
  /** Key texts and the image resolved in preflight, by create id, for the send that follows. */
  private readonly resolved = new Map<string, { keys: string[]; image: string }>();

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'linode', services: LINODE_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new LinodeClient(config, timeouts);
    this.catalog = new LinodeCatalog(this.client);
    this.infra = { client: this.client, timeouts, vpcRegion: config.options?.vpcRegion || infra.DEFAULT_VPC_REGION };
    this.firewallLabel = config.options?.firewall || undefined;
  }

  // instances

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    if (!LABEL_RE.test(req.name)) {
      throw new UserError(`invalid linode label "${req.name}"`, 'Linode labels are 3-64 characters, start with a letter, and have no "--"');
    }
    for (const tag of labelsToTags(ferryLabels(req))) {
      const why = invalidTag(tag);
      if (why) throw new UserError(`label cannot be carried as a Linode tag: ${why}`, 'shorten the label key or value');
    }
    if (req.userData && Buffer.byteLength(Buffer.from(req.userData).toString('base64')) > USER_DATA_MAX) {
      throw new UserError('user data is too large', 'Linode accepts at most 64 KiB of base64-encoded cloud-init user data');
    }
    await this.catalog.checkPlacement(req.size, req.region, o);
    const image = await this.catalog.checkImage(req.image, o);
    this.resolved.set(req.createId, { image, keys: await resolveAuthorizedKeys(this.client, req.sshKeys ?? [], o) });
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    // Consumed at once so nothing lingers; a re-send resolves again.
    const r = this.resolved.get(req.createId) ?? {
      image: await this.catalog.checkImage(req.image, o),
      keys: await resolveAuthorizedKeys(this.client, req.sshKeys ?? [], o),
    };
    this.resolved.delete(req.createId);
    const firewallId = await this.firewall(o);
    // Linode requires a root password for a disk made from an image: a strong one is generated,
    // handed back only when no key was given (the one way in), and kept nowhere.
    const rootPass = generateRootPassword();
    const created = await this.client.createLinode(
      {
        label: req.name,
        region: req.region,
        type: req.size,
        image: r.image,
        root_pass: rootPass,
        booted: true,
        tags: labelsToTags(ferryLabels(req)),
        ...(r.keys.length ? { authorized_keys: r.keys } : {}),
        ...(req.userData ? { metadata: { user_data: Buffer.from(req.userData).toString('base64') } } : {}),
        ...(firewallId === undefined ? {} : { firewall_id: firewallId }),
      },
      o,
    );
    const instance = linodeToInstance(created);
    return r.keys.length ? instance : { ...instance, initialRootPassword: rootPass };
  }

  private async firewall(o?: OperationOptions): Promise<number | undefined> {
    const label = this.firewallLabel;
    if (!label) return undefined;
    const p = (this.firewallId ??= infra.findOrCreateFirewall(this.infra, label, o).then((f) => Number(f.id)));
    // A failed lookup is not remembered: the next create asks again.
    return p.catch((err: unknown) => {
      if (this.firewallId === p) this.firewallId = undefined;
      throw err;
    });
  }

  /** One server-side filter on both tags: a single request, whatever the fleet's size. */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await this.client.listLinodes(tagFilter({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: createId }), o);
    return found[0] ? linodeToInstance(found[0]) : null;
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    if (!isNumericId(id)) return null;
    const l = await this.client.getLinode(id, o);
    return l ? linodeToInstance(l) : null;
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const labels = o?.all ? { ...o?.labels } : { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...o?.labels };
    const wanted = new Set(labelsToTags(labels));
    // The filter runs server-side; checking again keeps a looser server from widening the list.
    const found = await this.client.listLinodes(tagFilter(labels), o);
    return found.filter((l) => [...wanted].every((t) => (l.tags ?? []).includes(t))).map(linodeToInstance);
  }

  /** DELETE removes the Linode at once; one already gone is success. */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (!isNumericId(id)) return;
    await this.client.deleteLinode(id, o);
  }

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.catalog.regions.get(o)).map(regionToRegion);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const [types, regions] = await Promise.all([this.catalog.types.get(o), this.catalog.regions.get(o)]);
    return types.map((t) => typeToSize(t, regions));
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    return (await this.catalog.publicImages.get(o)).filter((i) => !i.deprecated).map(imageToImage);
  }
}

export { MANAGED_TAG, labelToTag };

export function createProvider(config: ProviderConfig): LinodeProvider {
  return new LinodeProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(LINODE_SERVICES);
