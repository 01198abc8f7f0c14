/**
 * Wire calls to the OVHcloud API v1: one method per request. Every call is signed (signature.ts)
 * with the API's clock; a "Query out of time" answer re-learns the clock offset and re-sends once.
 * OVH lists are arrays of ids (one call per object after), unpaginated, and it sends no rate-limit
 * headers, so the budget only learns from 429s.
 */
import { ProviderError, type OperationOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, rateLimitStyles, type HttpMethod, type QueryValue } from '../../transport/index.js';
import { parseOvhError, TIME_REFUSED } from './errors.js';
import type {
  OvhCart,
  OvhCartItem,
  OvhCatalog,
  OvhNetboot,
  OvhOrder,
  OvhOrderDetail,
  OvhProductDefinition,
  OvhServer,
  OvhServiceInfos,
  OvhTask,
} from './schema.js';
import { OvhClock, ovhSigner } from './signature.js';

export const ENDPOINTS: Record<string, string> = {
  'ovh-eu': 'https://eu.api.ovh.com/1.0',
  'ovh-ca': 'https://ca.api.ovh.com/1.0',
  'ovh-us': 'https://api.us.ovhcloud.com/1.0',
};

/** An alias (ovh-eu, ovh-ca, ovh-us) or a URL; a bare host (the emulator's) gets /1.0. */
export function apiBaseUrl(endpoint: string | undefined): string {
  const e = (endpoint ?? 'ovh-eu').trim();
  if (ENDPOINTS[e]) return ENDPOINTS[e]!;
  const url = new URL(e);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/1.0';
  return url.toString().replace(/\/+$/, '');
}

const seg = (s: string | number) => encodeURIComponent(String(s));

function listOf<T>(body: unknown, what: string): T[] {
  if (body === undefined || body === null) return [];
  if (!Array.isArray(body)) throw new ProviderError({ kind: 'api', provider: 'ovh', message: `${what}: expected a list, got ${typeof body}` });
  return body as T[];
}

