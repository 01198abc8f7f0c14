/** Wire calls to the Vultr API v2: one method per request, one page per list call (cursor pagination). */
import { collectPages, ProviderError, type OperationOptions, type Page, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, type QueryValue } from '../../transport/index.js';
import { parseVultrError } from './errors.js';
import { vultrRateLimit } from './rate-limit.js';
import type {
  VuBareMetal,
  VuBlock,
  VuCreateMachine,
  VuFirewallGroup,
  VuFirewallRuleRequest,
  VuInstance,
  VuMeta,
  VuMetalPlan,
  VuOs,
  VuPlan,
  VuRegion,
  VuSnapshot,
  VuSshKey,
  VuUpdateMachine,
  VuVpc,
} from './schema.js';

export const DEFAULT_ENDPOINT = 'https://api.vultr.com/v2';
/** The API's maximum page: fewer requests per listing. */
export const MAX_PAGE_SIZE = 500;

/** The base URL includes /v2; an endpoint given without a path (the emulator's root URL) gets it added. */
export function apiBaseUrl(endpoint: string | undefined): string {
  const url = new URL((endpoint ?? DEFAULT_ENDPOINT).trim());
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v2';
  return url.toString().replace(/\/+$/, '');
}

type Query = Record<string, QueryValue>;

/** Which API a machine lives in: /instances (cloud) or /bare-metals. */
export type MachineApi = 'instances' | 'bare-metals';
/** The response key of one machine of each API. */
const ONE: Record<MachineApi, string> = { instances: 'instance', 'bare-metals': 'bare_metal' };
const MANY: Record<MachineApi, string> = { instances: 'instances', 'bare-metals': 'bare_metals' };
export type VuMachine = VuInstance | VuBareMetal;

