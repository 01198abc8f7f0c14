/** Wire calls to the Latitude.sh API: one method per request, one page per list call. */
import { collectPages, ProviderError, type OperationOptions, type Page, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, rateLimitStyles, type QueryValue } from '../../transport/index.js';
import { parseLatitudeError } from './errors.js';
import type {
  LsCreateServerAttributes,
  LsFirewallAttributes,
  LsFirewallRule,
  LsList,
  LsOne,
  LsOperatingSystemAttributes,
  LsPlan,
  LsPowerAction,
  LsProjectAttributes,
  LsReinstallAttributes,
  LsRegionAttributes,
  LsResource,
  LsServer,
  LsSshKeyAttributes,
  LsTagAttributes,
  LsVirtualNetworkAttributes,
} from './schema.js';

export const DEFAULT_ENDPOINT = 'https://api.latitude.sh';
/** The SDK's default page is 20; ferry asks for more so a fleet lists in few requests. */
export const DEFAULT_PAGE_SIZE = 50;

type Query = Record<string, QueryValue>;

/** Wraps an unexpected answer: a shape ferry cannot read is an api error, never a TypeError. */
export function shapeError(what: string): ProviderError {
  return new ProviderError({ kind: 'api', provider: 'latitude', message: `unexpected answer from Latitude.sh: ${what}` });
}

function dataOf<A>(body: LsOne<A> | undefined, what: string): LsResource<A> {
  const d = body?.data;
  if (!d || typeof d !== 'object' || typeof d.id !== 'string') throw shapeError(`${what} without data.id`);
  return d;
}

function listOf<A>(body: LsList<A> | undefined, what: string): LsResource<A>[] {
  const d = body?.data;
  if (d === undefined || d === null) return [];
  if (!Array.isArray(d)) throw shapeError(`${what}: data is not a list`);
  return d;
}

