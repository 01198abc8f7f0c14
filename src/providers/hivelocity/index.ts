/**
 * The Hivelocity driver: instant bare-metal servers through API v2 (Swagger 2.0,
 * https://core.hivelocity.net/api/v2/swagger.json). An order is POST /bare-metal-devices/ and takes
 * stages (ordered → provisioning → installing → in use) that waitReady reports; ownership and the
 * create id are device tags ("k=v"); destroy cancels the service (end of the paid month for the
 * monthly period ferry orders). Reinstall over custom iPXE is a reload with the "Custom iPXE" OS.
 */
import {
  bareMetalTimeouts,
  BaseProvider,
  capabilitiesOf,
  ferryLabels,
  hasLabels,
  isManaged,
  no,
  provide,
  UserError,
  type Image,
  type ImageSpec,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type ServiceDeclarations,
  type Size,
} from '../../core/index.js';
import { ipxeService, isDeviceId, powerService, readDevice, reinstallOs, waitReady, type BareMetalContext } from './bare-metal.js';
import { HivelocityCatalog } from './catalog.js';
import { HivelocityClient } from './client.js';
import { deviceToInstance, labelsToTags, locationToRegion, optionToImage, orderedAtTag, stockToSize } from './mapping.js';
import { offersService } from './offers.js';
import { keyIdFor, planSshKey, sshKeyService, type KeyPlan } from './ssh-keys.js';

/** What preflight resolved for an order: the OS option's name and the SSH key. */
interface OrderPlan {
  osName: string;
  key: KeyPlan;
}

export const HIVELOCITY_SERVICES: ServiceDeclarations<HivelocityProvider> = {
  snapshots: no('Hivelocity has no snapshots or images of bare-metal servers; reinstall from an OS option or a custom iPXE script'),
  sshKeys: provide('account SSH keys (/ssh_key/); a device takes one key at order time, a raw public key is registered once', (p) => sshKeyService(p.client)),
  networks: no('private networking on Hivelocity is VLANs attached to switch ports, which ferry does not manage'),
  firewalls: no('Hivelocity has no API firewall for bare-metal servers; filter on the server itself'),
  volumes: no('Hivelocity bare metal has no attachable block volumes; disks come with the product'),
  power: provide('IPMI power through /device/{id}/power (boot, shutdown, reboot); a server that is off is still billed', (p) => powerService(p.ctx)),
  offers: provide('USD list prices (no VAT) per product and facility from /inventory/product (instant and GPU listings), with stock', (p) =>
    offersService(p.catalog, p.period),
  ),
  validation: provide('products, facilities and OS options from the API; credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.checkSize(size, o)),
    region: async (region, o) => void (await p.catalog.checkRegion(region, o)),
    credentials: async (o) => void (await p.client.listSshKeys(o)),
  })),
  reinstallIpxe: provide(
    'reload (PUT /bare-metal-devices/{id}) with the "Custom iPXE" OS option and customIPXEScriptURL, after a power-off; the disks are wiped',
    (p) => ipxeService(p.ctx),
  ),
  batchCreate: no('each device is its own order'),
  batchDestroy: no('each device is cancelled on its own'),
};

export class HivelocityProvider extends BaseProvider<HivelocityProvider, OrderPlan> {
  readonly client: HivelocityClient;
  readonly catalog: HivelocityCatalog;
  readonly ctx: BareMetalContext;
  readonly period: 'monthly' | 'hourly';

