/** DigitalOcean API v2 wire calls. One method per endpoint; pagination is one page here, iterated by core. */
import { collectNumberedPages, orNull, pagesFor, ProviderError, type NumberedPage, type OperationOptions, type PagedOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, hourlyLimit, type QueryValue, type RateLimitStyle } from '../../transport/index.js';

/** The burst limit DigitalOcean documents beside the hourly one; no header counts it. */
export const DIGITALOCEAN_MINUTE_LIMIT = { limit: 250, windowMs: 60_000 };

const hourly = hourlyLimit('ratelimit-limit', 'ratelimit-remaining', [DIGITALOCEAN_MINUTE_LIMIT]);

/**
 * Both documented limits: ratelimit-limit / -remaining count 5,000 requests an hour, each freed an
 * hour after it was made; 250 a minute is kept by the budget itself. A 429 with Retry-After is the
 * burst limit: its "remaining: 0" is the minute's, so it says nothing of the hour.
 */
export const DIGITALOCEAN_RATE_LIMIT: RateLimitStyle = (h) => {
  const r = hourly(h);
  return r && h.get('retry-after') !== null ? { ...r, remaining: undefined } : r;
};
import { parseDoError, PROVIDER } from './mapping.js';
import { DIGITALOCEAN_API } from './meta.js';
import type {
  DoAccount,
  DoAction,
  DoDroplet,
  DoDropletCreate,
  DoDropletSnapshot,
  DoFirewall,
  DoFirewallCreate,
  DoImage,
  DoLinks,
  DoMeta,
  DoRegion,
  DoSize,
  DoSnapshot,
  DoSshKey,
  DoVolume,
  DoVolumeAction,
  DoVolumeCreate,
  DoVpc,
  DoVpcCreate,
} from './schema.js';

/** The API's maximum page size: fewest requests against the hourly budget. */
export const MAX_PER_PAGE = 200;

type Query = Record<string, QueryValue>;

