import type { IncomingHttpHeaders } from 'node:http';

export interface EmuRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the fields of a form body, or undefined. */
  body: any;
  rawBody: string;
  /** The credential the request carried (bearer token or the whole Authorization value). */
  token?: string;
  /** Path and query string as sent, for signature schemes that sign the URL. */
  url: string;
}

export interface EmuResponse {
  status: number;
  /** What the exchange records (and, without `raw`, what is sent as JSON). */
  body?: unknown;
  /** A body sent as is (e.g. XML), with its content-type in `headers`; `body` stays what tests observe. */
  raw?: string;
  headers?: Record<string, string>;
  /** HTTP reason phrase, for APIs that put their message there (Proxmox VE). */
  reason?: string;
}

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

/** A token bucket: `capacity` at once, then `refillPerSecond` (Hetzner's 3,600 an hour, one back each second). */
export interface BucketLimit {
  kind: 'bucket';
  capacity: number;
  /** Tokens back per second of emulated time. */
  refillPerSecond: number;
}

/**
 * At most `limit` requests per `windowMs`: sliding, each request counts until windowMs after it was
 * made (DigitalOcean's hourly limit); fixed, counted per cycle that starts with the first request.
 */
export interface WindowLimit {
  kind: 'window';
  limit: number;
  windowMs: number;
  sliding: boolean;
}

export type LimitRule = (BucketLimit | WindowLimit) & {
  /** Which count a request is charged to (an operation, an endpoint); undefined: this rule does not apply. Default: one per account. */
  scope?: (req: EmuRequest) => string | undefined;
};

/** One rule's state after a request, in emulated epoch ms. */
export interface LimitState {
  limit: number;
  remaining: number;
  /** When the count is whole again (bucket full, window over, or the oldest counted request expired). */
  resetAtMs: number;
  /** Emulated ms until this rule lets one more request through (0 when it did). */
  retryAfterMs: number;
  allowed: boolean;
}

/** Every limit an API enforces on an account: a request must fit them all, and is charged to all when it does. */
export interface RateLimitPolicy {
  limits: LimitRule[];
  /** The API's headers: `headline` is the first rule's state (what most APIs report), `all` every rule's, in order. */
  headers(headline: LimitState, all: LimitState[]): Record<string, string>;
}

export interface Clock {
  /** Emulated epoch milliseconds; runs `scale` times faster than real time. */
  now(): number;
  iso(ms?: number): string;
  readonly scale: number;
}

export interface Faults {
  /**
   * True when a create of `count` servers (default 1) here is refused for capacity; a create let
   * through uses up that much of a roomed fault's room. 0 only asks (an availability listing).
   */
  capacity(region: string, size: string, count?: number): boolean;
  quota(region: string, size: string): boolean;
}

export interface EmulatorContext {
  clock: Clock;
  faults: Faults;
  /** Seeded: the same seed gives the same run. */
  random(): number;
  config: {
    /** Emulated time from create to running. */
    bootMs: number;
    /** Emulated time from create to a public address. */
    ipDelayMs: number;
    /** Emulated duration of an action or task. */
    actionMs: number;
    /** Bare metal: emulated time from order to hardware delivered, and of an OS install. */
    orderMs: number;
    installMs: number;
  };
  /** Runs `effect` once emulated time reaches `atMs`: effects are applied in time order before every request. */
  schedule(atMs: number, effect: () => void): void;
  /** SSH endpoints of the emulated servers (register on boot, unregister on delete); absent in bare API tests. */
  ssh?: EmulatedSshRegistry;
}

/** What an emulated API tells the SSH side about its servers (see ./ssh.ts). */
export interface EmulatedSshRegistry {
  register(r: import('./ssh.js').SshRegistration): void;
  unregister(ip: string): void;
  endpoints(): Promise<Record<string, string>>;
}

export interface Router {
  on(method: string, pattern: string, handler: Handler): void;
}

/** One provider's API: its routes, auth, error format and rate-limit headers. State lives inside. */
export interface EmulatedApi {
  name: string;
  register(router: Router): void;
  authenticate(req: EmuRequest): boolean;
  errorResponse(status: number, code: string, message: string): EmuResponse;
  rateLimit?: RateLimitPolicy;
  /**
   * Where the emulated API checks credentials: the values it accepts, keyed by the environment
   * variables the driver reads (printed by `ferry emulator --json`). Absent: any token is an account.
   */
  credentials?: Record<string, string>;
}

export type ApiFactory = (ctx: EmulatorContext) => EmulatedApi;

/** One request/response pair, for tests that validate traffic against the official specs. */
export interface Exchange {
  api: string;
  method: string;
  path: string;
  query: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
  /** True when the connection was cut after the change was applied (fault injection). */
  reset: boolean;
}
