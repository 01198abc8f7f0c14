/** Wire calls to Scaleway's APIs: one method per request, one page per list call (core iterates). */
import { collectNumberedPages, ProviderError, sleep, type Fetch, type FetchResponse, type NumberedPage, type OperationOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { defaultFetch, HttpClient, kindForStatus, retryableStatus, type QueryValue } from '../../transport/index.js';
import { parseScalewayError, scalewayRateLimit } from './errors.js';
import type {
  ScwBlockVolume,
  ScwCreateServerRequest,
  ScwImage,
  ScwLocalImage,
  ScwMarketplaceImage,
  ScwPrivateNetwork,
  ScwPrivateNic,
  ScwSecurityGroup,
  ScwSecurityGroupRuleRequest,
  ScwServer,
  ScwServerType,
  ScwSshKey,
  ScwTask,
} from './schema.js';

export const DEFAULT_ENDPOINT = 'https://api.scaleway.com';
type Query = Record<string, QueryValue>;

const enc = encodeURIComponent;

export class ScalewayClient {
  readonly http: HttpClient;
  readonly endpoint: string;
  /** Items per page of list calls (Instance per_page, newer APIs page_size); 100 is the APIs' maximum. */
  readonly pageSize: number;
  private readonly secret: string;
  private readonly fetchFn: Fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts, pageSize = 100) {
    this.secret = config.credentials.secretKey ?? '';
    this.endpoint = (config.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.pageSize = pageSize;
    this.fetchFn = config.http?.fetch ?? defaultFetch;
    this.timeoutMs = timeouts.httpRequestMs;
    this.retries = config.http?.maxRetries ?? 4;
    this.backoffMs = config.http?.backoffMs ?? ((n) => Math.min(8_000, 500 * 2 ** n));
    this.http = new HttpClient({
      provider: 'scaleway',
      baseUrl: this.endpoint,
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'header', name: 'X-Auth-Token', value: this.secret, secret: this.secret },
      rateLimit: scalewayRateLimit,
      parseError: (status, body) => parseScalewayError(status, body),
      requestIdHeader: 'x-request-id',
      http: config.http,
    });
  }

  /** Instance v1 paging: ?page=&per_page=, the total in X-Total-Count. */
  private async instancePage<T>(path: string, key: string, query: Query, page: number, o?: OperationOptions): Promise<NumberedPage<T>> {
    const res = await this.http.get<Record<string, unknown>>(path, { query: { ...query, page, per_page: this.pageSize }, signal: o?.signal });
    const items = (res.body?.[key] ?? []) as T[];
    if (!Array.isArray(items)) throw new ProviderError({ kind: 'api', provider: 'scaleway', message: `GET ${path}: "${key}" is not a list` });
    const total = res.headers.get('x-total-count') === null ? NaN : Number(res.headers.get('x-total-count'));
    return this.numbered(items, page, total);
  }

  /** The newer APIs' paging: ?page=&page_size=, `total_count` in the body. */
  private async modernPage<T>(path: string, key: string, query: Query, page: number, o?: OperationOptions): Promise<NumberedPage<T>> {
    const res = await this.http.get<Record<string, unknown>>(path, { query: { ...query, page, page_size: this.pageSize }, signal: o?.signal });
    const items = (res.body?.[key] ?? []) as T[];
    if (!Array.isArray(items)) throw new ProviderError({ kind: 'api', provider: 'scaleway', message: `GET ${path}: "${key}" is not a list` });
    return this.numbered(items, page, Number(res.body?.total_count));
  }

  /** The next page from the total when there is one (else from a full page), and the last one. */
  private numbered<T>(items: T[], page: number, total: number): NumberedPage<T> {
    const known = Number.isFinite(total) && total >= 0;
    const more = known ? page * this.pageSize < total : items.length === this.pageSize;
    if (!more || items.length === 0) return { items, next: undefined };
    return { items, next: page + 1, ...(known ? { lastPage: Math.ceil(total / this.pageSize) } : {}) };
  }

  listInstance<T>(path: string, key: string, query: Query = {}, o?: OperationOptions): Promise<T[]> {
    return collectNumberedPages<T>((p) => this.instancePage<T>(path, key, query, p, o));
  }
  listModern<T>(path: string, key: string, query: Query = {}, o?: OperationOptions): Promise<T[]> {
    return collectNumberedPages<T>((p) => this.modernPage<T>(path, key, query, p, o));
  }

  /** GET of one resource; null on 404. */
  async getOrNull<T>(path: string, o?: OperationOptions): Promise<T | null> {
    try {
      return (await this.http.get<T>(path, { signal: o?.signal })).body;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  /** DELETE treating 404 as done. */
  async deleteIfExists(path: string, o?: OperationOptions): Promise<void> {
    try {
      await this.http.delete(path, { signal: o?.signal });
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }

  // Instance v1: servers
  private srv = (zone: string) => `/instance/v1/zones/${enc(zone)}/servers`;
  listServers(zone: string, query: Query, o?: OperationOptions): Promise<ScwServer[]> {
    return this.listInstance<ScwServer>(this.srv(zone), 'servers', query, o);
  }
  async getServer(zone: string, id: string, o?: OperationOptions): Promise<ScwServer | null> {
    return (await this.getOrNull<{ server: ScwServer }>(`${this.srv(zone)}/${enc(id)}`, o))?.server ?? null;
  }
  async createServer(zone: string, body: ScwCreateServerRequest, o?: OperationOptions): Promise<ScwServer> {
    return (await this.http.post<{ server: ScwServer }>(this.srv(zone), body, { signal: o?.signal })).body.server;
  }
  async updateServer(zone: string, id: string, body: Record<string, unknown>, o?: OperationOptions): Promise<ScwServer> {
    return (await this.http.patch<{ server: ScwServer }>(`${this.srv(zone)}/${enc(id)}`, body, { signal: o?.signal })).body.server;
  }
  deleteServer(zone: string, id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`${this.srv(zone)}/${enc(id)}`, o);
  }
  async serverAction(zone: string, id: string, body: { action: string; name?: string }, o?: OperationOptions): Promise<ScwTask> {
    return (await this.http.post<{ task: ScwTask }>(`${this.srv(zone)}/${enc(id)}/action`, body, { signal: o?.signal })).body.task;
  }

  /**
   * PATCH …/user_data/{key} with a text/plain body, as the API requires (the transport speaks JSON
   * and forms, so this one call goes through the injected fetch itself, with the same auth and errors).
   */
  async setUserData(zone: string, id: string, key: string, text: string, o?: OperationOptions): Promise<void> {
    // Setting the same user data again is harmless: retried like the transport retries its calls.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.setUserDataOnce(zone, id, key, text, o);
      } catch (err) {
        if (!ProviderError.is(err) || !err.retryable || attempt >= this.retries) throw err;
        await sleep(err.retryAfterMs ?? this.backoffMs(attempt), o?.signal);
      }
    }
  }

  private async setUserDataOnce(zone: string, id: string, key: string, text: string, o?: OperationOptions): Promise<void> {
    const url = `${this.endpoint}${this.srv(zone)}/${enc(id)}/user_data/${enc(key)}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: FetchResponse;
    try {
      res = await this.fetchFn(url, {
        method: 'PATCH',
        headers: { 'X-Auth-Token': this.secret, 'content-type': 'text/plain', accept: 'application/json', 'user-agent': 'ferry' },
        body: text,
        signal: o?.signal ? AbortSignal.any([o.signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new ProviderError({ kind: 'network', provider: 'scaleway', message: `PATCH user_data of server ${id} failed: ${(err as Error).name}`, cause: err });
    }
    const body = await res.text();
    if (res.ok) return;
    let parsed: unknown = body;
    try {
      parsed = JSON.parse(body);
    } catch {
      /* keep the text */
    }
    const p = parseScalewayError(res.status, parsed);
    const kind = p.kind ?? kindForStatus(res.status);
    throw new ProviderError({ kind, provider: 'scaleway', status: res.status, subject: p.code, message: p.message, retryable: p.retryable ?? retryableStatus(res.status) });
  }

  listPrivateNics(zone: string, serverId: string, o?: OperationOptions): Promise<ScwPrivateNic[]> {
    return this.listInstance<ScwPrivateNic>(`${this.srv(zone)}/${enc(serverId)}/private_nics`, 'private_nics', {}, o);
  }
  async createPrivateNic(zone: string, serverId: string, privateNetworkId: string, o?: OperationOptions): Promise<ScwPrivateNic> {
    const path = `${this.srv(zone)}/${enc(serverId)}/private_nics`;
    return (await this.http.post<{ private_nic: ScwPrivateNic }>(path, { private_network_id: privateNetworkId }, { signal: o?.signal })).body.private_nic;
  }
  deletePrivateNic(zone: string, serverId: string, nicId: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`${this.srv(zone)}/${enc(serverId)}/private_nics/${enc(nicId)}`, o);
  }

  // Instance v1: products and images
  async listServerTypes(zone: string, o?: OperationOptions): Promise<Record<string, ScwServerType>> {
    const path = `/instance/v1/zones/${enc(zone)}/products/servers`;
    const out: Record<string, ScwServerType> = {};
    for (let page = 1; ; page++) {
      const res = await this.http.get<{ servers?: Record<string, ScwServerType> | null }>(path, { query: { page, per_page: 100 }, signal: o?.signal });
      const servers = res.body?.servers ?? {};
      if (typeof servers !== 'object') throw new ProviderError({ kind: 'api', provider: 'scaleway', message: `GET ${path}: "servers" is not a map` });
      Object.assign(out, servers);
      const total = Number(res.headers.get('x-total-count'));
      const seen = Object.keys(out).length;
      if (Object.keys(servers).length === 0 || !(Number.isFinite(total) && seen < total)) return out;
    }
  }
  listImages(zone: string, query: Query, o?: OperationOptions): Promise<ScwImage[]> {
    return this.listInstance<ScwImage>(`/instance/v1/zones/${enc(zone)}/images`, 'images', query, o);
  }
  async getImage(zone: string, id: string, o?: OperationOptions): Promise<ScwImage | null> {
    return (await this.getOrNull<{ image: ScwImage }>(`/instance/v1/zones/${enc(zone)}/images/${enc(id)}`, o))?.image ?? null;
  }
  async updateImage(zone: string, id: string, body: { tags?: string[]; name?: string }, o?: OperationOptions): Promise<ScwImage> {
    return (await this.http.patch<{ image: ScwImage }>(`/instance/v1/zones/${enc(zone)}/images/${enc(id)}`, body, { signal: o?.signal, idempotent: true })).body.image;
  }
  deleteImage(zone: string, id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`/instance/v1/zones/${enc(zone)}/images/${enc(id)}`, o);
  }

  // Instance v1: security groups
  private sg = (zone: string) => `/instance/v1/zones/${enc(zone)}/security_groups`;
  listSecurityGroups(zone: string, query: Query, o?: OperationOptions): Promise<ScwSecurityGroup[]> {
    return this.listInstance<ScwSecurityGroup>(this.sg(zone), 'security_groups', query, o);
  }
  async createSecurityGroup(zone: string, body: Record<string, unknown>, o?: OperationOptions): Promise<ScwSecurityGroup> {
    return (await this.http.post<{ security_group: ScwSecurityGroup }>(this.sg(zone), body, { signal: o?.signal })).body.security_group;
  }
  async getSecurityGroup(zone: string, id: string, o?: OperationOptions): Promise<ScwSecurityGroup | null> {
    return (await this.getOrNull<{ security_group: ScwSecurityGroup }>(`${this.sg(zone)}/${enc(id)}`, o))?.security_group ?? null;
  }
  deleteSecurityGroup(zone: string, id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`${this.sg(zone)}/${enc(id)}`, o);
  }
  async createSecurityGroupRule(zone: string, id: string, body: ScwSecurityGroupRuleRequest, o?: OperationOptions): Promise<void> {
    await this.http.post(`${this.sg(zone)}/${enc(id)}/rules`, body, { signal: o?.signal });
  }
  listSecurityGroupRules(zone: string, id: string, o?: OperationOptions): Promise<(ScwSecurityGroupRuleRequest & { id: string })[]> {
    return this.listInstance(`${this.sg(zone)}/${enc(id)}/rules`, 'rules', {}, o);
  }

  // VPC v2 (regional)
  private pn = (region: string) => `/vpc/v2/regions/${enc(region)}/private-networks`;
  listPrivateNetworks(region: string, query: Query, o?: OperationOptions): Promise<ScwPrivateNetwork[]> {
    return this.listModern<ScwPrivateNetwork>(this.pn(region), 'private_networks', query, o);
  }
  async createPrivateNetwork(region: string, body: { name: string; project_id: string; tags: string[]; subnets: string[] }, o?: OperationOptions): Promise<ScwPrivateNetwork> {
    return (await this.http.post<ScwPrivateNetwork>(this.pn(region), body, { signal: o?.signal })).body;
  }
  getPrivateNetwork(region: string, id: string, o?: OperationOptions): Promise<ScwPrivateNetwork | null> {
    return this.getOrNull<ScwPrivateNetwork>(`${this.pn(region)}/${enc(id)}`, o);
  }
  deletePrivateNetwork(region: string, id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`${this.pn(region)}/${enc(id)}`, o);
  }

  // Block Storage v1alpha1 (zonal)
  private blk = (zone: string) => `/block/v1alpha1/zones/${enc(zone)}`;
  listVolumes(zone: string, query: Query, o?: OperationOptions): Promise<ScwBlockVolume[]> {
    return this.listModern<ScwBlockVolume>(`${this.blk(zone)}/volumes`, 'volumes', query, o);
  }
  async createVolume(zone: string, body: { name: string; project_id: string; perf_iops: number; from_empty: { size: number }; tags: string[] }, o?: OperationOptions): Promise<ScwBlockVolume> {
    return (await this.http.post<ScwBlockVolume>(`${this.blk(zone)}/volumes`, body, { signal: o?.signal })).body;
  }
  getVolume(zone: string, id: string, o?: OperationOptions): Promise<ScwBlockVolume | null> {
    return this.getOrNull<ScwBlockVolume>(`${this.blk(zone)}/volumes/${enc(id)}`, o);
  }
  deleteVolume(zone: string, id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`${this.blk(zone)}/volumes/${enc(id)}`, o);
  }
  deleteBlockSnapshot(zone: string, id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`${this.blk(zone)}/snapshots/${enc(id)}`, o);
  }

  // IAM v1alpha1 SSH keys
  listSshKeys(projectId: string, o?: OperationOptions): Promise<ScwSshKey[]> {
    return this.listModern<ScwSshKey>('/iam/v1alpha1/ssh-keys', 'ssh_keys', { project_id: projectId }, o);
  }
  async createSshKey(body: { name: string; public_key: string; project_id: string }, o?: OperationOptions): Promise<ScwSshKey> {
    return (await this.http.post<ScwSshKey>('/iam/v1alpha1/ssh-keys', body, { signal: o?.signal })).body;
  }

  // Marketplace v2
  listLocalImages(query: { image_label: string; zone: string; type?: string; arch?: string }, o?: OperationOptions): Promise<ScwLocalImage[]> {
    return this.listModern<ScwLocalImage>('/marketplace/v2/local-images', 'local_images', query, o);
  }
  getLocalImage(id: string, o?: OperationOptions): Promise<ScwLocalImage | null> {
    return this.getOrNull<ScwLocalImage>(`/marketplace/v2/local-images/${enc(id)}`, o);
  }
  listMarketplaceImages(o?: OperationOptions): Promise<ScwMarketplaceImage[]> {
    return this.listModern<ScwMarketplaceImage>('/marketplace/v2/images', 'images', {}, o);
  }
}