export class DoClient {
  readonly http: HttpClient;
  private readonly perPage: number;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    const token = config.credentials.token ?? '';
    this.http = new HttpClient({
      provider: PROVIDER,
      baseUrl: config.endpoint ?? DIGITALOCEAN_API,
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token },
      rateLimit: DIGITALOCEAN_RATE_LIMIT,
      parseError: (status, body) => parseDoError(status, body),
      requestIdHeader: 'x-request-id',
      http: config.http,
    });
    const size = Number(config.options?.pageSize ?? MAX_PER_PAGE);
    this.perPage = Number.isInteger(size) && size >= 1 && size <= MAX_PER_PAGE ? size : MAX_PER_PAGE;
  }

  /** One page of a list; the next cursor comes from links.pages.next, or meta.total when links are absent. */
  async page<T>(path: string, key: string, query: Query, page: number, o?: OperationOptions): Promise<NumberedPage<T>> {
    const res = await this.http.get<Record<string, unknown> & { links?: DoLinks; meta?: DoMeta }>(path, {
      query: { ...query, page, per_page: this.perPage },
      signal: o?.signal,
    });
    const items = (res.body?.[key] ?? []) as T[];
    const next = nextPage(res.body?.links, res.body?.meta, page, this.perPage, items.length);
    return { items, next, lastPage: next === undefined ? undefined : lastPageOf(res.body?.links, res.body?.meta, this.perPage) };
  }

  list<T>(path: string, key: string, query: Query = {}, o?: PagedOptions): Promise<T[]> {
    return collectNumberedPages<T>((n) => this.page<T>(path, key, query, n, o), { expectedPages: pagesFor(o?.expected, this.perPage) });
  }

  async createDroplet(body: DoDropletCreate, o?: OperationOptions): Promise<DoDroplet> {
    return (await this.http.post<{ droplet: DoDroplet }>('/v2/droplets', body, { signal: o?.signal })).body.droplet;
  }

  /** Multi-create: one request, up to ten droplets of one spec (`names`). */
  async createDroplets(body: Omit<DoDropletCreate, 'name'> & { names: string[] }, o?: OperationOptions): Promise<DoDroplet[]> {
    const res = await this.http.post<{ droplets?: DoDroplet[] }>('/v2/droplets', body, { signal: o?.signal });
    const droplets = res.body?.droplets;
    if (!Array.isArray(droplets)) throw new ProviderError({ kind: 'api', provider: PROVIDER, message: 'a multi-create answered without a droplets list' });
    return droplets;
  }

  async getDroplet(id: string, o?: OperationOptions): Promise<DoDroplet | null> {
    if (!/^\d+$/.test(id)) return null;
    const res = await orNull(this.http.get<{ droplet?: DoDroplet }>(`/v2/droplets/${id}`, { signal: o?.signal }));
    return res?.body?.droplet ?? null;
  }

  /** Idempotent: a droplet that is already gone is success. */
  async deleteDroplet(id: string, o?: OperationOptions): Promise<void> {
    if (!/^\d+$/.test(id)) return;
    await orNull(this.http.delete(`/v2/droplets/${id}`, { signal: o?.signal }));
  }

  /** Every droplet carrying `tag` (asynchronous on DigitalOcean's side: 204 at once). */
  async deleteDropletsByTag(tag: string, o?: OperationOptions): Promise<void> {
    await this.http.delete('/v2/droplets', { query: { tag_name: tag }, signal: o?.signal });
  }

  listDroplets(query: Query, o?: PagedOptions): Promise<DoDroplet[]> {
    return this.list<DoDroplet>('/v2/droplets', 'droplets', query, o);
  }

  async dropletAction(id: string, body: { type: string; name?: string }, o?: OperationOptions): Promise<DoAction> {
    return (await this.http.post<{ action: DoAction }>(`/v2/droplets/${id}/actions`, body, { signal: o?.signal })).body.action;
  }

  async getAction(id: number, o?: OperationOptions): Promise<DoAction> {
    return (await this.http.get<{ action: DoAction }>(`/v2/actions/${id}`, { signal: o?.signal })).body.action;
  }

  dropletSnapshots(id: string, o?: OperationOptions): Promise<DoDropletSnapshot[]> {
    return this.list<DoDropletSnapshot>(`/v2/droplets/${id}/snapshots`, 'snapshots', {}, o);
  }

  listSnapshots(o?: OperationOptions): Promise<DoSnapshot[]> {
    return this.list<DoSnapshot>('/v2/snapshots', 'snapshots', { resource_type: 'droplet' }, o);
  }

  /** Idempotent: a snapshot that is already gone is success. */
  async deleteSnapshot(id: string, o?: OperationOptions): Promise<void> {
    if (!/^\d+$/.test(id)) return;
    await orNull(this.http.delete(`/v2/snapshots/${id}`, { signal: o?.signal }));
  }

  listKeys(o?: OperationOptions): Promise<DoSshKey[]> {
    return this.list<DoSshKey>('/v2/account/keys', 'ssh_keys', {}, o);
  }

  async createKey(name: string, publicKey: string, o?: OperationOptions): Promise<DoSshKey> {
    return (await this.http.post<{ ssh_key: DoSshKey }>('/v2/account/keys', { name, public_key: publicKey }, { signal: o?.signal })).body.ssh_key;
  }

  listSizes(o?: OperationOptions): Promise<DoSize[]> {
    return this.list<DoSize>('/v2/sizes', 'sizes', {}, o);
  }

  listRegions(o?: OperationOptions): Promise<DoRegion[]> {
    return this.list<DoRegion>('/v2/regions', 'regions', {}, o);
  }

  listDistributionImages(o?: OperationOptions): Promise<DoImage[]> {
    return this.list<DoImage>('/v2/images', 'images', { type: 'distribution' }, o);
  }

  async getImage(idOrSlug: string | number, o?: OperationOptions): Promise<DoImage | null> {
    const res = await orNull(this.http.get<{ image?: DoImage }>(`/v2/images/${encodeURIComponent(String(idOrSlug))}`, { signal: o?.signal }));
    return res?.body?.image ?? null;
  }

  // firewalls and volumes: ids are UUIDs, so anything else is a missing one without a request

  listFirewalls(o?: OperationOptions): Promise<DoFirewall[]> {
    return this.list<DoFirewall>('/v2/firewalls', 'firewalls', {}, o);
  }

  async createFirewall(body: DoFirewallCreate, o?: OperationOptions): Promise<DoFirewall> {
    return (await this.http.post<{ firewall: DoFirewall }>('/v2/firewalls', body, { signal: o?.signal })).body.firewall;
  }

  /** Idempotent: a firewall that is already gone is success. */
  async deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    if (!isUuid(id)) return;
    await orNull(this.http.delete(`/v2/firewalls/${id}`, { signal: o?.signal }));
  }

  /** GET /v2/volumes filtered by name (and region): names are unique per region. */
  listVolumes(query: { name?: string; region?: string }, o?: OperationOptions): Promise<DoVolume[]> {
    return this.list<DoVolume>('/v2/volumes', 'volumes', query, o);
  }

  async getVolume(id: string, o?: OperationOptions): Promise<DoVolume | null> {
    if (!isUuid(id)) return null;
    const res = await orNull(this.http.get<{ volume?: DoVolume }>(`/v2/volumes/${id}`, { signal: o?.signal }));
    return res?.body?.volume ?? null;
  }

  async createVolume(body: DoVolumeCreate, o?: OperationOptions): Promise<DoVolume> {
    return (await this.http.post<{ volume: DoVolume }>('/v2/volumes', body, { signal: o?.signal })).body.volume;
  }

  async volumeAction(id: string, body: DoVolumeAction, o?: OperationOptions): Promise<DoAction> {
    return (await this.http.post<{ action: DoAction }>(`/v2/volumes/${id}/actions`, body, { signal: o?.signal })).body.action;
  }

  /** Idempotent: a volume that is already gone is success. */
  async deleteVolume(id: string, o?: OperationOptions): Promise<void> {
    if (!isUuid(id)) return;
    await orNull(this.http.delete(`/v2/volumes/${id}`, { signal: o?.signal }));
  }

  listVpcs(o?: OperationOptions): Promise<DoVpc[]> {
    return this.list<DoVpc>('/v2/vpcs', 'vpcs', {}, o);
  }

  async createVpc(body: DoVpcCreate, o?: OperationOptions): Promise<DoVpc> {
    return (await this.http.post<{ vpc: DoVpc }>('/v2/vpcs', body, { signal: o?.signal })).body.vpc;
  }

  /** Idempotent: a VPC that is already gone is success. */
  async deleteVpc(id: string, o?: OperationOptions): Promise<void> {
    if (!isUuid(id)) return;
    await orNull(this.http.delete(`/v2/vpcs/${id}`, { signal: o?.signal }));
  }

  async getAccount(o?: OperationOptions): Promise<DoAccount> {
    return (await this.http.get<{ account: DoAccount }>('/v2/account', { signal: o?.signal })).body.account;
  }
}

export function nextPage(links: DoLinks | undefined, meta: DoMeta | undefined, page: number, perPage: number, got: number): number | undefined {
  const next = links?.pages?.next;
  if (next) {
    const n = Number(new URL(next, DIGITALOCEAN_API).searchParams.get('page'));
    return Number.isInteger(n) && n > page ? n : page + 1;
  }
  if (links?.pages) return undefined;
  return meta && got > 0 && page * perPage < meta.total ? page + 1 : undefined;
}

/** The last page's number: links.pages.last, else meta.total over the page size. */
function lastPageOf(links: DoLinks | undefined, meta: DoMeta | undefined, perPage: number): number | undefined {
  const last = links?.pages?.last;
  if (last) {
    const n = Number(new URL(last, DIGITALOCEAN_API).searchParams.get('page'));
    return Number.isInteger(n) && n >= 1 ? n : undefined;
  }
  const total = meta?.total;
  return typeof total === 'number' && Number.isFinite(total) && total >= 0 ? Math.ceil(total / perPage) : undefined;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID_RE.test(id);
}
