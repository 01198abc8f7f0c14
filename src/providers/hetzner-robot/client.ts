/**
 * Wire calls to the Hetzner Robot webservice (https://robot.hetzner.com/doc/webservice/en.html):
 * one method per request, basic auth, form bodies. Robot lists whole (no pagination) and sends no
 * rate-limit headers; its limits (GET /server 200 per hour, …) answer 403 RATE_LIMIT_EXCEEDED.
 */
import { ProviderError, type OperationOptions, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, rateLimitStyles, type HttpRequest, type HttpResponse } from '../../transport/index.js';
import { parseRobotError } from './errors.js';
import type { RobotCancellation, RobotKey, RobotProduct, RobotRescue, RobotServer, RobotTransaction } from './schema.js';

export const DEFAULT_ENDPOINT = 'https://robot-ws.your-server.de';
export const PROVIDER = 'hetzner-robot';

type Form = Record<string, string | number | boolean | undefined>;

/** Unwraps `{"kind": {...}}`; anything else is an API change, never a crash. */
function unwrap<T>(body: unknown, kind: string, what: string): T {
  const inner = body && typeof body === 'object' ? (body as Record<string, unknown>)[kind] : undefined;
  if (!inner || typeof inner !== 'object') throw new ProviderError({ kind: 'api', provider: PROVIDER, message: `${what}: expected {"${kind}": {...}}` });
  return inner as T;
}

function unwrapList<T>(body: unknown, kind: string, what: string): T[] {
  if (body === undefined || body === null) return [];
  if (!Array.isArray(body)) throw new ProviderError({ kind: 'api', provider: PROVIDER, message: `${what}: expected a list` });
  return body.map((row) => unwrap<T>(row, kind, what));
}

const seg = (v: string | number) => encodeURIComponent(String(v));

export class RobotClient {
  readonly http: HttpClient;
  readonly baseUrl: string;
  private refused: ProviderError | null = null;

