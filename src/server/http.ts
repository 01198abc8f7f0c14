/** A small router over node:http: routes are data (method, path template, auth), so the OpenAPI document is generated from the same table. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Envelope } from '../protocol/api.js';

export type RouteAuth = 'signed' | 'public' | 'operator';

export interface Caller {
  /** The key that signed the request. */
  signer: string;
  role: 'provider' | 'agent';
  /** The party the signer acts for: itself, or the provider that delegated an agent key. */
  party: string;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  caller: Caller | null;
}

export interface RouteDoc {
  summary: string;
  tag: string;
  /** JSON schema (or $ref) of the request body. */
  request?: object;
  /** The body may be left out (ferry extensions on Decent Cloud's body-less calls). */
  requestOptional?: boolean;
  /** JSON schema of the envelope's data, or 'html' for pages. */
  response?: object | 'html' | 'redirect';
  query?: { name: string; description: string; schema: object }[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: RouteAuth;
  doc: RouteDoc;
  handle(ctx: Ctx): Promise<unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The handler already wrote the response (HTML pages, redirects). */
export const HANDLED = Symbol('handled');

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly compiled: Compiled[] = [];
  constructor(readonly routes: readonly Route[]) {
    for (const route of routes) {
      const names: string[] = [];
      const pattern = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      this.compiled.push({ route, regex: new RegExp(`^${pattern}$`), names });
    }
  }

  /** The route for method + path, 'method' when only the method is wrong, or null. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | null {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodePathParam(m[i + 1]!)));
      return { route: c.route, params };
    }
    return pathMatched ? 'method' : null;
  }
}

function decodePathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path');
  }
}

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEnvelope<T>(res: ServerResponse, status: number, data: T | null, error: string | null = null, headers: Record<string, string> = {}): void {
  const envelope: Envelope<T> = { success: error === null, data, error };
  sendJson(res, status, envelope, headers);
}

/** Parses a JSON body into an object, or fails with 400. An empty body reads as {}. */
export function jsonBody(ctx: Ctx): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A NUL or a lone UTF-16 surrogate: neither survives a round trip through PostgreSQL TEXT or SQLite unaltered. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Fails with 400 naming the field when text cannot be stored exactly as given. */
export function storableText(value: string, name: string): string {
  if (UNSTORABLE.test(value)) throw new HttpError(400, `${name} contains a NUL character or an unpaired UTF-16 surrogate`);
  return value;
}

/** Replaces what cannot be stored (NUL, lone surrogates) and cuts to max characters: for reports that must not be refused. */
export function sanitizeText(value: string, max: number): string {
  const clean = value.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Column ranges: INTEGER is 32-bit on PostgreSQL; BIGINT is 64-bit, kept within what a JS number carries exactly enough. */
export const INT32_MAX = 2_147_483_647;
/** Below 2^63 by a margin: a double near 2^63 rounds up past BIGINT's range. */
export const INT64_MAX = 9_200_000_000_000_000_000;

/** Small typed field readers that fail with 400 naming the field. */
export const field = {
  string(o: Record<string, unknown>, name: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
    const v = o[name];
    if (v === undefined || v === null) {
      if (opts.optional) return undefined;
      throw new HttpError(400, `${name} is required`);
    }
    if (typeof v !== 'string') throw new HttpError(400, `${name} must be a string`);
    const max = opts.max ?? 4096;
    if (v.length > max) throw new HttpError(400, `${name} is too long (at most ${max} characters)`);
    return storableText(v, name);
  },
  /**
   * A number within its column: integers are 32-bit unless bits: 64 (BIGINT, e.g. nanosecond
   * times), and every number is bounded, so 1e300 is refused on SQLite exactly as on PostgreSQL.
   */
  number(
    o: Record<string, unknown>,
    name: string,
    opts: { optional?: boolean; min?: number; max?: number; integer?: boolean; bits?: 32 | 64 } = {},
  ): number | undefined {
    const v = o[name];
    if (v === undefined || v === null) {
      if (opts.optional) return undefined;
      throw new HttpError(400, `${name} is required`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, `${name} must be a number`);
    if (opts.integer && !Number.isInteger(v)) throw new HttpError(400, `${name} must be an integer`);
    const limit = opts.integer ? (opts.bits === 64 ? INT64_MAX : INT32_MAX) : 1e15;
    const min = Math.max(opts.min ?? -limit, -limit);
    const max = Math.min(opts.max ?? limit, limit);
    if (v < min) throw new HttpError(400, `${name} must be at least ${min}`);
    if (v > max) throw new HttpError(400, `${name} must be at most ${max}`);
    return v;
  },
};

export function requireCaller(ctx: Ctx): Caller {
  if (!ctx.caller) throw new HttpError(401, 'a signed request is required');
  return ctx.caller;
}

/** The caller must act for this party (the path's provider key): 403 otherwise. */
export function requireParty(ctx: Ctx, party: string): Caller {
  const caller = requireCaller(ctx);
  if (caller.party !== party.toLowerCase()) throw new HttpError(403, 'the signing key does not belong to this party');
  return caller;
}

/** A short token-safe id (offering ids): anything else in a path or body is a 400, never a database error. */
export function requireTokenId(value: string, what: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw new HttpError(400, `${what} must be 1-64 characters of A-Z a-z 0-9 . _ -`);
  return value;
}

export function requireHexId(value: string, what: string): string {
  if (!/^[0-9a-fA-F]{2,128}$/.test(value)) throw new HttpError(400, `${what} must be hex`);
  return value.toLowerCase();
}