export class VultrClient {
  readonly http: HttpClient;
  readonly pageSize: number;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(config.options?.pageSize ?? MAX_PAGE_SIZE) || MAX_PAGE_SIZE));
    this.http = new HttpClient({
      provider: 'vultr',
      baseUrl: apiBaseUrl(config.endpoint),
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token: config.credentials.apiKey ?? '' },
      rateLimit: vultrRateLimit,
      parseError: (status, body) => parseVultrError(status, body),
      http: config.http,
    });
  }

  /** One page; the next cursor is meta.links.next (empty at the end). */
  async page<T>(path: string, keys: string[], query: Query, cursor: string, o?: OperationOptions): Promise<Page<T, string>> {
    const res = await this.http.get<Record<string, unknown> & { meta?: VuMeta }>(path, {
      query: { ...query, per_page: this.pageSize, cursor: cursor || undefined },
      signal: o?.signal,
    });
    const body = res.body;
    if (!body || typeof body !== 'object') throw unexpected(`GET ${path}`, 'a JSON object');
    const list = keys.map((k) => body[k]).find((v) => v !== undefined && v !== null) ?? [];
    if (!Array.isArray(list)) throw unexpected(`GET ${path}`, `an array under ${keys.join(' or ')}`);
    const next = body.meta?.links?.next;
    return { items: list as T[], next: typeof next === 'string' && next ? next : undefined };
  }

  listAll<T>(path: string, keys: string | string[], query: Query = {}, o?: OperationOptions): Promise<T[]> {
    const k = Array.isArray(keys) ? keys : [keys];
    return collectPages<T, string>('', (cursor) => this.page<T>(path, k, query, cursor, o));
  }

  /** GET of one resource; null on 404. */
  private async getOrNull<T>(path: string, key: string, o?: OperationOptions): Promise<T | null> {
    try {
      const res = await this.http.get<Record<string, T>>(path, { signal: o?.signal });
      const one = res.body?.[key];
      if (!one || typeof one !== 'object') throw unexpected(`GET ${path}`, `an object under ${key}`);
      return one;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  /** DELETE that treats 404 as already done. */
  private async deleteIfExists(path: string, o?: OperationOptions): Promise<boolean> {
    try {
      await this.http.delete(path, { signal: o?.signal });
      return true;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return false;
      throw err;
    }
  }

  private async postOne<T>(path: string, body: unknown, keys: string[], o?: OperationOptions): Promise<T> {
    const res = await this.http.post<Record<string, T>>(path, body, { signal: o?.signal });
    const one = keys.map((k) => res.body?.[k]).find((v) => v && typeof v === 'object');
    if (!one) throw unexpected(`POST ${path}`, `an object under ${keys.join(' or ')}`);
    return one;
  }

  // instances and bare metal
  listMachines(api: MachineApi, query: Query, o?: OperationOptions): Promise<VuMachine[]> {
    return this.listAll<VuMachine>(`/${api}`, MANY[api], query, o);
  }
  getMachine(api: MachineApi, id: string, o?: OperationOptions): Promise<VuMachine | null> {
    return this.getOrNull<VuMachine>(`/${api}/${encodeURIComponent(id)}`, ONE[api], o);
  }
  createMachine(api: MachineApi, body: VuCreateMachine, o?: OperationOptions): Promise<VuMachine> {
    // The 2023 spec names the bare-metal create's key "baremetal"; the live API answers "bare_metal".
    return this.postOne<VuMachine>(`/${api}`, body, [ONE[api], 'baremetal'], o);
  }
  async updateMachine(api: MachineApi, id: string, body: VuUpdateMachine, o?: OperationOptions): Promise<void> {
    await this.http.patch(`/${api}/${encodeURIComponent(id)}`, body, { signal: o?.signal, idempotent: true });
  }
  deleteMachine(api: MachineApi, id: string, o?: OperationOptions): Promise<boolean> {
    return this.deleteIfExists(`/${api}/${encodeURIComponent(id)}`, o);
  }
  /** Power actions answer 204 at once; sending one twice does no harm, so they are retried like reads. */
  async machineAction(api: MachineApi, id: string, action: 'halt' | 'start' | 'reboot', o?: OperationOptions): Promise<void> {
    await this.http.post(`/${api}/${encodeURIComponent(id)}/${action}`, undefined, { signal: o?.signal, idempotent: true });
  }

  // catalog (public endpoints)
  listRegions(o?: OperationOptions): Promise<VuRegion[]> {
    return this.listAll<VuRegion>('/regions', 'regions', {}, o);
  }
  async availablePlans(region: string, o?: OperationOptions): Promise<string[]> {
    const res = await this.http.get<{ available_plans?: unknown }>(`/regions/${encodeURIComponent(region)}/availability`, { signal: o?.signal });
    const list = res.body?.available_plans;
    if (!Array.isArray(list)) throw unexpected('GET /regions/{id}/availability', 'available_plans');
    return list.filter((x): x is string => typeof x === 'string');
  }
  listPlans(o?: OperationOptions): Promise<VuPlan[]> {
    return this.listAll<VuPlan>('/plans', 'plans', { type: 'all' }, o);
  }
  listMetalPlans(o?: OperationOptions): Promise<VuMetalPlan[]> {
    return this.listAll<VuMetalPlan>('/plans-metal', ['plans_metal', 'plans'], {}, o);
  }
  listOs(o?: OperationOptions): Promise<VuOs[]> {
    return this.listAll<VuOs>('/os', 'os', {}, o);
  }

  // snapshots
  createSnapshot(instanceId: string, description: string, o?: OperationOptions): Promise<VuSnapshot> {
    return this.postOne<VuSnapshot>('/snapshots', { instance_id: instanceId, description }, ['snapshot'], o);
  }
  listSnapshots(o?: OperationOptions): Promise<VuSnapshot[]> {
    return this.listAll<VuSnapshot>('/snapshots', 'snapshots', {}, o);
  }
  getSnapshot(id: string, o?: OperationOptions): Promise<VuSnapshot | null> {
    return this.getOrNull<VuSnapshot>(`/snapshots/${encodeURIComponent(id)}`, 'snapshot', o);
  }
  deleteSnapshot(id: string, o?: OperationOptions): Promise<boolean> {
    return this.deleteIfExists(`/snapshots/${encodeURIComponent(id)}`, o);
  }

  // ssh keys
  listSshKeys(o?: OperationOptions): Promise<VuSshKey[]> {
    return this.listAll<VuSshKey>('/ssh-keys', 'ssh_keys', {}, o);
  }
  createSshKey(name: string, publicKey: string, o?: OperationOptions): Promise<VuSshKey> {
    return this.postOne<VuSshKey>('/ssh-keys', { name, ssh_key: publicKey }, ['ssh_key'], o);
  }

  // vpcs
  listVpcs(o?: OperationOptions): Promise<VuVpc[]> {
    return this.listAll<VuVpc>('/vpcs', 'vpcs', {}, o);
  }
  createVpc(body: { region: string; description: string; v4_subnet?: string; v4_subnet_mask?: number }, o?: OperationOptions): Promise<VuVpc> {
    return this.postOne<VuVpc>('/vpcs', body, ['vpc'], o);
  }
  deleteVpc(id: string, o?: OperationOptions): Promise<boolean> {
    return this.deleteIfExists(`/vpcs/${encodeURIComponent(id)}`, o);
  }

  // firewall groups
  listFirewallGroups(o?: OperationOptions): Promise<VuFirewallGroup[]> {
    return this.listAll<VuFirewallGroup>('/firewalls', 'firewall_groups', {}, o);
  }
  createFirewallGroup(description: string, o?: OperationOptions): Promise<VuFirewallGroup> {
    return this.postOne<VuFirewallGroup>('/firewalls', { description }, ['firewall_group'], o);
  }
  async addFirewallRule(groupId: string, rule: VuFirewallRuleRequest, o?: OperationOptions): Promise<void> {
    await this.http.post(`/firewalls/${encodeURIComponent(groupId)}/rules`, rule, { signal: o?.signal });
  }
  deleteFirewallGroup(id: string, o?: OperationOptions): Promise<boolean> {
    return this.deleteIfExists(`/firewalls/${encodeURIComponent(id)}`, o);
  }

  // block storage
  listBlocks(o?: OperationOptions): Promise<VuBlock[]> {
    return this.listAll<VuBlock>('/blocks', 'blocks', {}, o);
  }
  getBlock(id: string, o?: OperationOptions): Promise<VuBlock | null> {
    return this.getOrNull<VuBlock>(`/blocks/${encodeURIComponent(id)}`, 'block', o);
  }
  createBlock(body: { region: string; size_gb: number; label: string }, o?: OperationOptions): Promise<VuBlock> {
    return this.postOne<VuBlock>('/blocks', body, ['block'], o);
  }
  async attachBlock(id: string, instanceId: string, o?: OperationOptions): Promise<void> {
    await this.http.post(`/blocks/${encodeURIComponent(id)}/attach`, { instance_id: instanceId, live: true }, { signal: o?.signal });
  }
  async detachBlock(id: string, o?: OperationOptions): Promise<void> {
    await this.http.post(`/blocks/${encodeURIComponent(id)}/detach`, { live: true }, { signal: o?.signal });
  }
  deleteBlock(id: string, o?: OperationOptions): Promise<boolean> {
    return this.deleteIfExists(`/blocks/${encodeURIComponent(id)}`, o);
  }
}

/** An answer of the wrong shape is the provider's fault, never a TypeError. */
export function unexpected(what: string, expected: string): ProviderError {
  return new ProviderError({ kind: 'api', provider: 'vultr', message: `${what}: unexpected answer, expected ${expected}` });
}
