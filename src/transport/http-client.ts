import { ProviderError, type Fetch, type FetchResponse, type HttpSettings, type ResponseHeaders } from '../core/index.js';
import { kindForStatus, mapFetchFailure, parseRetryAfter, retryableStatus, type ParsedError } from './error-mapping.js';
import { defaultFetch } from './node-fetch.js';
import { accountKey, budgetFor, type RateBudget, type RateLimitStyle } from './rate-limit.js';
import { redactor } from './redact.js';
import { jitteredBackoff, retryDelay, type RetryPolicy } from './retry.js';
import { sleep } from '../core/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export type Auth =
  | { kind: 'bearer'; token: string }
  | { kind: 'header'; name: string; value: string; secret: string }
  | { kind: 'basic'; user: string; password: string }
  /** A provider's own request signature (OVH's, say): sets headers on each request as it is sent. */
  | { kind: 'sign'; sign: (req: SignableRequest) => void | Promise<void>; secrets: string[]; account: string }
  | { kind: 'none' };

/** What a signer sees and may add headers to; the URL includes the query string. */
export interface SignableRequest {
  method: HttpMethod;
  url: string;
  body: string | undefined;
  /** Lower-case names; a signer adds its own. */
  headers: Record<string, string>;
}

export interface HttpClientOptions {
  provider: string;
  baseUrl: string;
  timeoutMs: number;
  auth: Auth;
  rateLimit: RateLimitStyle;
  /** Reads the provider's error body (and reason phrase, where Proxmox puts its text); kind overrides the status mapping. */
  parseError: (status: number, body: unknown, headers: ResponseHeaders, statusText: string) => ParsedError;
  requestIdHeader?: string;
  http?: HttpSettings;
  /** Extra secrets to redact (e.g. a password inside a request). */
  secrets?: string[];
  /** Reads a response body; JSON (or the text itself) by default. Plug an XML reader here. */
  decode?: (text: string, contentType: string | null) => unknown;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Appended to baseUrl. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** x-www-form-urlencoded body (Proxmox). */
  form?: Record<string, string | number | boolean | undefined>;
  /** Marks a POST/PATCH safe to re-send (GET/PUT/DELETE always are). */
  idempotent?: boolean;
  /** Extra request headers the API reads (e.g. Linode's X-Filter); auth and content headers win. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: ResponseHeaders;
  body: T;
}

type RequestOptions = Omit<HttpRequest, 'method' | 'path' | 'body'>;

/**
 * The fetch pipeline of one driver: budget → auth → fetch with timeout → error mapping → retry.
 * Every step is injectable through HttpSettings; nothing here is a module global but the default budget pool.
 */
export class HttpClient {
  private readonly fetch: Fetch;
  private readonly budget: RateBudget;
  private readonly retry: RetryPolicy;
  private readonly redact: (s: string) => string;
  private readonly timeScale: number;

  constructor(private readonly o: HttpClientOptions) {
    const h = o.http ?? {};
    this.fetch = h.fetch ?? defaultFetch;
    this.timeScale = h.timeScale ?? 1;
    // Against a time-scaled emulator the pause before a retry shrinks with its clock, like every other wait.
    this.retry = { maxRetries: h.maxRetries ?? 4, backoffMs: h.backoffMs ?? ((n) => jitteredBackoff(n) / this.timeScale) };
    this.redact = redactor([...secretsOf(o.auth), ...(o.secrets ?? [])]);
    this.budget = budgetFor(h.budgets, `${o.provider}|${o.baseUrl}|${accountOf(o.auth)}`, this.timeScale);
  }

  get<T>(path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'GET', path });
  }
  post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'POST', path, body });
  }
  put<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'PUT', path, body });
  }
  patch<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'PATCH', path, body });
  }
  delete<T>(path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...opts, method: 'DELETE', path });
  }

  async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    let rateLimited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(req);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        const delay = retryDelay(err, attempt, idempotent, this.retry, rateLimited);
        if (delay === null) throw err;
        if (err.kind === 'rate_limited') rateLimited++;
        await sleep(delay, req.signal);
      }
    }
  }

  private url(req: HttpRequest): string {
    const url = new URL(this.o.baseUrl.replace(/\/+$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  private headers(req: HttpRequest): { headers: Record<string, string>; body: string | undefined } {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'ferry' };
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    const a = this.o.auth;
    if (a.kind === 'bearer') headers.authorization = `Bearer ${a.token}`;
    else if (a.kind === 'header') headers[a.name.toLowerCase()] = a.value;
    else if (a.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;
    let body: string | undefined;
    if (req.form) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    return { headers, body };
  }

  private async once<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    await this.budget.acquire(req.signal);
    try {
      return await this.sendAcquired<T>(req);
    } finally {
      this.budget.settle();
    }
  }

  private async sendAcquired<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const url = this.url(req);
    const what = `${req.method} ${this.redact(new URL(url).pathname)}`;
    const { headers, body } = this.headers(req);
    if (this.o.auth.kind === 'sign') await this.o.auth.sign({ method: req.method, url, body, headers });
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const started = Date.now();
    let res: FetchResponse;
    let text: string;
    try {
      res = await this.fetch(url, { method: req.method, headers, body, signal });
      text = await res.text();
    } catch (err) {
      const mapped = mapFetchFailure(this.o.provider, err, what, this.o.timeoutMs);
      this.o.http?.log?.(this.redact(`${what} → ${mapped.kind} ${Date.now() - started}ms`));
      throw mapped;
    }
    this.o.http?.log?.(this.redact(`${what} → ${res.status} ${Date.now() - started}ms`));
    const reading = this.o.rateLimit(res.headers);
    if (reading) this.budget.observe(reading);
    const parsed = (this.o.decode ?? parseBody)(text, res.headers.get('content-type'));
    if (res.ok) return { status: res.status, headers: res.headers, body: parsed as T };
    throw this.toError(res, parsed);
  }

  private toError(res: FetchResponse, body: unknown): ProviderError {
    const p = this.o.parseError(res.status, body, res.headers, res.statusText);
    const kind = p.kind ?? kindForStatus(res.status);
    let retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    if (retryAfterMs !== undefined) retryAfterMs /= this.timeScale;
    if (kind === 'rate_limited') this.budget.block(retryAfterMs ?? 1000 / this.timeScale);
    const requestId = (this.o.requestIdHeader ? res.headers.get(this.o.requestIdHeader) : null) ?? p.requestId;
    return new ProviderError({
      kind,
      provider: this.o.provider,
      status: res.status,
      requestId,
      retryAfterMs,
      retryable: p.retryable ?? (kind === 'rate_limited' || retryableStatus(res.status)),
      subject: p.code,
      code: p.code,
      ...(p.field ? { field: p.field } : {}),
      sent: true,
      message: this.redact(p.message || `HTTP ${res.status}`),
    });
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function secretsOf(a: Auth): string[] {
  if (a.kind === 'bearer') return [a.token];
  if (a.kind === 'header') return [a.secret, a.value];
  if (a.kind === 'basic') return [a.password];
  if (a.kind === 'sign') return a.secrets;
  return [];
}

function accountOf(a: Auth): string {
  return accountKey(a.kind === 'sign' ? a.account : (secretsOf(a)[0] ?? ''));
}
