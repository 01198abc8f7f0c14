/**
 * The Cherry Servers bare-metal driver. Follows https://api.cherryservers.com/doc/ as modelled by
 * the official clients (github.com/cherryservers/cherrygo, cherryservers-sdk-python) and the
 * Terraform provider's deploy waits. Servers live in a project of a team; ferry's labels are the
 * server's tags (a key/value map the create takes), so ownership is set in the same request.
 */
import {
  bareMetalTimeouts,
  BaseProvider,
  capabilitiesOf,
  ferryLabels,
  formatImageSpec,
  hasLabels,
  isManaged,
  listChoices,
  no,
  provide,
  ProviderError,
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
import { readServer, resolvePlacement, resolveSshKeys, type Placement } from './account.js';
import { ipxeService, readInstance, toId, waitThroughStages, type BareMetalContext } from './bare-metal.js';
import { CherryClient } from './client.js';
import { imageSlug, imageToImage, planOffers, planRegions, planToSize, regionToRegion, sshKeyFromWire, stockAt } from './mapping.js';
import { powerService } from './power.js';
import type { CsPlan } from './schema.js';

const USER_DATA_MAX = 64 * 1024;

export const CHERRY_SERVICES: ServiceDeclarations<CherryProvider> = {
  snapshots: no('Cherry Servers bare-metal servers have no snapshots; rebuild from an image or over iPXE'),
  sshKeys: provide('account SSH keys; raw public keys are registered once and found by their text after', (p) => ({
    list: async (o) => (await p.client.listSshKeys(o)).map(sshKeyFromWire),
  })),
  networks: no('Cherry Servers gives every project a private network per region by itself; there is no network to create'),
  firewalls: no('Cherry Servers has no firewall API; filter traffic on the server itself'),
  volumes: no('Cherry Servers elastic block storage (the storages API) is not driven by ferry yet'),
  power: provide('POST /servers/{id}/actions power_on, power_off, reboot; a server that is off is still billed', (p) => powerService(p.bareMetal)),
  validation: provide('plans, regions and images from the API; credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (await p.planOrThrow(size, o)),
    region: async (region, o) => {
      const regions = (await p.client.listRegions(o)).map(regionToRegion).map((r) => r.id);
      if (!regions.includes(region)) throw new UserError(`unknown Cherry Servers region "${region}"`, `valid regions: ${listChoices(regions)}`);
    },
    credentials: async (o) => void (await p.client.listTeams(o)),
  })),
  offers: provide('per plan and region from the team\'s plans: the cycle ferry orders (hourly by default, or monthly paid in advance), stock per region; prices as Cherry states them (taxed flag kept)', (p) => ({
    list: async (o) => {
      const { teamId } = await p.placement(o);
      return (await p.client.listPlans(teamId, o)).flatMap((plan) => planOffers(plan, new Date().toISOString(), p.cycle));
    },
  })),
  reinstallIpxe: provide('a rebuild whose user data is the chain script "#!ipxe / chain <url>"; the disks are wiped', (p) => ipxeService(p.bareMetal)),
  batchCreate: no('POST /projects/{id}/servers deploys one server per request'),
  batchDestroy: no('servers are removed one request each'),
};

export class CherryProvider extends BaseProvider<CherryProvider> {
  readonly client: CherryClient;
  readonly bareMetal: BareMetalContext;
  readonly cycle: 'hourly' | 'monthly';
  private readonly wanted: { team?: string; project?: string };
  private placed: Placement | undefined;

  constructor(config: ProviderConfig) {
    const timeouts = bareMetalTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'cherry', services: CHERRY_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.client = new CherryClient(config, timeouts);
    this.bareMetal = { client: this.client, timeouts, timeScale: config.http?.timeScale ?? 1 };
    const cycle = config.options?.cycle ?? 'hourly';
    if (cycle !== 'hourly' && cycle !== 'monthly') throw new UserError(`invalid Cherry Servers billing cycle "${cycle}"`, 'CHERRY_CYCLE is hourly or monthly');
    this.cycle = cycle;
    this.wanted = {
      ...(config.options?.team ? { team: config.options.team } : {}),
      ...(config.options?.project ? { project: config.options.project } : {}),
    };
  }

  async placement(o?: OperationOptions): Promise<Placement> {
    this.placed ??= await resolvePlacement(this.client, this.wanted, o);
    return this.placed;
  }

