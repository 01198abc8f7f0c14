/** Wire calls to the Cherry Servers API v1: one method per request, one page per list call. */
import { collectPages, ProviderError, type OperationOptions, type Page, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, rateLimitStyles, type QueryValue } from '../../transport/index.js';
import { parseCherryError } from './errors.js';
import type { CsAction, CsCreateServer, CsImage, CsPlan, CsPowerState, CsProject, CsRegion, CsServer, CsSshKey, CsTeam } from './schema.js';

export const DEFAULT_ENDPOINT = 'https://api.cherryservers.com/v1';
export const DEFAULT_PAGE_SIZE = 50;

/** The endpoint includes /v1; a bare host (the emulator's root URL, a proxy) gets it added. */
export function apiBaseUrl(endpoint: string | undefined): string {
  const url = new URL((endpoint ?? DEFAULT_ENDPOINT).trim());
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  return url.toString().replace(/\/+$/, '');
}

export function shapeError(what: string): ProviderError {
  return new ProviderError({ kind: 'api', provider: 'cherry', message: `unexpected answer from Cherry Servers: ${what}` });
}

function arrayOf<T>(body: unknown, what: string): T[] {
  if (body === undefined || body === null || body === '') return [];
  if (!Array.isArray(body)) throw shapeError(`${what} is not a list`);
  return body as T[];
}

function objectWithId<T extends { id?: unknown }>(body: unknown, what: string): T {
  if (!body || typeof body !== 'object' || typeof (body as T).id !== 'number') throw shapeError(`${what} without an id`);
  return body as T;
}

export class CherryClient {
  readonly http: HttpClient;
  readonly pageSize: number;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    this.pageSize = Number(config.options?.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
    this.http = new HttpClient({
      provider: 'cherry',
      baseUrl: apiBaseUrl(config.endpoint),
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'bearer', token: config.credentials.token ?? '' },
      // Cherry Servers documents no rate-limit headers; 429s are still honoured by the transport.
      rateLimit: rateLimitStyles.none,
      parseError: (status, body) => parseCherryError(status, body),
      http: config.http,
    });
  }

  /** limit/offset pages; X-Total-Count says when to stop (a short page does too). */
  async page<T>(path: string, query: Record<string, QueryValue>, offset: number, o?: OperationOptions): Promise<Page<T, number>> {
    const res = await this.http.get<unknown>(path, { query: { ...query, limit: this.pageSize, offset }, signal: o?.signal });
    const items = arrayOf<T>(res.body, path);
    const total = Number(res.headers.get('x-total-count') ?? NaN);
    const next = offset + items.length;
    const more = Number.isFinite(total) ? next < total && items.length > 0 : items.length >= this.pageSize;
    return { items, next: more ? next : undefined };
  }

  private async getOrNull<T>(path: string, query: Record<string, QueryValue>, o?: OperationOptions): Promise<T | null> {
    try {
      return (await this.http.get<T>(path, { query, signal: o?.signal })).body;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  // servers

  listServers(projectId: number, o?: OperationOptions): Promise<CsServer[]> {
    return collectPages<CsServer, number>(0, (offset) => this.page<CsServer>(`/projects/${projectId}/servers`, {}, offset, o));
  }

  async getServer(id: number, o?: OperationOptions): Promise<CsServer | null> {
    const s = await this.getOrNull<unknown>(`/servers/${id}`, {}, o);
    return s === null ? null : objectWithId<CsServer>(s, 'server');
  }

  /** GET /servers/{id}?fields=power, as cherrygo's PowerState reads it. */
  async getPower(id: number, o?: OperationOptions): Promise<CsPowerState | null> {
    const p = await this.getOrNull<CsPowerState>(`/servers/${id}`, { fields: 'power' }, o);
    return p && typeof p === 'object' ? p : null;
  }

  async createServer(projectId: number, body: CsCreateServer, o?: OperationOptions): Promise<CsServer> {
    return objectWithId<CsServer>((await this.http.post<unknown>(`/projects/${projectId}/servers`, body, { signal: o?.signal })).body, 'created server');
  }

  async action(id: number, body: CsAction, o?: OperationOptions): Promise<void> {
    await this.http.post(`/servers/${id}/actions`, body, { signal: o?.signal });
  }

  /** Termination is immediate; 404 means already gone. */
  async deleteServer(id: number, o?: OperationOptions): Promise<void> {
    try {
      await this.http.delete(`/servers/${id}`, { signal: o?.signal });
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }

  // catalog and account

  async listTeams(o?: OperationOptions): Promise<CsTeam[]> {
    return arrayOf<CsTeam>((await this.http.get<unknown>('/teams', { signal: o?.signal })).body, 'teams');
  }

  async listProjects(teamId: number, o?: OperationOptions): Promise<CsProject[]> {
    return arrayOf<CsProject>((await this.http.get<unknown>(`/teams/${teamId}/projects`, { signal: o?.signal })).body, 'projects');
  }

  async listPlans(teamId: number, o?: OperationOptions): Promise<CsPlan[]> {
    return arrayOf<CsPlan>((await this.http.get<unknown>(`/teams/${teamId}/plans`, { signal: o?.signal })).body, 'plans');
  }

  async listImages(plan: string, o?: OperationOptions): Promise<CsImage[]> {
    return arrayOf<CsImage>((await this.http.get<unknown>(`/plans/${encodeURIComponent(plan)}/images`, { signal: o?.signal })).body, 'images');
  }

  async listRegions(o?: OperationOptions): Promise<CsRegion[]> {
    return arrayOf<CsRegion>((await this.http.get<unknown>('/regions', { signal: o?.signal })).body, 'regions');
  }

  async listSshKeys(o?: OperationOptions): Promise<CsSshKey[]> {
    return arrayOf<CsSshKey>((await this.http.get<unknown>('/ssh-keys', { signal: o?.signal })).body, 'ssh keys');
  }

  async createSshKey(label: string, key: string, o?: OperationOptions): Promise<CsSshKey> {
    return objectWithId<CsSshKey>((await this.http.post<unknown>('/ssh-keys', { label, key }, { signal: o?.signal })).body, 'created ssh key');
  }
}
