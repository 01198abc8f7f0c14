/**
 * The "acme" driver: everything a provider needs and nothing more, on the provider kit. Instances
 * with labels (so core's create-id lookup and listings just work), validation, and every other
 * service refused with its reason.
 */
import {
  BaseProvider,
  capabilitiesOf,
  collectPages,
  ferryLabels,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  no,
  orNull,
  provide,
  resolveTimeouts,
  statusTable,
  unknownChoice,
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type OperationOptions,
  type ProviderConfig,
  type ProviderDescriptor,
  type Region,
  type ServiceDeclarations,
  type Size,
} from '../../../src/core/index.js';
import { HttpClient, rateLimitStyles } from '../../../src/transport/index.js';

interface AcmeServer {
  id: number;
  name: string;
  region: string;
  size: string;
  image: string | null;
  labels?: Record<string, string> | null;
  status?: string | null;
  ipv4?: string | null;
  created_at?: string | null;
}

const mapStatus = statusTable({ booting: 'new', running: 'active' });
const refused = 'the acme test provider has no such service';

export const ACME_SERVICES: ServiceDeclarations<AcmeProvider> = {
  snapshots: no(refused),
  sshKeys: no(refused),
  networks: no(refused),
  firewalls: no(refused),
  volumes: no(refused),
  power: no(refused),
  offers: no(refused),
  validation: provide('regions and sizes from the API; credentials by one read', (p) => ({
    instanceType: async (size, o) => void (await p.check('size', size, o)),
    region: async (region, o) => void (await p.check('region', region, o)),
    credentials: async (o) => void (await p.http.get('/regions', { signal: o?.signal })),
  })),
  reinstallIpxe: no(refused),
  batchCreate: no(refused),
  batchDestroy: no(refused),
};

function toInstance(s: AcmeServer): Instance {
  return {
    provider: 'acme',
    id: String(s.id),
    name: s.name,
    status: mapStatus(s.status),
    ipv4: s.ipv4 ?? null,
    ipv6: null,
    region: s.region,
    size: s.size,
    image: s.image ?? null,
    labels: s.labels ?? {},
    createdAt: s.created_at ?? '',
  };
}

export class AcmeProvider extends BaseProvider<AcmeProvider> {
  readonly http: HttpClient;

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    super({ name: 'acme', timeouts, services: ACME_SERVICES, ...(config.http?.backoffMs ? { createBackoffMs: config.http.backoffMs } : {}) });
    this.http = new HttpClient({
      provider: 'acme',
      baseUrl: `${config.endpoint}/v1`,
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token: config.credentials.token ?? '' },
      rateLimit: rateLimitStyles.none,
      parseError: (_s, body) => ({ message: (body as { error?: { message?: string } })?.error?.message ?? 'error', code: (body as { error?: { code?: string } })?.error?.code }),
      http: config.http,
    });
  }

  async check(field: 'region' | 'size' | 'image', value: string, o?: OperationOptions): Promise<void> {
    const path = { region: '/regions', size: '/sizes', image: '/images' }[field];
    const key = path.slice(1);
    const all = ((await this.http.get<Record<string, { id: string }[]>>(path, { signal: o?.signal })).body[key] ?? []).map((x) => x.id);
    if (!all.includes(value)) throw unknownChoice('acme', field, value, all);
  }

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    await this.check('region', req.region, o);
    await this.check('size', req.size, o);
    await this.check('image', req.image.kind === 'ubuntu' ? `ubuntu-${req.image.version}` : req.image.kind === 'debian' ? `debian-${req.image.version}` : req.image.id, o);
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    const image = req.image.kind === 'ubuntu' ? `ubuntu-${req.image.version}` : req.image.kind === 'debian' ? `debian-${req.image.version}` : req.image.id;
    const body = { name: req.name, region: req.region, size: req.size, image, labels: ferryLabels(req) };
    return toInstance((await this.http.post<{ server: AcmeServer }>('/servers', body, { signal: o?.signal })).body.server);
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    if (!/^\d+$/.test(id)) return null;
    const res = await orNull(this.http.get<{ server: AcmeServer }>(`/servers/${id}`, { signal: o?.signal }));
    return res ? toInstance(res.body.server) : null;
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const labels = o?.all ? { ...o?.labels } : { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...o?.labels };
    const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const servers = await collectPages<AcmeServer, number>(1, async (page) => {
      const res = await this.http.get<{ servers: AcmeServer[]; next_page: number | null }>('/servers', { query: { label, page, per_page: 25 }, signal: o?.signal });
      return { items: res.body.servers ?? [], next: res.body.next_page ?? undefined };
    });
    return servers.map(toInstance);
  }

  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (/^\d+$/.test(id)) await orNull(this.http.delete(`/servers/${id}`, { signal: o?.signal }));
  }

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    const r = await this.http.get<{ regions: { id: string }[] }>('/regions', { signal: o?.signal });
    return (r.body.regions ?? []).map((x) => ({ id: x.id, name: x.id, available: true }));
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const r = await this.http.get<{ sizes: { id: string; vcpus: number; memory_gb: number; disk_gb: number }[] }>('/sizes', { signal: o?.signal });
    return (r.body.sizes ?? []).map((s) => ({ id: s.id, vcpus: s.vcpus, memoryGb: s.memory_gb, diskGb: s.disk_gb, gpu: null, gpuCount: 0, regions: [], priceHourly: null, priceMonthly: null, currency: 'USD' }));
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    const r = await this.http.get<{ images: { id: string }[] }>('/images', { signal: o?.signal });
    return (r.body.images ?? []).map((i) => ({ id: i.id, name: i.id, distribution: i.id.split('-')[0] ?? null, version: i.id.split('-')[1] ?? null }));
  }
}

export const acmeDescriptor: ProviderDescriptor = {
  name: 'acme',
  title: 'Acme (kit test fixture)',
  kind: 'cloud',
  credentials: [{ key: 'token', env: 'ACME_TOKEN', secret: true, required: true, description: 'API token', example: 'acme-token' }],
  defaultEndpoint: 'http://127.0.0.1:9',
  apiReference: 'test/kit/acme/emulator.ts (a fixture API)',
  prices: { none: 'a test fixture has no prices' },
  load: async () => ({ createProvider: (c) => new AcmeProvider(c), capabilities: capabilitiesOf(ACME_SERVICES) }),
};
