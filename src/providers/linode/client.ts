/** Wire calls to the Linode API v4: one method per request, one page per list call, every call paced. */
import { collectNumberedPages, pagesFor, ProviderError, type NumberedPage, type OperationOptions, type PagedOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { accountKey, HttpClient, type HttpMethod, type HttpResponse, type QueryValue } from '../../transport/index.js';
import { parseLinodeError } from './errors.js';
import { linodeRateLimit, pacerFor, scopeOf, type LinodePacer } from './pacing.js';
import type {
  LnCreateLinodeRequest,
  LnDisk,
  LnEvent,
  LnFirewall,
  LnImage,
  LnLinode,
  LnPage,
  LnRegion,
  LnSshKey,
  LnType,
  LnVolume,
  LnVpc,
} from './schema.js';

export const DEFAULT_ENDPOINT = 'https://api.linode.com/v4';
/** The API's largest page (25 to 500); fewer requests per listing. */
export const MAX_PAGE_SIZE = 500;

/** The base URL carries the version; an endpoint given without a path (the emulator's root) gets /v4. */
export function apiBaseUrl(endpoint: string | undefined): string {
  const url = new URL((endpoint ?? DEFAULT_ENDPOINT).trim());
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v4';
  return url.toString().replace(/\/+$/, '');
}

/** Linode's filter language, sent as the X-Filter header (equality on a list field means "contains"). */
export type XFilter = Record<string, unknown>;

interface Call {
  query?: Record<string, QueryValue>;
  body?: unknown;
  filter?: XFilter;
  o?: OperationOptions;
}

const enc = encodeURIComponent;

export class LinodeClient {
  readonly http: HttpClient;
  readonly pacer: LinodePacer;
  private readonly pageSize: number;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    const token = config.credentials.token ?? '';
    const baseUrl = apiBaseUrl(config.endpoint);
    this.http = new HttpClient({
      provider: 'linode',
      baseUrl,
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token },
      rateLimit: linodeRateLimit,
      parseError: (status, body) => parseLinodeError(status, body),
      requestIdHeader: 'x-request-id',
      http: config.http,
    });
    const account = `${baseUrl}|${accountKey(token)}`;
    this.pacer = pacerFor(config.http?.budgets, account, config.http?.timeScale ?? 1);
    const size = Number(config.options?.pageSize ?? MAX_PAGE_SIZE);
    this.pageSize = Number.isInteger(size) ? Math.min(MAX_PAGE_SIZE, Math.max(25, size)) : MAX_PAGE_SIZE;
  }

  /** Every request waits for its scope's pace first. */
  async call<T>(method: HttpMethod, path: string, c: Call = {}): Promise<HttpResponse<T>> {
    const scope = scopeOf(method, path);
    const answered = await this.pacer.take(scope, c.o?.signal);
    try {
      const res = await this.http.request<T>({
        method,
        path,
        query: c.query,
        body: c.body,
        signal: c.o?.signal,
        ...(c.filter ? { headers: { 'x-filter': JSON.stringify(c.filter) } } : {}),
      });
      this.pacer.observe(scope, res.headers);
      return res;
    } finally {
      answered();
    }
  }

  async page<T>(path: string, filter: XFilter | undefined, page: number, o?: OperationOptions): Promise<NumberedPage<T>> {
    const res = await this.call<LnPage<T>>('GET', path, { query: { page, page_size: this.pageSize }, filter, o });
    const body = res.body;
    if (!body || !Array.isArray(body.data)) {
      throw new ProviderError({ kind: 'api', provider: 'linode', message: `GET ${path}: the answer has no data list` });
    }
    const pages = Number(body.pages ?? 1);
    return page < pages ? { items: body.data, next: page + 1, lastPage: pages } : { items: body.data, next: undefined };
  }

  listAll<T>(path: string, filter?: XFilter, o?: PagedOptions): Promise<T[]> {
    return collectNumberedPages<T>((n) => this.page<T>(path, filter, n, o), { expectedPages: pagesFor(o?.expected, this.pageSize) });
  }

  private async getOrNull<T>(path: string, o?: OperationOptions): Promise<T | null> {
    try {
      return (await this.call<T>('GET', path, { o })).body ?? null;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  /** DELETE that treats 404 as already done. */
  private async deleteIfExists(path: string, o?: OperationOptions): Promise<void> {
    try {
      await this.call('DELETE', path, { o });
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }

  private async post<T>(path: string, body: unknown, o?: OperationOptions): Promise<T> {
    return (await this.call<T>('POST', path, { body, o })).body;
  }

  // linodes
  listLinodes(filter: XFilter | undefined, o?: PagedOptions): Promise<LnLinode[]> {
    return this.listAll<LnLinode>('/linode/instances', filter, o);
  }
  getLinode(id: string, o?: OperationOptions): Promise<LnLinode | null> {
    return this.getOrNull<LnLinode>(`/linode/instances/${enc(id)}`, o);
  }
  createLinode(body: LnCreateLinodeRequest, o?: OperationOptions): Promise<LnLinode> {
    return this.post<LnLinode>('/linode/instances', body, o);
  }
  deleteLinode(id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`/linode/instances/${enc(id)}`, o);
  }
  async linodeAction(id: string, action: 'boot' | 'shutdown' | 'reboot', o?: OperationOptions): Promise<void> {
    await this.post(`/linode/instances/${enc(id)}/${action}`, undefined, o);
  }
  listDisks(id: string, o?: OperationOptions): Promise<LnDisk[]> {
    return this.listAll<LnDisk>(`/linode/instances/${enc(id)}/disks`, undefined, o);
  }

  // events
  listEvents(filter: XFilter, o?: OperationOptions): Promise<LnEvent[]> {
    return this.listAll<LnEvent>('/account/events', filter, o);
  }
  async getEvent(id: number, o?: OperationOptions): Promise<LnEvent> {
    return (await this.call<LnEvent>('GET', `/account/events/${id}`, { o })).body;
  }

  // images
  listImages(filter: XFilter | undefined, o?: OperationOptions): Promise<LnImage[]> {
    return this.listAll<LnImage>('/images', filter, o);
  }
  getImage(id: string, o?: OperationOptions): Promise<LnImage | null> {
    return this.getOrNull<LnImage>(`/images/${enc(id)}`, o);
  }
  createImage(body: { disk_id: number; label: string; description: string; tags: string[] }, o?: OperationOptions): Promise<LnImage> {
    return this.post<LnImage>('/images', body, o);
  }
  deleteImage(id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`/images/${enc(id)}`, o);
  }

  // catalog
  listTypes(o?: OperationOptions): Promise<LnType[]> {
    return this.listAll<LnType>('/linode/types', undefined, o);
  }
  listRegions(o?: OperationOptions): Promise<LnRegion[]> {
    return this.listAll<LnRegion>('/regions', undefined, o);
  }

  // profile SSH keys
  listSshKeys(o?: OperationOptions): Promise<LnSshKey[]> {
    return this.listAll<LnSshKey>('/profile/sshkeys', undefined, o);
  }

  // firewalls
  listFirewalls(filter: XFilter | undefined, o?: OperationOptions): Promise<LnFirewall[]> {
    return this.listAll<LnFirewall>('/networking/firewalls', filter, o);
  }
  createFirewall(body: unknown, o?: OperationOptions): Promise<LnFirewall> {
    return this.post<LnFirewall>('/networking/firewalls', body, o);
  }
  deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`/networking/firewalls/${enc(id)}`, o);
  }

  // VPCs
  listVpcs(filter: XFilter | undefined, o?: OperationOptions): Promise<LnVpc[]> {
    return this.listAll<LnVpc>('/vpcs', filter, o);
  }
  createVpc(body: { label: string; region: string; description: string; subnets: { label: string; ipv4: string }[] }, o?: OperationOptions): Promise<LnVpc> {
    return this.post<LnVpc>('/vpcs', body, o);
  }
  deleteVpc(id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`/vpcs/${enc(id)}`, o);
  }

  // volumes
  listVolumes(filter: XFilter | undefined, o?: OperationOptions): Promise<LnVolume[]> {
    return this.listAll<LnVolume>('/volumes', filter, o);
  }
  getVolume(id: string, o?: OperationOptions): Promise<LnVolume | null> {
    return this.getOrNull<LnVolume>(`/volumes/${enc(id)}`, o);
  }
  createVolume(body: { label: string; size: number; region: string; tags: string[]; linode_id?: number }, o?: OperationOptions): Promise<LnVolume> {
    return this.post<LnVolume>('/volumes', body, o);
  }
  attachVolume(id: string, linodeId: number, o?: OperationOptions): Promise<LnVolume> {
    return this.post<LnVolume>(`/volumes/${enc(id)}/attach`, { linode_id: linodeId, persist_across_boots: true }, o);
  }
  async detachVolume(id: string, o?: OperationOptions): Promise<void> {
    await this.post(`/volumes/${enc(id)}/detach`, undefined, o);
  }
  deleteVolume(id: string, o?: OperationOptions): Promise<void> {
    return this.deleteIfExists(`/volumes/${enc(id)}`, o);
  }
}
