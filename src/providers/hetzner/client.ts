/** Wire calls to the Hetzner Cloud API: one method per request, one page per list call. */
import { collectNumberedPages, orNull, pagesFor, ProviderError, type NumberedPage, type OperationOptions, type PagedOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { bucketUntilReset, HttpClient, type QueryValue } from '../../transport/index.js';
import { parseHetznerError } from './errors.js';
import type {
  HcAction,
  HcCreateFirewallRequest,
  HcCreateNetworkRequest,
  HcCreateServerRequest,
  HcCreateServerResponse,
  HcCreateVolumeRequest,
  HcDatacenter,
  HcFirewall,
  HcImage,
  HcList,
  HcLocation,
  HcNetwork,
  HcPricing,
  HcServer,
  HcServerType,
  HcSshKey,
  HcVolume,
} from './schema.js';

export const DEFAULT_ENDPOINT = 'https://api.hetzner.cloud/v1';
/** RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset: a bucket of 3,600 per project, one back each second. */
export const HETZNER_RATE_LIMIT = bucketUntilReset('ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset');

/** The API's maximum page size: fewer requests per listing. */
export const PAGE_SIZE = 50;

/**
 * The base URL includes the API version, as Hetzner documents it. An endpoint given without a
 * path (the emulator's root URL, a proxy's host) gets `/v1` added, so both spellings work.
 */
export function apiBaseUrl(endpoint: string | undefined): string {
  const raw = (endpoint ?? DEFAULT_ENDPOINT).trim();
  const url = new URL(raw);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  return url.toString().replace(/\/+$/, '');
}

type Query = Record<string, QueryValue>;

export class HetznerClient {
  readonly http: HttpClient;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    const token = config.credentials.token ?? '';
    this.http = new HttpClient({
      provider: 'hetzner',
      baseUrl: apiBaseUrl(config.endpoint),
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token },
      rateLimit: HETZNER_RATE_LIMIT,
      parseError: (status, body) => parseHetznerError(status, body),
      requestIdHeader: 'x-correlation-id',
      http: config.http,
    });
  }

  /** One page of a list endpoint; the next cursor comes from meta.pagination.next_page, the last from last_page. */
  async page<K extends string, T>(path: string, key: K, query: Query, page: number, o?: OperationOptions): Promise<NumberedPage<T>> {
    const res = await this.http.get<HcList<K, T>>(path, { query: { ...query, page, per_page: PAGE_SIZE }, signal: o?.signal });
    const items = (res.body?.[key] ?? []) as T[];
    const pagination = res.body?.meta?.pagination;
    const next = pagination?.next_page ?? undefined;
    const last = pagination?.last_page;
    return { items, next, lastPage: typeof last === 'number' && Number.isInteger(last) ? last : undefined };
  }

  listAll<K extends string, T>(path: string, key: K, query: Query = {}, o?: PagedOptions): Promise<T[]> {
    return collectNumberedPages<T>((page) => this.page<K, T>(path, key, query, page, o), { expectedPages: pagesFor(o?.expected, PAGE_SIZE) });
  }

  /** GET of one resource; null when Hetzner answers 404. */
  private async getOrNull<T>(path: string, key: string, o?: OperationOptions): Promise<T | null> {
    const res = await orNull(this.http.get<Record<string, T> | undefined>(path, { signal: o?.signal }));
    return res?.body?.[key] ?? null;
  }

  /** DELETE that treats 404 as already done; returns the action when the API gives one. */
  private async deleteIfExists(path: string, o?: OperationOptions): Promise<HcAction | null | 'gone'> {
    try {
      const res = await this.http.delete<{ action?: HcAction } | undefined>(path, { signal: o?.signal });
      return res.body?.action ?? null;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return 'gone';
      throw err;
    }
  }

  // servers
  listServers(labelSelector: string | undefined, o?: PagedOptions): Promise<HcServer[]> {
    return this.listAll<'servers', HcServer>('/servers', 'servers', { label_selector: labelSelector || undefined }, o);
  }
  getServer(id: string, o?: OperationOptions): Promise<HcServer | null> {
    return this.getOrNull<HcServer>(`/servers/${encodeURIComponent(id)}`, 'server', o);
  }
  async createServer(body: HcCreateServerRequest, o?: OperationOptions): Promise<HcCreateServerResponse> {
    return (await this.http.post<HcCreateServerResponse>('/servers', body, { signal: o?.signal })).body;
  }
  deleteServer(id: string, o?: OperationOptions): Promise<HcAction | null | 'gone'> {
    return this.deleteIfExists(`/servers/${encodeURIComponent(id)}`, o);
  }
  async createImage(serverId: string, body: { type: 'snapshot'; description: string; labels: Record<string, string> }, o?: OperationOptions) {
    const path = `/servers/${encodeURIComponent(serverId)}/actions/create_image`;
    return (await this.http.post<{ image: HcImage; action: HcAction }>(path, body, { signal: o?.signal })).body;
  }

  async serverAction(id: string, action: 'poweron' | 'poweroff' | 'reboot', o?: OperationOptions): Promise<HcAction> {
    const path = `/servers/${encodeURIComponent(id)}/actions/${action}`;
    return (await this.http.post<{ action: HcAction }>(path, undefined, { signal: o?.signal })).body.action;
  }

  // actions
  async getAction(id: number, o?: OperationOptions): Promise<HcAction> {
    return (await this.http.get<{ action: HcAction }>(`/actions/${id}`, { signal: o?.signal })).body.action;
  }

  /** Several actions in one request (GET /actions?id=…&id=…); ids that name none are left out. */
  getActions(ids: readonly number[], o?: OperationOptions): Promise<HcAction[]> {
    return this.listAll<'actions', HcAction>('/actions', 'actions', { id: ids }, o);
  }

  // images
  listImages(query: Query, o?: OperationOptions): Promise<HcImage[]> {
    return this.listAll<'images', HcImage>('/images', 'images', query, o);
  }
  getImage(id: string, o?: OperationOptions): Promise<HcImage | null> {
    return this.getOrNull<HcImage>(`/images/${encodeURIComponent(id)}`, 'image', o);
  }
  async deleteImage(id: string, o?: OperationOptions): Promise<void> {
    await this.deleteIfExists(`/images/${encodeURIComponent(id)}`, o);
  }

  // catalog
  listServerTypes(o?: OperationOptions): Promise<HcServerType[]> {
    return this.listAll<'server_types', HcServerType>('/server_types', 'server_types', {}, o);
  }
  listLocations(o?: OperationOptions): Promise<HcLocation[]> {
    return this.listAll<'locations', HcLocation>('/locations', 'locations', {}, o);
  }
  listDatacenters(o?: OperationOptions): Promise<HcDatacenter[]> {
    return this.listAll<'datacenters', HcDatacenter>('/datacenters', 'datacenters', {}, o);
  }
  async getPricing(o?: OperationOptions): Promise<HcPricing> {
    const res = await this.http.get<{ pricing?: HcPricing } | undefined>('/pricing', { signal: o?.signal });
    const pricing = res.body?.pricing;
    if (!pricing || typeof pricing !== 'object') throw new ProviderError({ kind: 'api', provider: 'hetzner', message: 'GET /pricing answered without a pricing object' });
    return pricing;
  }

  // ssh keys
  listSshKeys(query: Query, o?: OperationOptions): Promise<HcSshKey[]> {
    return this.listAll<'ssh_keys', HcSshKey>('/ssh_keys', 'ssh_keys', query, o);
  }
  async createSshKey(body: { name: string; public_key: string; labels: Record<string, string> }, o?: OperationOptions): Promise<HcSshKey> {
    return (await this.http.post<{ ssh_key: HcSshKey }>('/ssh_keys', body, { signal: o?.signal })).body.ssh_key;
  }

  // networks
  listNetworks(query: Query, o?: OperationOptions): Promise<HcNetwork[]> {
    return this.listAll<'networks', HcNetwork>('/networks', 'networks', query, o);
  }
  async createNetwork(body: HcCreateNetworkRequest, o?: OperationOptions): Promise<HcNetwork> {
    return (await this.http.post<{ network: HcNetwork }>('/networks', body, { signal: o?.signal })).body.network;
  }
  async deleteNetwork(id: string, o?: OperationOptions): Promise<void> {
    await this.deleteIfExists(`/networks/${encodeURIComponent(id)}`, o);
  }

  // firewalls
  listFirewalls(query: Query, o?: OperationOptions): Promise<HcFirewall[]> {
    return this.listAll<'firewalls', HcFirewall>('/firewalls', 'firewalls', query, o);
  }
  async createFirewall(body: HcCreateFirewallRequest, o?: OperationOptions): Promise<{ firewall: HcFirewall; actions: HcAction[] }> {
    const res = await this.http.post<{ firewall: HcFirewall; actions?: HcAction[] }>('/firewalls', body, { signal: o?.signal });
    return { firewall: res.body.firewall, actions: res.body.actions ?? [] };
  }
  async deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    await this.deleteIfExists(`/firewalls/${encodeURIComponent(id)}`, o);
  }

  // volumes
  listVolumes(query: Query, o?: OperationOptions): Promise<HcVolume[]> {
    return this.listAll<'volumes', HcVolume>('/volumes', 'volumes', query, o);
  }
  getVolume(id: string, o?: OperationOptions): Promise<HcVolume | null> {
    return this.getOrNull<HcVolume>(`/volumes/${encodeURIComponent(id)}`, 'volume', o);
  }
  async createVolume(body: HcCreateVolumeRequest, o?: OperationOptions) {
    return (await this.http.post<{ volume: HcVolume; action: HcAction; next_actions: HcAction[] }>('/volumes', body, { signal: o?.signal })).body;
  }
  async attachVolume(id: string, server: number, o?: OperationOptions): Promise<HcAction> {
    const path = `/volumes/${encodeURIComponent(id)}/actions/attach`;
    return (await this.http.post<{ action: HcAction }>(path, { server, automount: false }, { signal: o?.signal })).body.action;
  }
  async detachVolume(id: string, o?: OperationOptions): Promise<HcAction> {
    const path = `/volumes/${encodeURIComponent(id)}/actions/detach`;
    return (await this.http.post<{ action: HcAction }>(path, undefined, { signal: o?.signal })).body.action;
  }
  async deleteVolume(id: string, o?: OperationOptions): Promise<void> {
    await this.deleteIfExists(`/volumes/${encodeURIComponent(id)}`, o);
  }
}