  async planOrThrow(size: string, o?: OperationOptions): Promise<CsPlan> {
    const plans = await this.client.listPlans((await this.placement(o)).teamId, o);
    const plan = plans.find((p) => p.slug === size);
    if (!plan) throw new UserError(`unknown Cherry Servers plan "${size}"`, `valid plans: ${listChoices(plans.map((p) => p.slug ?? '?'))}`);
    return plan;
  }

  private outOfStock(req: InstanceRequest, cause?: unknown): ProviderError {
    return new ProviderError({
      kind: 'capacity',
      provider: this.name,
      subject: `${req.size}@${req.region}`,
      message: `plan ${req.size} is out of stock in ${req.region}; no order was placed`,
      ...(cause ? { cause } : {}),
    });
  }

  // instances

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    const plan = await this.planOrThrow(req.size, o);
    const regions = planRegions(plan);
    if (!regions.includes(req.region)) throw new UserError(`plan ${req.size} is not sold in region "${req.region}"`, `regions of ${req.size}: ${listChoices(regions)}`);
    const images = (await this.client.listImages(req.size, o)).map(imageToImage);
    const slug = imageSlug(req.image);
    if (!slug) throw new UserError('Cherry Servers has no snapshots to boot from', `choose an image: ${listChoices(images.map((i) => i.id))}`);
    if (!images.some((i) => i.id === slug)) {
      throw new UserError(`unknown Cherry Servers image "${formatImageSpec(req.image)}" (${slug}) for ${req.size}`, `valid images: ${listChoices(images.map((i) => i.id))}`);
    }
    if (req.userData && Buffer.byteLength(req.userData) > USER_DATA_MAX) throw new UserError('user data is larger than 64 KiB', 'shorten the script');
    await resolveSshKeys(this.client, req.sshKeys ?? [], false, o);
    if (stockAt(plan, req.region) <= 0) throw this.outOfStock(req);
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    const { teamId, projectId } = await this.placement(o);
    const keys = await resolveSshKeys(this.client, req.sshKeys ?? [], true, o);
    try {
      const s = await this.client.createServer(
        projectId,
        {
          plan: req.size,
          region: req.region,
          image: imageSlug(req.image)!,
          hostname: req.name,
          tags: ferryLabels(req),
          spot_market: false,
          cycle: this.cycle,
          ...(keys.length ? { ssh_keys: keys } : {}),
          ...(req.userData ? { user_data: Buffer.from(req.userData).toString('base64') } : {}),
        },
        o,
      );
      const inst = await readServer(this.client, s, o);
      if (!inst) throw new ProviderError({ kind: 'api', provider: this.name, message: `server ${s.id} was terminating right after its create` });
      return inst;
    } catch (err) {
      // The stock may have gone since the preflight: the plan's stock says so, not the message.
      if (ProviderError.is(err, 'invalid_config')) {
        const plan = (await this.client.listPlans(teamId, o)).find((p) => p.slug === req.size);
        if (plan && stockAt(plan, req.region) <= 0) throw this.outOfStock(req, err);
      }
      throw err;
    }
  }

  override waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    return waitThroughStages(this.bareMetal, id, 'deploy', o);
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    return readInstance(this.bareMetal, id, o);
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const { projectId } = await this.placement(o);
    const out: Instance[] = [];
    for (const s of await this.client.listServers(projectId, o)) {
      const inst = await readServer(this.client, s, o);
      if (inst && (o?.all || isManaged(inst.labels)) && hasLabels(inst.labels, o?.labels)) out.push(inst);
    }
    return out;
  }

  /** Termination is immediate and stops the hardware's charges; a server already terminating is done. */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    const n = toId(id);
    if (n === null) return;
    const s = await this.client.getServer(n, o);
    if (!s || s.state === 'terminating') return;
    await this.client.deleteServer(n, o);
  }

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.client.listRegions(o)).map(regionToRegion);
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    return (await this.client.listPlans((await this.placement(o)).teamId, o)).map(planToSize);
  }

  /** Images are per plan: every image of every plan, once. */
  async listImages(o?: OperationOptions): Promise<Image[]> {
    const seen = new Map<string, Image>();
    for (const plan of await this.client.listPlans((await this.placement(o)).teamId, o)) {
      if (!plan.slug) continue;
      for (const img of await this.client.listImages(plan.slug, o)) {
        const mapped = imageToImage(img);
        if (!seen.has(mapped.id)) seen.set(mapped.id, mapped);
      }
    }
    return [...seen.values()];
  }
}

export function createProvider(config: ProviderConfig): CherryProvider {
  return new CherryProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(CHERRY_SERVICES);
