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

/** Small typed field readers that fail with 400 naming the field. */
export const field = {
  string(o: Record<string, unknown>, name: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
    const v = o[name];
    if (v === undefined || v === null) {
      if (opts.optional) return undefined;
      throw new HttpError(400, `${name} is required`);
    }
    if (typeof v !== 'string') throw new HttpError(400, `${name} must be a string`);
    if (v.length > (opts.max ?? 65536)) throw new HttpError(400, `${name} is too long`);
    return v;
  },
  number(o: Record<string, unknown>, name: string, opts: { optional?: boolean; min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = o[name];
    if (v === undefined || v === null) {
      if (opts.optional) return undefined;
      throw new HttpError(400, `${name} is required`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new HttpError(400, `${name} must be a number`);
    if (opts.integer && !Number.isInteger(v)) throw new HttpError(400, `${name} must be an integer`);
    if (opts.min !== undefined && v < opts.min) throw new HttpError(400, `${name} must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) throw new HttpError(400, `${name} must be at most ${opts.max}`);
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

export function requireHexId(value: string, what: string): string {
  if (!/^[0-9a-fA-F]{2,128}$/.test(value)) throw new HttpError(400, `${what} must be hex`);
  return value.toLowerCase();
}
