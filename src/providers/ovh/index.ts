/**
 * The OVHcloud driver: dedicated servers (API v1) ordered through the cart (order.ts), followed
 * from the order to the delivered service and its OS install, ended at the end of the paid month,
 * reinstalled over iPXE through the server's bootScript. Requests are signed (signature.ts).
 *
 * Identity: OVH dedicated servers carry no tags and no free-text field ferry may set, so ferry's
 * handle is the cart it ordered through: its description holds the name, region, plan and labels
 * (mapping.ts), and its id is the instance id for the server's whole life; the cart's item leads
 * to the order (/me/order details name the cart item) and the order to the service name.
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
import { endService, ipxeService, read, readCart, readServer, waitReady, waitTask, type BareMetalContext } from './bare-metal.js';
import { OvhCatalogReader } from './catalog.js';
import { OvhClient } from './client.js';
import { createdAtOf, pendingInstance, planHardware, planPrices, PROVIDER, templateToImage } from './mapping.js';
import { offersService } from './offers.js';
import { orderServer } from './order.js';
import { makeDefault, planSshKey, sshKeyService, type KeyPlan } from './ssh-keys.js';

interface OrderPlan {
  os: string;
  regionValue: string;
  key: KeyPlan | null;
}

export const OVH_SERVICES: ServiceDeclarations<OvhProvider> = {
  snapshots: no('OVH dedicated servers have no snapshots or images; reinstall an OS template or boot an iPXE script'),
  sshKeys: provide('account keys (/me/sshKey); the default key is the one OVH installs at delivery, so ferry registers the given key and makes it default before checkout', (p) =>
    sshKeyService(p.client),
  ),
  networks: no('private networking on OVH dedicated servers is the vRack, which ferry does not manage'),
  firewalls: no('the OVH Network Firewall is per IP (/ip/{ip}/firewall), which ferry does not manage'),
  volumes: no('OVH dedicated servers have no attachable block volumes; disks come with the plan'),
  power: no('the OVH API has a hard reboot (POST /dedicated/server/{serviceName}/reboot) but no power-off or power-on; a server is always billed'),
  offers: provide('public catalog (/order/catalog/public/baremetalServers, no authentication): month-to-month plan prices without VAT, setup fees, per datacenter', (p) =>
    offersService(p.catalog),
  ),
  validation: provide('plans, datacenters and OS templates from the public catalog; credentials by one signed read (GET /dedicated/server)', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.checkPlan(size, o)),
    region: async (region, o) => void (await p.catalog.checkRegion(region, o)),
    credentials: async (o) => void (await p.client.listServers(o)),
  })),
  reinstallIpxe: provide(
    'PUT /dedicated/server/{serviceName} with bootScript (an iPXE script chaining to the URL) and the iPXE network netboot, then a hard reboot (task polled to done); the disks are kept',
    (p) => ipxeService(p.ctx),
  ),
  batchCreate: no('each dedicated server is its own order'),
  batchDestroy: no('each dedicated server is terminated on its own'),
};

export class OvhProvider extends BaseProvider<OvhProvider, OrderPlan> {
  readonly client: OvhClient;
  readonly catalog: OvhCatalogReader;
  readonly ctx: BareMetalContext;

  constructor(config: ProviderConfig) {
    const timeouts = bareMetalTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    // One send only: a checkout is a paid order; after an ambiguous failure the cart is looked up by its create id.
    super({ name: PROVIDER, services: OVH_SERVICES, timeouts, createAttempts: 1, ...(backoff ? { createBackoffMs: backoff } : {}) });
    const setting = (k: string) => config.options?.[k] ?? config.credentials[k];
    this.client = new OvhClient(config, timeouts);
    this.catalog = new OvhCatalogReader(this.client, (setting('subsidiary') ?? 'FR').toUpperCase());
    this.ctx = { client: this.client, timeouts, orderOfItem: new Map() };
  }

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<OrderPlan> {
    const plan = await this.catalog.checkPlan(req.size, o);
    this.catalog.checkPlacement(plan, req.region);
    const os = this.catalog.checkImage(plan, req.image);
    if ((req.sshKeys ?? []).length > 1) throw new UserError(`${req.sshKeys!.length} SSH keys given`, 'OVH installs the account\'s one default key at delivery; pass one --ssh-key');
    if (req.userData) {
      throw new UserError('OVH\'s order takes no user data', 'create without it, then run the script through `ferry reinstall --os <template>` (a post-installation script), or over SSH');
    }
    return { os, regionValue: this.catalog.regionValue(plan, req.region), key: await planSshKey(this.client, req.sshKeys?.[0], o) };
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o: OperationOptions | undefined, plan: OrderPlan): Promise<Instance> {
    if (plan.key) await makeDefault(this.client, plan.key, o);
    const identity = { name: req.name, region: req.region, plan: req.size, labels: ferryLabels(req) };
    const done = await orderServer(this.client, this.catalog.subsidiary, { identity, datacenter: req.region, os: plan.os, region: plan.regionValue }, new Date(), o);
    o?.onProgress?.({ phase: 'ordered', message: `${req.name}: order ${done.order.orderId ?? '?'} paid (cart ${done.cart.cartId}); OVH delivers in hours` });
    return pendingInstance(done.cart.cartId, identity, 'checking', createdAtOf(done.cart.expire));
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    return (await read(this.ctx, id, o))?.instance ?? null;
  }

  /** ferry's carts (each one server, pending or delivered); with `all`, every other server of the account too. */
  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const out: Instance[] = [];
    const mine = new Set<string>();
    for (const cartId of await this.client.listCarts(o)) {
      const v = await readCart(this.ctx, cartId, o);
      if (!v) continue;
      out.push(v.instance);
      if (v.serviceName) mine.add(v.serviceName);
    }
    if (o?.all) {
      for (const name of await this.client.listServers(o)) {
        if (mine.has(name)) continue;
        const v = await readServer(this.ctx, name, o);
        if (v) out.push(v.instance);
      }
    }
    return out.filter((i) => (o?.all || isManaged(i.labels)) && hasLabels(i.labels, o?.labels));
  }

  override waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    return waitReady(this.ctx, id, o);
  }

  /**
   * Ends the service at the end of its paid month (renew.deleteAtExpiration): the server reads as
   * gone at once and stays billed until then. An order still on its way is waited for first.
   */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    await endService(this.ctx, id, o);
  }

  /**
   * OVH's own termination, in its two steps: ask (OVH emails a token to the admin contact), then
   * confirm with that token. Either way the service ends at the end of the paid month, as
   * destroyInstance's deleteAtExpiration does without the email round trip.
   */
  async requestTermination(id: string, o?: OperationOptions): Promise<string> {
    const v = await read(this.ctx, id, o);
    if (!v?.serviceName) throw new UserError(`ovh server ${id} is not delivered (or already ending)`, 'a termination applies to a delivered service');
    return this.client.terminate(v.serviceName, o);
  }

  async confirmTermination(id: string, token: string, o?: OperationOptions): Promise<string> {
    if (!/^\S{4,200}$/.test(token)) throw new UserError('the termination token is empty or malformed', 'paste the token from OVH\'s termination email');
    const v = await read(this.ctx, id, o);
    if (!v?.serviceName) throw new UserError(`ovh server ${id} is not delivered (or already ending)`, 'a termination applies to a delivered service');
    return this.client.confirmTermination(v.serviceName, token, o);
  }

  /** `ferry reinstall --os`: POST /reinstall with the template and an optional post-installation script; the disks are wiped. */
  async reinstallOs(id: string, image: ImageSpec, o?: OperationOptions & { postInstallScript?: string; sshKey?: string }): Promise<Instance> {
    const v = await read(this.ctx, id, o);
    if (!v?.serviceName) throw new UserError(`ovh server ${id} is not delivered yet`, 'wait for it (`ferry wait`) before a reinstall');
    const plan = await this.catalog.checkPlan(v.instance.size, o).catch(() => null);
    const template = plan ? this.catalog.checkImage(plan, image).replace(/\.en$/, '') : templateToImage(image.kind === 'custom' ? image.id : '').id;
    const customizations: Record<string, string> = {};
    if (o?.postInstallScript) customizations.postInstallationScript = Buffer.from(o.postInstallScript).toString('base64');
    if (o?.sshKey) customizations.sshKey = o.sshKey.trim();
    const task = await this.client.reinstall(v.serviceName, { operatingSystem: template, ...(Object.keys(customizations).length ? { customizations } : {}) }, o);
    if (typeof task.taskId === 'number') await waitTask(this.ctx, v.serviceName, task.taskId, `reinstall of ${template}`, o);
    return this.waitReady(id, o);
  }

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    const dcs = [...new Set((await this.catalog.plans(o)).flatMap((p) => OvhCatalogReader.values(p, 'dedicated_datacenter')))];
    return dcs.map((id) => ({ id, name: id.toUpperCase(), available: true }));
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const currency = await this.catalog.currency();
    const out: Size[] = [];
    for (const p of await this.catalog.plans(o)) {
      const hw = planHardware(p);
      if (!hw) continue;
      const monthly = planPrices(p).find((x) => x.commitmentMonths === 1)?.monthly ?? null;
      out.push({ id: p.planCode!, vcpus: hw.vcpus, memoryGb: hw.memoryGb, diskGb: hw.diskGb, gpu: hw.gpu, gpuCount: hw.gpuCount, regions: OvhCatalogReader.values(p, 'dedicated_datacenter'), priceHourly: null, priceMonthly: monthly, currency });
    }
    return out;
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    const byId = new Map<string, Image>();
    for (const p of await this.catalog.plans(o)) {
      for (const t of OvhCatalogReader.values(p, 'dedicated_os')) {
        const img = templateToImage(t);
        if (!byId.has(img.id)) byId.set(img.id, img);
      }
    }
    return [...byId.values()];
  }
}

export function createProvider(config: ProviderConfig): OvhProvider {
  return new OvhProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(OVH_SERVICES);
