/**
 * The Scaleway driver: Instance servers (Instance v1) and Elastic Metal (baremetal v1) under one
 * name. Sizes named EM-… are Elastic Metal offers; ids carry their zone ("fr-par-1/<uuid>", and
 * "em:fr-par-2/<uuid>" for Elastic Metal), so every operation reaches the right API and zone.
 * Ownership and the create id are tags ("managed-by=ferry"), filtered server-side.
 * Instance v1 and VPC v2 follow their OpenAPI 3.1 descriptions and Elastic Metal its 3.0 one; Block
 * Storage v1alpha1, IAM v1alpha1 and Marketplace v2 have no description in ferry's specs folder and
 * follow Scaleway's public API documentation (www.scaleway.com/en/developers/api/).
 */
import {
  BaseProvider,
  capabilitiesOf,
  CREATE_ID_KEY,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  no,
  provide,
  ProviderError,
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
import * as metal from './bare-metal.js';
import { BAREMETAL_ZONES, checkZone, IMAGE_LABELS, INSTANCE_ZONES, isBaremetalSize, ScalewayCatalog } from './catalog.js';
import { ScalewayClient } from './client.js';
import { parseZonedId } from './ids.js';
import { firewallService, networkService, volumeService } from './infrastructure.js';
import * as inst from './instances.js';
import { baremetalToInstance, serverToInstance, sshKeyFromWire, typeToSize } from './mapping.js';
import { offerService } from './offers.js';
import { preflightBaremetal, preflightInstance } from './preflight.js';
import { snapshotService } from './snapshots.js';
import { resolveSshKeys } from './ssh-keys.js';
import { labelsToTags } from './tags.js';

export const SCALEWAY_SERVICES: ServiceDeclarations<ScalewayProvider> = {
  snapshots: provide('Instance servers: the backup action makes a bootable image (Block snapshots of every volume), billed per GB-month until deleted', (p) => snapshotService(p)),
  sshKeys: provide('the project\'s IAM SSH keys; Scaleway installs all of them on new servers; raw public keys are registered once', (p) => ({
    list: async (o) => (await p.client.listSshKeys(p.projectId, o)).map(sshKeyFromWire),
  })),
  networks: provide('VPC v2 private networks in the default zone\'s region, one subnet 10.0.1.0/24; servers join through a private NIC (SCALEWAY_PRIVATE_NETWORK)', (p) => networkService(p.infra)),
  firewalls: provide('Instance security groups in the default zone: stateful, inbound drop, outbound accept, with an SSH rule (tcp/22 from 0.0.0.0/0)', (p) => firewallService(p.infra)),
  volumes: provide('Block Storage (sbs, 5,000 IOPS) volumes, attached by updating the server\'s volume map; billed per GB-month while they exist', (p) => volumeService(p.infra)),
  power: provide('Instance actions poweron/poweroff/reboot and Elastic Metal start/stop/reboot, each waited for; a stopped Instance still bills unless archived, Elastic Metal bills while it exists', (p) => ({
    start: (id, o) => p.power(id, 'start', o),
    stop: (id, o) => p.power(id, 'stop', o),
    reboot: (id, o) => p.power(id, 'reboot', o),
  })),
  validation: provide('zones from the API descriptions, commercial types and offers from the products endpoints, credentials by one authenticated read', (p) => ({
    instanceType: async (size, o) => void (isBaremetalSize(size) ? await p.catalog.checkOffer(size, p.zone, o) : await p.catalog.checkType(size, p.zone, o)),
    region: async (region) => checkZone(region),
    credentials: async (o) => void (await p.client.listSshKeys(p.projectId, o)),
  })),
  offers: provide('net EUR prices (before VAT): Instance /products/servers per zone with GPUs, Elastic Metal offers with setup fee and stock', (p) => offerService(p.catalog)),
  reinstallIpxe: no(metal.NO_IPXE_REASON),
  batchCreate: no('the Instance API creates one server per request'),
  batchDestroy: no('the Instance and Elastic Metal APIs delete one server per request'),
};

export class ScalewayProvider extends BaseProvider<ScalewayProvider> {
  readonly client: ScalewayClient;
  readonly catalog: ScalewayCatalog;
  readonly projectId: string;
  /** The default zone (SCW_DEFAULT_ZONE); networks live in its region. */
  readonly zone: string;
  readonly infra: { client: ScalewayClient; timeouts: ReturnType<typeof resolveTimeouts>; projectId: string; zone: string };
  readonly settings: { privateNetwork?: string; securityGroup?: string };
  /** Requests preflighted in this process, by create id (to finish a create whose answer was lost). */
  private readonly pending = new Map<string, InstanceRequest>();
  /** What preflight resolved, by create id, for the send that follows. */
  readonly resolved = new Map<string, inst.ResolvedCreate | metal.ResolvedBaremetal>();

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'scaleway', services: SCALEWAY_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    const opt = (k: string) => config.credentials[k] ?? config.options?.[k];
    const pageSize = Number(opt('pageSize') ?? 100);
    this.client = new ScalewayClient(config, timeouts, Number.isInteger(pageSize) && pageSize > 0 && pageSize <= 100 ? pageSize : 100);
    this.catalog = new ScalewayCatalog(this.client);
    this.projectId = opt('projectId') ?? '';
    this.zone = opt('zone') ?? 'fr-par-1';
    this.infra = { client: this.client, timeouts, projectId: this.projectId, zone: this.zone };
    this.settings = { privateNetwork: opt('privateNetwork'), securityGroup: opt('securityGroup') };
    this.metalReadyMs = config.timeouts?.instanceReadyMs ?? 4 * 3600_000;
  }

  /** Elastic Metal waits are long: delivery and install take minutes to hours (4 h unless configured). */
  readonly metalReadyMs: number;

  get metal(): metal.BaremetalContext {
    return { client: this.client, timeouts: this.timeouts, projectId: this.projectId };
  }

  /** Instance servers wait as every cloud server; Elastic Metal reports its delivery and install stages. */
  override async waitReady(id: string, o?: OperationOptions): Promise<Instance> {
    const ref = parseZonedId(id);
    if (ref?.api !== 'baremetal') return super.waitReady(id, o);
    return metal.waitBaremetalReady(this.metal, ref.zone, ref.id, this.metalReadyMs, o);
  }

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    const resolved = isBaremetalSize(req.size) ? await preflightBaremetal(this, req, o) : await preflightInstance(this, req, o);
    this.resolved.set(req.createId, resolved);
    this.pending.set(req.createId, req);
    // Kept for the lookups of an interrupted create; the oldest go once many creates have passed.
    for (const m of [this.resolved, this.pending] as Map<string, unknown>[]) while (m.size > 256) m.delete(m.keys().next().value!);
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    const r = this.resolved.get(req.createId) ?? (await (isBaremetalSize(req.size) ? preflightBaremetal(this, req, o) : preflightInstance(this, req, o)));
    // Raw public keys are registered now (preflight only reads): Instance servers get every project key.
    const keys = await resolveSshKeys(this.client, this.projectId, req.sshKeys ?? [], true, o);
    if ('offerId' in r) return metal.createBaremetal(this.metal, req, { ...r, sshKeyIds: keys.length ? keys : r.sshKeyIds }, o);
    return inst.createServer(this.infra, req, r, o);
  }

  /**
   * The server a create id made. When this process sent that create (an answer lost, a caller's
   * retry) and the server is still stopped, the create's remaining steps are finished first.
   */
  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const [found] = await this.listInstances({ ...o, labels: { [CREATE_ID_KEY]: createId } });
    const pending = this.pending.get(createId);
    const ref = found && parseZonedId(found.id);
    if (!found || !pending || ref?.api !== 'instance' || found.status.raw !== 'stopped') return found ?? null;
    const r = this.resolved.get(createId);
    const server = await this.client.getServer(ref.zone, ref.id, o);
    if (!server || !r || 'offerId' in r) return found;
    return inst.finishCreate(this.infra, pending, r, server, o);
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const ref = parseZonedId(id);
    if (!ref) return null;
    if (ref.api === 'baremetal') {
      if (!(BAREMETAL_ZONES as readonly string[]).includes(ref.zone)) return null;
      const b = await metal.getBaremetal(this.metal, ref.zone, ref.id, o);
      return b ? baremetalToInstance(b) : null;
    }
    if (!(INSTANCE_ZONES as readonly string[]).includes(ref.zone)) return null;
    const s = await this.client.getServer(ref.zone, ref.id, o);
    return s ? serverToInstance(s) : null;
  }

  /** Every zone of both APIs, each filtered server-side on ferry's tags (exact tags), every page. */
  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const labels = o?.all ? { ...o?.labels } : { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...o?.labels };
    const tags = labelsToTags(labels);
    const asked = (zones: readonly string[]) => (o?.regions ? zones.filter((z) => o.regions!.includes(z)) : zones);
    const instances = await Promise.all(
      asked(INSTANCE_ZONES).map(async (zone) => (await this.client.listServers(zone, tags.length ? { tags: tags.join(',') } : {}, o)).map(serverToInstance)),
    );
    const metals = await Promise.all(asked(BAREMETAL_ZONES).map(async (zone) => (await metal.listBaremetal(this.metal, zone, tags, o)).map(baremetalToInstance)));
    return [...instances.flat(), ...metals.flat()];
  }

  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    const ref = parseZonedId(id);
    const zones: readonly string[] = ref?.api === 'baremetal' ? BAREMETAL_ZONES : INSTANCE_ZONES;
    if (!ref || !zones.includes(ref.zone)) return;
    if (ref.api === 'baremetal') return metal.deleteBaremetal(this.metal, ref.zone, ref.id, o);
    await inst.removeServer(this.infra, ref.zone, ref.id, o);
  }

  async power(id: string, action: 'start' | 'stop' | 'reboot', o?: OperationOptions): Promise<Instance> {
    const ref = parseZonedId(id);
    const zones: readonly string[] = ref?.api === 'baremetal' ? BAREMETAL_ZONES : INSTANCE_ZONES;
    if (!ref || !zones.includes(ref.zone)) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: id, message: `server ${id} not found (ids look like fr-par-1/<uuid>)` });
    if (ref.api === 'baremetal') return metal.powerBaremetal(this.metal, ref.zone, ref.id, action, o);
    return inst.power(this.infra, ref.zone, ref.id, action === 'start' ? 'poweron' : action === 'stop' ? 'poweroff' : 'reboot', o);
  }

  async listRegions(): Promise<Region[]> {
    const zones = [...new Set<string>([...INSTANCE_ZONES, ...BAREMETAL_ZONES])];
    return zones.map((z) => ({ id: z, name: `${z}${(BAREMETAL_ZONES as readonly string[]).includes(z) ? ' (Instances, Elastic Metal)' : ' (Instances)'}`, available: true }));
  }

  /** Commercial types of every zone, each with the zones that sell it (prices are the same in every zone). */
  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const perZone = await Promise.all(INSTANCE_ZONES.map(async (zone) => [zone, await this.catalog.types.get(zone, o)] as const));
    const sizes = new Map<string, Size>();
    for (const [zone, types] of perZone) {
      for (const [name, t] of Object.entries(types)) {
        if (t.end_of_service) continue;
        const known = sizes.get(name);
        if (known) known.regions.push(zone);
        else sizes.set(name, typeToSize(name, t, [zone]));
      }
    }
    return [...sizes.values()];
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    const byLabel = new Map(Object.entries(IMAGE_LABELS).map(([spec, label]) => [label, spec]));
    return (await this.client.listMarketplaceImages(o)).map((i) => {
      const spec = byLabel.get(i.label);
      return { id: spec ?? i.label, name: i.name, distribution: spec ? spec.split('-')[0]! : null, version: spec ? spec.split('-')[1]! : null };
    });
  }
}

export function createProvider(config: ProviderConfig): ScalewayProvider {
  if (!config.credentials.secretKey) throw new UserError('Scaleway secret key missing', 'set SCW_SECRET_KEY (or SCALEWAY_SECRET_KEY)');
  return new ScalewayProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(SCALEWAY_SERVICES);