  constructor(config: ProviderConfig) {
    const timeouts = bareMetalTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    // One send only: after an ambiguous failure the order is looked up by its create id, but it is
    // never re-sent when not found. A new order may not be listed before it is provisioned (as
    // Hivelocity's Terraform provider notes), and a second monthly server is a month's bill: the
    // journal keeps the create pending and `ferry gc` finds the order once it shows.
    super({ name: 'hivelocity', services: HIVELOCITY_SERVICES, timeouts, createAttempts: 1, ...(backoff ? { createBackoffMs: backoff } : {}) });
    const setting = (k: string) => config.options?.[k] ?? config.credentials[k];
    this.period = setting('period') === 'hourly' ? 'hourly' : 'monthly';
    this.client = new HivelocityClient(config, timeouts);
    this.catalog = new HivelocityCatalog(this.client);
    this.ctx = { client: this.client, catalog: this.catalog, timeouts, domain: (setting('domain') ?? 'localdomain').replace(/^\.+/, '') };
  }

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<OrderPlan> {
    const row = await this.catalog.checkPlacement(req.size, req.region, o);
    if (req.image.kind === 'snapshot') throw new UserError('Hivelocity has no snapshots', 'boot an OS option (e.g. ubuntu-24.04), or use `ferry reinstall --ipxe <url>`');
    const osName = await this.catalog.checkImage(req.image, row.product_id!, o);
    if ((req.sshKeys ?? []).length > 1) {
      throw new UserError(`${req.sshKeys!.length} SSH keys given`, 'Hivelocity installs one SSH key (publicSshKeyId) per order; pass one --ssh-key');
    }
    if (req.userData && Buffer.byteLength(req.userData) > 64 * 1024) throw new UserError('user data is larger than 64 KiB', 'pass a shorter cloud-init script');
    return { osName, key: await planSshKey(this.client, req.sshKeys?.[0], o) };
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o: OperationOptions | undefined, plan: OrderPlan): Promise<Instance> {
    const keyId = await keyIdFor(this.client, plan.key, o);
    const bm = await this.client.createBareMetalDevice(
      {
        productId: Number(req.size),
        locationName: req.region,
        osName: plan.osName,
        hostname: `${req.name}.${this.ctx.domain}`,
        period: this.period,
        tags: [...labelsToTags(ferryLabels(req)), orderedAtTag(new Date())],
        ...(req.userData ? { script: req.userData } : {}),
        ...(keyId ? { publicSshKeyId: keyId } : {}),
      },
      o,
    );
    return deviceToInstance(bm, null, this.ctx.domain);
  }

  /** A device whose cancellation has started is no longer ferry's to use: it reads as gone. */
  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const v = await readDevice(this.ctx, id, o);
    return v && !v.dump?.hasCancellation ? v.instance : null;
  }

  /** Both account lists, joined: /bare-metal-devices/ for the order, /device/ for its status and cancellation. */
  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const devices = await this.client.listBareMetalDevices(o);
    const dumps = new Map((await this.client.listDevices(o)).map((d) => [d.deviceId, d]));
    return devices
      .filter((bm) => !dumps.get(bm.deviceId ?? -1)?.hasCancellation)
      .map((bm) => deviceToInstance(bm, dumps.get(bm.deviceId ?? -1), this.ctx.domain))
      .filter((i) => (o?.all || isManaged(i.labels)) && hasLabels(i.labels, o?.labels));
  }

  override waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    return waitReady(this.ctx, id, o);
  }

  /** Reinstalls one of the product's OS options (the disks are wiped); returns the device running it. */
  reinstallOs(id: string, image: ImageSpec, o?: OperationOptions): Promise<Instance> {
    return reinstallOs(this.ctx, id, image, o);
  }

  /**
   * Cancels the device: an hourly one is deleted at once (204); a monthly one answers "Cancellation
   * Started" (201) and stays, billed, until its billing cancel date. Gone or already cancelling is success.
   */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (!isDeviceId(id)) return;
    await this.client.cancelBareMetalDevice(id, o);
  }

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.client.locations(o)).map(locationToRegion).filter((r): r is Region => r !== null);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const rows = await this.catalog.stock.get(o);
    const sizes = new Map<string, Size>();
    for (const s of rows) {
      const size = stockToSize(s, rows.filter((r) => r.product_id === s.product_id && r.stock !== 'unavailable').map((r) => r.data_center ?? ''));
      if (size && !sizes.has(size.id)) sizes.set(size.id, size);
    }
    return [...sizes.values()];
  }

  /** OS options of every product, one entry per name (the custom iPXE option is reinstall's, not an image). */
  async listImages(o?: OperationOptions): Promise<Image[]> {
    const byName = new Map<string, Image>();
    for (const productId of await this.catalog.productIds(o)) {
      for (const opt of await this.catalog.operatingSystems(productId, o)) {
        if (/ipxe/i.test(opt.name ?? '')) continue;
        const img = optionToImage(opt);
        if (img && !byName.has(img.id)) byName.set(img.id, img);
      }
    }
    return [...byName.values()];
  }
}

export function createProvider(config: ProviderConfig): HivelocityProvider {
  return new HivelocityProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(HIVELOCITY_SERVICES);