export class LatitudeClient {
  readonly http: HttpClient;
  readonly pageSize: number;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    this.pageSize = Number(config.options?.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
    this.http = new HttpClient({
      provider: 'latitude',
      baseUrl: (config.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, ''),
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token: config.credentials.token ?? '' },
      // Latitude.sh documents no rate-limit headers; 429s are still honoured by the transport.
      rateLimit: rateLimitStyles.none,
      parseError: (status, body) => parseLatitudeError(status, body),
      http: config.http,
    });
  }

  /** One page; a page shorter than asked for is the last (how the SDK's iterator ends too). */
  async page<A>(path: string, query: Query, page: number, o?: OperationOptions): Promise<Page<LsResource<A>, number>> {
    const res = await this.http.get<LsList<A>>(path, { query: { ...query, 'page[number]': page, 'page[size]': this.pageSize }, signal: o?.signal });
    const items = listOf(res.body, path);
    return { items, next: items.length >= this.pageSize ? page + 1 : undefined };
  }

  listAll<A>(path: string, query: Query = {}, o?: OperationOptions): Promise<LsResource<A>[]> {
    return collectPages<LsResource<A>, number>(1, (n) => this.page<A>(path, query, n, o));
  }

  /** Endpoints that answer everything at once (plans, operating systems, tags). */
  async unpaged<A>(path: string, query: Query = {}, o?: OperationOptions): Promise<LsResource<A>[]> {
    const res = await this.http.get<LsList<A>>(path, { query, signal: o?.signal });
    return listOf(res.body, path);
  }

  // servers

  listServers(filter: { project?: string; tagId?: string; hostname?: string }, o?: OperationOptions): Promise<LsServer[]> {
    return this.listAll(
      '/servers',
      { 'filter[project]': filter.project, 'filter[tags]': filter.tagId, 'filter[hostname]': filter.hostname },
      o,
    ) as Promise<LsServer[]>;
  }

  async getServer(id: string, o?: OperationOptions): Promise<LsServer | null> {
    try {
      const res = await this.http.get<LsOne<LsServer['attributes']>>(`/servers/${encodeURIComponent(id)}`, { signal: o?.signal });
      return dataOf(res.body, 'server') as LsServer;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  async createServer(attributes: LsCreateServerAttributes, o?: OperationOptions): Promise<LsServer> {
    const res = await this.http.post<LsOne<LsServer['attributes']>>('/servers', { data: { type: 'servers', attributes } }, { signal: o?.signal });
    return dataOf(res.body, 'created server') as LsServer;
  }

  /** Tags are attached after the create, as the Terraform provider does: the create takes none. */
  async setServerTags(id: string, hostname: string, tagIds: string[], o?: OperationOptions): Promise<LsServer> {
    const body = { data: { id, type: 'servers', attributes: { hostname, tags: tagIds } } };
    const res = await this.http.patch<LsOne<LsServer['attributes']>>(`/servers/${encodeURIComponent(id)}`, body, { signal: o?.signal, idempotent: true });
    return dataOf(res.body, 'updated server') as LsServer;
  }

  /** DELETE answers 204; a server already gone (404) is done. */
  async deleteServer(id: string, o?: OperationOptions): Promise<void> {
    try {
      await this.http.delete(`/servers/${encodeURIComponent(id)}`, { signal: o?.signal });
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }

  /** Removal at the end of the billing cycle (monthly and yearly servers). */
  async scheduleDeletion(id: string, o?: OperationOptions): Promise<void> {
    await this.http.post(`/servers/${encodeURIComponent(id)}/schedule_deletion`, undefined, { signal: o?.signal, idempotent: true });
  }

  async serverAction(id: string, action: LsPowerAction, o?: OperationOptions): Promise<void> {
    const body = { data: { type: 'actions', attributes: { action } } };
    await this.http.post(`/servers/${encodeURIComponent(id)}/actions`, body, { signal: o?.signal });
  }

  async reinstall(id: string, attributes: LsReinstallAttributes, o?: OperationOptions): Promise<void> {
    const body = { data: { type: 'reinstalls', attributes } };
    await this.http.post(`/servers/${encodeURIComponent(id)}/reinstall`, body, { signal: o?.signal });
  }

  // catalog

  listPlans(o?: OperationOptions): Promise<LsPlan[]> {
    return this.unpaged('/plans', {}, o) as Promise<LsPlan[]>;
  }

  listRegions(o?: OperationOptions): Promise<LsResource<LsRegionAttributes>[]> {
    return this.listAll('/regions', {}, o);
  }

  listOperatingSystems(o?: OperationOptions): Promise<LsResource<LsOperatingSystemAttributes>[]> {
    return this.listAll('/plans/operating_systems', {}, o);
  }

  listProjects(o?: OperationOptions): Promise<LsResource<LsProjectAttributes>[]> {
    return this.listAll('/projects', {}, o);
  }

  // keys, tags, user data, virtual networks

  listSshKeys(o?: OperationOptions): Promise<LsResource<LsSshKeyAttributes>[]> {
    return this.listAll('/ssh_keys', {}, o);
  }

  async createSshKey(name: string, publicKey: string, o?: OperationOptions): Promise<LsResource<LsSshKeyAttributes>> {
    const body = { data: { type: 'ssh_keys', attributes: { name, public_key: publicKey } } };
    return dataOf((await this.http.post<LsOne<LsSshKeyAttributes>>('/ssh_keys', body, { signal: o?.signal })).body, 'created ssh key');
  }

  listTags(o?: OperationOptions): Promise<LsResource<LsTagAttributes>[]> {
    return this.unpaged('/tags', {}, o);
  }

  async createTag(name: string, o?: OperationOptions): Promise<LsResource<LsTagAttributes>> {
    const body = { data: { type: 'tags', attributes: { name, description: 'ferry label', color: '#ffffff' } } };
    return dataOf((await this.http.post<LsOne<LsTagAttributes>>('/tags', body, { signal: o?.signal })).body, 'created tag');
  }

  /** User data is an object of its own; the server create takes its id. */
  async createUserData(description: string, script: string, project: string, o?: OperationOptions): Promise<string> {
    const attributes = { description, project, content: Buffer.from(script, 'utf8').toString('base64') };
    const res = await this.http.post<LsOne<unknown>>('/user_data', { data: { type: 'user_data', attributes } }, { signal: o?.signal });
    return dataOf(res.body, 'created user data').id!;
  }

  listFirewalls(project: string, o?: OperationOptions): Promise<LsResource<LsFirewallAttributes>[]> {
    return this.listAll('/firewalls', { 'filter[project]': project }, o);
  }

  async createFirewall(name: string, project: string, rules: LsFirewallRule[], o?: OperationOptions): Promise<LsResource<LsFirewallAttributes>> {
    const body = { data: { type: 'firewalls', attributes: { name, project, rules } } };
    return dataOf((await this.http.post<LsOne<LsFirewallAttributes>>('/firewalls', body, { signal: o?.signal })).body, 'created firewall');
  }

  async deleteFirewall(id: string, o?: OperationOptions): Promise<void> {
    try {
      await this.http.delete(`/firewalls/${encodeURIComponent(id)}`, { signal: o?.signal });
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }

  listVirtualNetworks(project: string, o?: OperationOptions): Promise<LsResource<LsVirtualNetworkAttributes>[]> {
    return this.listAll('/virtual_networks', { 'filter[project]': project }, o);
  }

  async createVirtualNetwork(description: string, site: string, project: string, o?: OperationOptions): Promise<LsResource<LsVirtualNetworkAttributes>> {
    const body = { data: { type: 'virtual_network', attributes: { description, site, project } } };
    return dataOf((await this.http.post<LsOne<LsVirtualNetworkAttributes>>('/virtual_networks', body, { signal: o?.signal })).body, 'created virtual network');
  }

  async deleteVirtualNetwork(id: string, o?: OperationOptions): Promise<void> {
    try {
      await this.http.delete(`/virtual_networks/${encodeURIComponent(id)}`, { signal: o?.signal });
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }
}