  constructor(config: ProviderConfig, timeouts: ProviderTimeouts) {
    const user = config.credentials.user ?? '';
    const password = config.credentials.password ?? '';
    this.baseUrl = (config.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.http = new HttpClient({
      provider: PROVIDER,
      baseUrl: this.baseUrl,
      timeoutMs: timeouts.httpRequestMs,
      auth: { kind: 'basic', user, password },
      rateLimit: rateLimitStyles.none,
      parseError: (status, body) => parseRobotError(status, body),
      http: config.http,
    });
  }

  /**
   * Every request goes through here. Robot blocks the client's IP after three failed logins, so
   * the first 401 is remembered and every later call of this provider fails with it, unsent.
   */
  private async send(req: HttpRequest): Promise<HttpResponse<unknown>> {
    if (this.refused) throw this.refused;
    try {
      return await this.http.request<unknown>(req);
    } catch (err) {
      if (ProviderError.is(err, 'authentication')) this.refused = err;
      throw err;
    }
  }

  private async get(path: string, o?: OperationOptions): Promise<unknown> {
    return (await this.send({ method: 'GET', path, signal: o?.signal })).body;
  }
  private async getOrNull(path: string, o?: OperationOptions): Promise<unknown> {
    try {
      return await this.get(path, o);
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return null;
      throw err;
    }
  }
  private async post(path: string, form: Form, o?: OperationOptions, idempotent = false): Promise<unknown> {
    return (await this.send({ method: 'POST', path, form, idempotent, signal: o?.signal })).body;
  }

  // servers
  async listServers(o?: OperationOptions): Promise<RobotServer[]> {
    try {
      return unwrapList<RobotServer>(await this.get('/server', o), 'server', 'GET /server');
    } catch (err) {
      // An account without servers answers 404 SERVER_NOT_FOUND to the list.
      if (ProviderError.is(err, 'not_found')) return [];
      throw err;
    }
  }
  async getServer(n: number, o?: OperationOptions): Promise<RobotServer | null> {
    const body = await this.getOrNull(`/server/${seg(n)}`, o);
    return body === null ? null : unwrap<RobotServer>(body, 'server', 'GET /server/{n}');
  }
  async renameServer(n: number, serverName: string, o?: OperationOptions): Promise<RobotServer> {
    return unwrap(await this.post(`/server/${seg(n)}`, { server_name: serverName }, o, true), 'server', 'POST /server/{n}');
  }
  async getCancellation(n: number, o?: OperationOptions): Promise<RobotCancellation | null> {
    const body = await this.getOrNull(`/server/${seg(n)}/cancellation`, o);
    return body === null ? null : unwrap<RobotCancellation>(body, 'cancellation', 'GET /server/{n}/cancellation');
  }
  async cancel(n: number, date: string, reason: string | undefined, o?: OperationOptions): Promise<RobotCancellation> {
    const form: Form = { cancellation_date: date, cancellation_reason: reason, reserve_location: 'false' };
    return unwrap(await this.post(`/server/${seg(n)}/cancellation`, form, o, true), 'cancellation', 'POST /server/{n}/cancellation');
  }

  // boot and reset
  /**
   * Activates the rescue system for the next boot; Robot answers with its root password. The
   * emulator also names, in the emulator-only header x-emulator-rescue-ssh, the loopback
   * host:port where its rescue systems listen (read only when the API itself is on loopback).
   */
  async activateRescue(n: number, o?: OperationOptions): Promise<{ rescue: RobotRescue; emulatedSsh: string | null }> {
    const res = await this.send({ method: 'POST', path: `/boot/${seg(n)}/rescue`, form: { os: 'linux' }, signal: o?.signal });
    const loopback = /^(127\.|\[::1\]|localhost)/.test(new URL(this.baseUrl).host);
    return { rescue: unwrap(res.body, 'rescue', 'POST /boot/{n}/rescue'), emulatedSsh: loopback ? res.headers.get('x-emulator-rescue-ssh') : null };
  }
  async reset(n: number, type: 'sw' | 'hw' | 'man' | 'power', o?: OperationOptions): Promise<void> {
    unwrap(await this.post(`/reset/${seg(n)}`, { type }, o), 'reset', 'POST /reset/{n}');
  }

  // orders
  async listProducts(o?: OperationOptions): Promise<RobotProduct[]> {
    return unwrapList<RobotProduct>(await this.get('/order/server/product', o), 'product', 'GET /order/server/product');
  }
  async listMarketProducts(o?: OperationOptions): Promise<RobotProduct[]> {
    return unwrapList<RobotProduct>(await this.get('/order/server_market/product', o), 'product', 'GET /order/server_market/product');
  }
  /** Orders of the last 30 days on one shelf (an account without any answers 404). */
  async listTransactions(market: boolean, o?: OperationOptions): Promise<RobotTransaction[]> {
    const path = `/order/${market ? 'server_market' : 'server'}/transaction`;
    try {
      return unwrapList<RobotTransaction>(await this.get(path, o), 'transaction', `GET ${path}`);
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return [];
      throw err;
    }
  }
  async getTransaction(id: string, market: boolean, o?: OperationOptions): Promise<RobotTransaction | null> {
    const body = await this.getOrNull(`/order/${market ? 'server_market' : 'server'}/transaction/${seg(id)}`, o);
    return body === null ? null : unwrap<RobotTransaction>(body, 'transaction', 'GET /order/.../transaction/{id}');
  }
  /** authorized_key is sent once per key (form arrays are repeated fields, `authorized_key[]`). */
  async order(market: boolean, form: Form, o?: OperationOptions): Promise<RobotTransaction> {
    const path = `/order/${market ? 'server_market' : 'server'}/transaction`;
    return unwrap(await this.post(path, form, o), 'transaction', `POST ${path}`);
  }

  // keys
  async createKey(name: string, data: string, o?: OperationOptions): Promise<RobotKey> {
    return unwrap(await this.post('/key', { name, data }, o), 'key', 'POST /key');
  }
  async listKeys(o?: OperationOptions): Promise<RobotKey[]> {
    try {
      return unwrapList<RobotKey>(await this.get('/key', o), 'key', 'GET /key');
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return [];
      throw err;
    }
  }
}