export class OvhClient {
  readonly http: HttpClient;
  readonly clock: OvhClock;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    const c = config.credentials;
    const keys = { applicationKey: c.applicationKey ?? '', applicationSecret: c.applicationSecret ?? '', consumerKey: c.consumerKey ?? '' };
    const baseUrl = apiBaseUrl(config.endpoint);
    this.clock = new OvhClock(async () => {
      const t = (await this.http.get<unknown>('/auth/time')).body;
      if (typeof t !== 'number' || !Number.isFinite(t)) throw new ProviderError({ kind: 'api', provider: 'ovh', message: 'GET /auth/time: expected a number of seconds' });
      return t;
    });
    this.http = new HttpClient({
      provider: 'ovh',
      baseUrl,
      timeoutMs: timeouts.httpRequestMs,
      auth: {
        kind: 'sign',
        sign: ovhSigner(keys, this.clock, (url) => url.startsWith(`${baseUrl}/auth/time`) || url.startsWith(`${baseUrl}/order/catalog/public/`)),
        secrets: [keys.applicationSecret, keys.consumerKey].filter(Boolean),
        account: keys.applicationKey,
      },
      rateLimit: rateLimitStyles.none,
      parseError: (status, body) => parseOvhError(status, body),
      requestIdHeader: 'x-ovh-queryid',
      http: config.http,
    });
  }

  private async call<T>(method: HttpMethod, path: string, body?: unknown, query?: Record<string, QueryValue>, o?: OperationOptions, idempotent?: boolean): Promise<T> {
    const send = () => this.http.request<T>({ method, path, ...(body === undefined ? {} : { body }), ...(query ? { query } : {}), signal: o?.signal, ...(idempotent ? { idempotent } : {}) });
    try {
      return (await send()).body as T;
    } catch (err) {
      if (!(ProviderError.is(err) && TIME_REFUSED.test(err.message))) throw err;
      await this.clock.sync();
      return (await send()).body as T;
    }
  }

  private async getOrNull<T>(path: string, o?: OperationOptions): Promise<T | null> {
    try {
      return (await this.call<T>('GET', path, undefined, undefined, o)) ?? null;
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }

  // catalog (no authentication)
  catalog(subsidiary: string, o?: OperationOptions): Promise<OvhCatalog> {
    return this.call<OvhCatalog>('GET', '/order/catalog/public/baremetalServers', undefined, { ovhSubsidiary: subsidiary }, o);
  }

  // cart
  createCart(subsidiary: string, description: string, expire: string, o?: OperationOptions): Promise<OvhCart> {
    return this.call<OvhCart>('POST', '/order/cart', { ovhSubsidiary: subsidiary, description, expire }, undefined, o);
  }
  assignCart(cartId: string, o?: OperationOptions): Promise<void> {
    return this.call<void>('POST', `/order/cart/${seg(cartId)}/assign`, undefined, undefined, o, true);
  }
  async listCarts(o?: OperationOptions): Promise<string[]> {
    return listOf<string>(await this.call<unknown>('GET', '/order/cart', undefined, undefined, o), 'GET /order/cart');
  }
  getCart(cartId: string, o?: OperationOptions): Promise<OvhCart | null> {
    return this.getOrNull<OvhCart>(`/order/cart/${seg(cartId)}`, o);
  }
  deleteCart(cartId: string, o?: OperationOptions): Promise<void> {
    return this.call<void>('DELETE', `/order/cart/${seg(cartId)}`, undefined, undefined, o);
  }
  async baremetalProducts(cartId: string, o?: OperationOptions): Promise<OvhProductDefinition[]> {
    return listOf(await this.call<unknown>('GET', `/order/cart/${seg(cartId)}/baremetalServers`, undefined, undefined, o), 'GET /order/cart/{cartId}/baremetalServers');
  }
  addBaremetalServer(cartId: string, item: { planCode: string; duration: string; pricingMode: string; quantity: number }, o?: OperationOptions): Promise<OvhCartItem> {
    return this.call<OvhCartItem>('POST', `/order/cart/${seg(cartId)}/baremetalServers`, item, undefined, o);
  }
  configureItem(cartId: string, itemId: number, label: string, value: string, o?: OperationOptions): Promise<unknown> {
    return this.call('POST', `/order/cart/${seg(cartId)}/item/${seg(itemId)}/configuration`, { label, value }, undefined, o, true);
  }
  checkout(cartId: string, o?: OperationOptions): Promise<OvhOrder> {
    return this.call<OvhOrder>('POST', `/order/cart/${seg(cartId)}/checkout`, { autoPayWithPreferredPaymentMethod: true, waiveRetractationPeriod: true }, undefined, o);
  }

  // orders of the account (/me/order)
  async listOrders(o?: OperationOptions): Promise<number[]> {
    return listOf<number>(await this.call<unknown>('GET', '/me/order', undefined, undefined, o), 'GET /me/order');
  }
  orderStatus(orderId: number, o?: OperationOptions): Promise<string | null> {
    return this.getOrNull<string>(`/me/order/${seg(orderId)}/status`, o);
  }
  async orderDetails(orderId: number, o?: OperationOptions): Promise<number[]> {
    return listOf<number>(await this.call<unknown>('GET', `/me/order/${seg(orderId)}/details`, undefined, undefined, o), 'GET /me/order/{orderId}/details');
  }
  orderDetail(orderId: number, detailId: number, o?: OperationOptions): Promise<OvhOrderDetail | null> {
    return this.getOrNull<OvhOrderDetail>(`/me/order/${seg(orderId)}/details/${seg(detailId)}`, o);
  }

  // account SSH keys (/me/sshKey): the default one is installed at delivery
  async listSshKeyNames(o?: OperationOptions): Promise<string[]> {
    return listOf<string>(await this.call<unknown>('GET', '/me/sshKey', undefined, undefined, o), 'GET /me/sshKey');
  }
  getSshKey(keyName: string, o?: OperationOptions): Promise<{ keyName?: string; key?: string; default?: boolean } | null> {
    return this.getOrNull(`/me/sshKey/${seg(keyName)}`, o);
  }
  addSshKey(keyName: string, key: string, o?: OperationOptions): Promise<void> {
    return this.call<void>('POST', '/me/sshKey', { keyName, key }, undefined, o);
  }
  makeDefaultSshKey(keyName: string, o?: OperationOptions): Promise<void> {
    return this.call<void>('PUT', `/me/sshKey/${seg(keyName)}`, { default: true }, undefined, o);
  }

  // dedicated servers
  async listServers(o?: OperationOptions): Promise<string[]> {
    return listOf<string>(await this.call<unknown>('GET', '/dedicated/server', undefined, undefined, o), 'GET /dedicated/server');
  }
  getServer(name: string, o?: OperationOptions): Promise<OvhServer | null> {
    return this.getOrNull<OvhServer>(`/dedicated/server/${seg(name)}`, o);
  }
  updateServer(name: string, body: { bootId?: number; bootScript?: string | null }, o?: OperationOptions): Promise<void> {
    return this.call<void>('PUT', `/dedicated/server/${seg(name)}`, body, undefined, o);
  }
  serviceInfos(name: string, o?: OperationOptions): Promise<OvhServiceInfos | null> {
    return this.getOrNull<OvhServiceInfos>(`/dedicated/server/${seg(name)}/serviceInfos`, o);
  }
  deleteAtExpiration(name: string, o?: OperationOptions): Promise<void> {
    return this.call<void>('PUT', `/dedicated/server/${seg(name)}/serviceInfos`, { renew: { automatic: false, deleteAtExpiration: true, forced: false } }, undefined, o);
  }
  reinstall(name: string, body: { operatingSystem: string; customizations?: Record<string, string> }, o?: OperationOptions): Promise<OvhTask> {
    return this.call<OvhTask>('POST', `/dedicated/server/${seg(name)}/reinstall`, body, undefined, o);
  }
  /** OVH emails a termination token to the admin contact; the answer is a sentence. */
  terminate(name: string, o?: OperationOptions): Promise<string> {
    return this.call<string>('POST', `/dedicated/server/${seg(name)}/terminate`, undefined, undefined, o);
  }
  confirmTermination(name: string, token: string, o?: OperationOptions): Promise<string> {
    return this.call<string>('POST', `/dedicated/server/${seg(name)}/confirmTermination`, { token }, undefined, o);
  }
  reboot(name: string, o?: OperationOptions): Promise<OvhTask> {
    return this.call<OvhTask>('POST', `/dedicated/server/${seg(name)}/reboot`, undefined, undefined, o);
  }
  async tasks(name: string, status: string | undefined, o?: OperationOptions): Promise<number[]> {
    return listOf<number>(await this.call<unknown>('GET', `/dedicated/server/${seg(name)}/task`, undefined, status ? { status } : undefined, o), 'GET /dedicated/server/{serviceName}/task');
  }
  task(name: string, taskId: number, o?: OperationOptions): Promise<OvhTask | null> {
    return this.getOrNull<OvhTask>(`/dedicated/server/${seg(name)}/task/${seg(taskId)}`, o);
  }
  async boots(name: string, bootType: string, o?: OperationOptions): Promise<number[]> {
    return listOf<number>(await this.call<unknown>('GET', `/dedicated/server/${seg(name)}/boot`, undefined, { bootType }, o), 'GET /dedicated/server/{serviceName}/boot');
  }
  boot(name: string, bootId: number, o?: OperationOptions): Promise<OvhNetboot | null> {
    return this.getOrNull<OvhNetboot>(`/dedicated/server/${seg(name)}/boot/${seg(bootId)}`, o);
  }
}
