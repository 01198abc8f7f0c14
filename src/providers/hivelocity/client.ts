/**
 * Wire calls to Hivelocity API v2: one method per request. The API lists devices, keys and
 * stock in one answer (no pagination), authenticates with the X-API-KEY header and sends no
 * rate-limit headers, so the budget only learns from 429s.
 */
import { ProviderError, type OperationOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, rateLimitStyles } from '../../transport/index.js';
import { parseHivelocityError } from './errors.js';
import type {
  HvBareMetalDevice,
  HvBareMetalDeviceCreate,
  HvBareMetalDeviceUpdate,
  HvDeviceDump,
  HvDevicePower,
  HvInventory,
  HvLocation,
  HvOption,
  HvSshKey,
} from './schema.js';

export const DEFAULT_ENDPOINT = 'https://core.hivelocity.net/api/v2';

/** The base URL includes /api/v2 (the spec's basePath); a bare host (the emulator's URL) gets it added. */
export function apiBaseUrl(endpoint: string | undefined): string {
  const url = new URL((endpoint ?? DEFAULT_ENDPOINT).trim());
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v2';
  return url.toString().replace(/\/+$/, '');
}

export type PowerAction = 'boot' | 'reboot' | 'shutdown';
/** The store listings ferry reads: the instant servers and the GPU servers. */
export type StoreListing = 'MAIN' | 'GPU';

const id = (n: string | number) => encodeURIComponent(String(n));

/** A body that should be a list but is not: an API change, never a crash. */
function listOf<T>(body: unknown, what: string): T[] {
  if (body === undefined || body === null) return [];
  if (!Array.isArray(body)) throw new ProviderError({ kind: 'api', provider: 'hivelocity', message: `${what}: expected a list, got ${typeof body}` });
  return body as T[];
}

export class HivelocityClient {
  readonly http: HttpClient;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    const key = config.credentials.apiKey ?? '';
    this.http = new HttpClient({
      provider: 'hivelocity',
      baseUrl: apiBaseUrl(config.endpoint),
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'header', name: 'X-API-KEY', value: key, secret: key },
      rateLimit: rateLimitStyles.none,
      parseError: (status, body) => parseHivelocityError(status, body),
      http: config.http,
    });
  }

  private async getOrNull<T>(path: string, o?: OperationOptions): Promise<T | null> {
    try {
      return (await this.http.get<T>(path, { signal: o?.signal })).body ?? null;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  // bare-metal devices
  async listBareMetalDevices(o?: OperationOptions): Promise<HvBareMetalDevice[]> {
    return listOf((await this.http.get<unknown>('/bare-metal-devices/', { signal: o?.signal })).body, 'GET /bare-metal-devices/');
  }
  getBareMetalDevice(deviceId: string, o?: OperationOptions): Promise<HvBareMetalDevice | null> {
    return this.getOrNull<HvBareMetalDevice>(`/bare-metal-devices/${id(deviceId)}`, o);
  }
  async createBareMetalDevice(body: HvBareMetalDeviceCreate, o?: OperationOptions): Promise<HvBareMetalDevice> {
    return (await this.http.post<HvBareMetalDevice>('/bare-metal-devices/', body, { signal: o?.signal })).body ?? {};
  }
  /** Update, or reload when the OS, script or iPXE script changes (or forceReload). */
  async updateBareMetalDevice(deviceId: string, body: HvBareMetalDeviceUpdate, o?: OperationOptions): Promise<HvBareMetalDevice> {
    return (await this.http.put<HvBareMetalDevice>(`/bare-metal-devices/${id(deviceId)}`, body, { signal: o?.signal })).body ?? {};
  }
  /** 204: deleted (hourly); 201: cancellation started (the device stays until its period ends); 409: already cancelling. */
  async cancelBareMetalDevice(deviceId: string, o?: OperationOptions): Promise<'deleted' | 'cancelling' | 'gone'> {
    try {
      const res = await this.http.delete<unknown>(`/bare-metal-devices/${id(deviceId)}`, { signal: o?.signal });
      return res.status === 204 ? 'deleted' : 'cancelling';
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return 'gone';
      if (ProviderError.is(err, 'conflict')) return 'cancelling';
      throw err;
    }
  }

  // devices (the account-wide view with provisioning status and cancellation)
  async listDevices(o?: OperationOptions): Promise<HvDeviceDump[]> {
    return listOf((await this.http.get<unknown>('/device/', { signal: o?.signal })).body, 'GET /device/');
  }
  getDevice(deviceId: string, o?: OperationOptions): Promise<HvDeviceDump | null> {
    return this.getOrNull<HvDeviceDump>(`/device/${id(deviceId)}`, o);
  }
  /** boot and shutdown may be re-sent after a lost answer (the same end state); a reboot may not. */
  async power(deviceId: string, action: PowerAction, o?: OperationOptions): Promise<HvDevicePower> {
    const idempotent = action !== 'reboot';
    return (await this.http.post<HvDevicePower>(`/device/${id(deviceId)}/power`, undefined, { query: { action }, signal: o?.signal, idempotent })).body ?? {};
  }

  // store
  async inventory(listing: StoreListing, o?: OperationOptions): Promise<HvInventory> {
    const body = (await this.http.get<unknown>('/inventory/product', { query: { location: listing, group_by: 'facility' }, signal: o?.signal })).body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ProviderError({ kind: 'api', provider: 'hivelocity', message: 'GET /inventory/product: expected stock grouped by facility' });
    }
    return body as HvInventory;
  }
  async locations(o?: OperationOptions): Promise<HvLocation[]> {
    return listOf((await this.http.get<unknown>('/inventory/locations', { signal: o?.signal })).body, 'GET /inventory/locations');
  }
  async operatingSystems(productId: number, o?: OperationOptions): Promise<HvOption[]> {
    return listOf((await this.http.get<unknown>(`/product/${id(productId)}/operating-systems`, { signal: o?.signal })).body, 'GET /product/{id}/operating-systems');
  }

  // ssh keys
  async listSshKeys(o?: OperationOptions): Promise<HvSshKey[]> {
    return listOf((await this.http.get<unknown>('/ssh_key/', { signal: o?.signal })).body, 'GET /ssh_key/');
  }
  async createSshKey(name: string, publicKey: string, o?: OperationOptions): Promise<HvSshKey> {
    return (await this.http.post<HvSshKey>('/ssh_key/', { name, publicKey }, { signal: o?.signal })).body ?? {};
  }
}
