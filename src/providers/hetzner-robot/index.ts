/**
 * The Hetzner Robot driver: dedicated servers through the Robot webservice
 * (https://robot.hetzner.com/doc/webservice/en.html; basic auth, form bodies). A create is an order
 * (POST /order/server/transaction, or /order/server_market/transaction for a server-market id);
 * its transaction id is ferry's instance id, and waitReady follows the transaction to a server
 * number and the server to ready. Destroy is a cancellation at the end of the billing period.
 * The iPXE reinstall is rescue + hardware reset + a kexec chainload over SSH (rescue-ssh.ts).
 *
 * Identity without tags. Ids: `B20150121-344958-251479` (the transaction) while Robot lists the
 * order, i.e. 30 days; a server whose transaction ferry no longer sees is known by its server
 * number (get and destroy take both forms). Name and labels: `<name> k=v …` in the order comment
 * (the only free text an order carries) and, from delivery on, in server_name. The label filter of
 * listInstances works on what decodes from these: a server renamed by hand in Robot loses its
 * labels and so leaves ferry's list (it is never touched by ferry then).
 */
import { randomBytes } from 'node:crypto';
import {
  bareMetalTimeouts,
  BaseProvider,
  capabilitiesOf,
  ferryLabels,
  hasLabels,
  isManaged,
  no,
  provide,
  ProviderError,
  unknownChoice,
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
import { isPublicKey, md5Fingerprint } from '../../core/kit/index.js';
import { ipxeService, readOrder, waitForServerNumber, waitReady, type BareMetalContext } from './bare-metal.js';
import { imageIdOf, RobotCatalog } from './catalog.js';
import { PROVIDER, RobotClient } from './client.js';
import { offersService } from './offers.js';
import { encodeIdentity, isServerNumber, isTransactionId, locationsOf, productToSize, toInstance } from './mapping.js';

/** What preflight resolved: the shelf, the product, the dist and the key fingerprint (registered or not yet). */
interface OrderPlan {
  market: boolean;
  productId: string;
  location: string;
  dist: string;
  key: { fingerprint: string; register?: { name: string; data: string } } | null;
}

export const ROBOT_SERVICES: ServiceDeclarations<HetznerRobotProvider> = {
  snapshots: no('Robot has no snapshots or images of dedicated servers; reinstall from a dist or over iPXE'),
  sshKeys: provide('account SSH keys (GET /key); an order takes one by its MD5 fingerprint, a raw public key is registered once (POST /key)', (p) => ({
    list: async (o) =>
      (await p.client.listKeys(o)).map((k) => ({ id: k.fingerprint ?? '', name: k.name ?? '', fingerprint: k.fingerprint ?? '', publicKey: k.data ?? '' })),
  })),
  networks: no('private networks of dedicated servers are vSwitches (VLANs), which ferry does not manage'),
  firewalls: no('the Robot firewall filters per server in front of its uplink, which ferry does not manage'),
  volumes: no('dedicated servers have no attachable block volumes; disks come with the product'),
  power: no('Robot has resets (POST /reset/{n}: sw, hw, power button) but reports no power state, so ferry cannot wait for off or on'),
  offers: provide('EUR net monthly prices and setup fees per location from /order/server/product, plus the server market (/order/server_market/product); billed by the month', (p) =>
    offersService(p.catalog),
  ),
  validation: provide('products, locations and dists from /order/server/product and the server market; credentials by one authenticated read (GET /key)', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.product(size, o)),
    region: async (region, o) => {
      const ids = locationsOf(await p.catalog.standard(o)).map((r) => r.id);
      if (!ids.includes(region.toUpperCase())) throw unknownChoice(PROVIDER, 'region', region, ids);
    },
    credentials: async (o) => void (await p.client.listKeys(o)),
  })),
  reinstallIpxe: provide(
    'activate the rescue system, hardware reset, then SSH into it (root, the password Robot returns) and kexec iPXE chaining the URL; the disks are not wiped until the script does',
    (p) => ipxeService(p.ctx),
  ),
  batchCreate: no('servers are ordered one transaction at a time'),
  batchDestroy: no('each server is cancelled on its own'),
};

export class HetznerRobotProvider extends BaseProvider<HetznerRobotProvider, OrderPlan> {
  readonly client: RobotClient;
  readonly catalog: RobotCatalog;
  readonly ctx: BareMetalContext;

  constructor(config: ProviderConfig) {
    const timeouts = bareMetalTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    // One send only: an order is a month's bill; after an ambiguous failure the transaction is
    // looked up by its create id (in its comment), never re-sent blind.
    super({ name: PROVIDER, services: ROBOT_SERVICES, timeouts, createAttempts: 1, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new RobotClient(config, timeouts);
    this.catalog = new RobotCatalog(this.client);
    this.ctx = { client: this.client, timeouts };
  }

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<OrderPlan> {
    if (req.userData) throw new UserError('Robot installs take no user data', 'drop --user-data, or configure the server over SSH after delivery');
    if (req.image.kind === 'snapshot') throw new UserError('Robot has no snapshots', 'order a dist (e.g. ubuntu-24.04), or use `ferry reinstall --ipxe <url>` after delivery');
    if ((req.sshKeys ?? []).length > 1) throw new UserError(`${req.sshKeys!.length} SSH keys given`, 'ferry orders Robot servers with one authorized key; pass one --ssh-key');
    const { product, market } = await this.catalog.place(req.size, req.region, o);
    const dist = this.catalog.dist(product, req.image);
    return { market, productId: String(product.id), location: req.region.toUpperCase(), dist, key: await this.planKey(req.sshKeys?.[0], o) };
  }

  private async planKey(key: string | undefined, o?: OperationOptions): Promise<OrderPlan['key']> {
    if (!key) return null;
    const keys = await this.client.listKeys(o);
    if (!isPublicKey(key)) {
      const hit = keys.find((k) => k.name === key || k.fingerprint === key);
      if (!hit?.fingerprint) throw new UserError(`no Robot SSH key named "${key}"`, `valid keys: ${keys.map((k) => k.name).join(', ') || '(none registered)'}`);
      return { fingerprint: hit.fingerprint };
    }
    const fingerprint = md5Fingerprint(key);
    if (keys.some((k) => k.fingerprint === fingerprint)) return { fingerprint };
    return { fingerprint, register: { name: `ferry-${fingerprint.replace(/:/g, '').slice(0, 12)}`, data: key.trim() } };
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o: OperationOptions | undefined, plan: OrderPlan): Promise<Instance> {
    if (plan.key?.register) await this.client.createKey(plan.key.register.name, plan.key.register.data, o);
    // Robot wants an authorized key or a root password: without a key, ferry generates the password
    // and hands it back once (initialRootPassword), as Hetzner Cloud does.
    const password = plan.key ? undefined : randomBytes(18).toString('base64url');
    const tx = await this.client.order(
      plan.market,
      {
        product_id: plan.productId,
        ...(plan.market ? {} : { location: plan.location }),
        dist: plan.dist,
        lang: 'en',
        ...(plan.key ? { 'authorized_key[]': plan.key.fingerprint } : { password }),
        comment: encodeIdentity(req.name, ferryLabels(req)),
      },
      o,
    );
    return { ...toInstance(tx, null), ...(password ? { initialRootPassword: password } : {}) };
  }

  /** Robot cannot filter: the transactions are read and their comments matched. */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    return (await this.listInstances({ ...o, all: true })).find((i) => i.labels['ferry-create-id'] === createId) ?? null;
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    return (await readOrder(this.ctx, id, o))?.instance ?? null;
  }

  /** Orders of the last 30 days (both shelves' transactions) joined to the servers (GET /server, 200 per hour). */
  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const all = [...(await this.client.listTransactions(false, o)), ...(await this.client.listTransactions(true, o))];
    const txs = all.filter((t) => t.id && t.status !== 'cancelled');
    const servers = await this.client.listServers(o);
    const byNumber = new Map(servers.map((s) => [s.server_number, s]));
    const seen = new Set<number>();
    const out: Instance[] = [];
    for (const tx of txs) {
      const server = tx.server_number ? (byNumber.get(tx.server_number) ?? null) : null;
      if (tx.server_number) seen.add(tx.server_number);
      if (server?.cancelled || (tx.server_number && !server)) continue;
      out.push(toInstance(tx, server));
    }
    for (const s of servers) if (s.server_number && !seen.has(s.server_number) && !s.cancelled) out.push(toInstance(null, s));
    return out.filter((i) => (o?.all || isManaged(i.labels)) && hasLabels(i.labels, o?.labels));
  }

  override waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    return waitReady(this.ctx, id, o);
  }

  /**
   * Cancels the server at the end of its billing period (Robot's earliest cancellation date) and
   * reports that date. An order not yet delivered cannot be cancelled through the API, so destroy
   * waits for its server number first (up to the ready timeout). Gone or already cancelled is success.
   */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (!isTransactionId(id) && !isServerNumber(id)) return;
    let v = await readOrder(this.ctx, id, o);
    if (!v) return;
    if (!v.server?.server_number) {
      // Robot cancels servers, not open orders: wait for the server number, then cancel it.
      o?.onProgress?.({ phase: 'ordered', message: `${v.instance.name || id}: order in process; cancelling once Robot assigns the server` });
      v = await waitForServerNumber(this.ctx, id, o);
      if (!v) return;
    }
    const n = v.server!.server_number!;
    const c = await this.client.getCancellation(n, o);
    if (c?.cancelled) return;
    const date = c?.earliest_cancellation_date ?? 'now';
    let billedUntil: string | null | undefined;
    try {
      billedUntil = (await this.client.cancel(n, date, undefined, o)).cancellation_date;
    } catch (err) {
      // A cancel re-sent after its answer was lost meets its own earlier success: that is done.
      if (!ProviderError.is(err, 'conflict')) throw err;
      const now = await this.client.getCancellation(n, o);
      if (!now?.cancelled) throw err;
      billedUntil = now.cancellation_date;
    }
    o?.onProgress?.({ phase: 'cancelled', message: `${v.instance.name || id}: cancelled; billed until ${billedUntil ?? date}` });
  }

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return locationsOf(await this.catalog.standard(o));
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const rows = [...(await this.catalog.standard(o)), ...(await this.catalog.auctions(o))];
    return rows.map(productToSize).filter((s): s is Size => s !== null);
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    const byId = new Map<string, Image>();
    for (const p of await this.catalog.standard(o)) {
      for (const d of p.dist ?? []) {
        if (/rescue/i.test(d)) continue;
        const id = imageIdOf(d);
        const m = /^([a-z]+)-([\d.]+)$/.exec(id);
        if (!byId.has(id)) byId.set(id, { id, name: d, distribution: m?.[1] ?? null, version: m?.[2] ?? null });
      }
    }
    return [...byId.values()];
  }
}

export function createProvider(config: ProviderConfig): HetznerRobotProvider {
  return new HetznerRobotProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(ROBOT_SERVICES);
