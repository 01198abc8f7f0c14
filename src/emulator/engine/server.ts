import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultSpec } from './faults.js';
import { jsonBytes } from './json.js';
import { RateLimiter } from './rate-limiter.js';
import { PathRouter } from './router.js';
import type { EmuRequest, EmuResponse, EmulatedApi, EmulatorContext, Exchange, RateLimitPolicy } from './types.js';

export interface ServeOptions {
  host: string;
  port: number;
  faults: FaultSpec;
  /** Overrides the API's own rate limit (e.g. a tighter one for a benchmark); null turns it off. */
  rateLimit?: RateLimitPolicy | null;
  observe?: (x: Exchange) => void;
}

export interface ServedApi {
  name: string;
  url: string;
  /** Requests answered (including injected faults), for benchmarks. */
  requestCount(): number;
  close(): Promise<void>;
}

/** Emulator-only path answering `{ "<emulated ip>": "127.0.0.1:<port>" }` on every emulated API. */
export const SSH_ENDPOINTS_PATH = '/__emulator/ssh';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One loopback HTTP server for one emulated API. The engine does what every provider shares —
 * body parsing, routing, auth, rate limits, injected faults — and handlers keep only the provider's semantics.
 */
export async function serveApi(api: EmulatedApi, ctx: EmulatorContext & { runDue?: () => void }, o: ServeOptions): Promise<ServedApi> {
  const router = new PathRouter();
  api.register(router);
  const policy = o.rateLimit === undefined ? api.rateLimit : (o.rateLimit ?? undefined);
  const limiter = policy ? new RateLimiter(policy, ctx.clock) : undefined;
  let count = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    count++;
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const emu: EmuRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      params: {},
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(rawBody, req.headers['content-type']),
      rawBody,
      token: tokenOf(req.headers.authorization),
      url: req.url ?? '/',
    };
    ctx.runDue?.();
    const exchange = (status: number, responseBody: unknown, reset = false) =>
      o.observe?.({ api: api.name, method: emu.method, path: emu.path, query: url.search, requestBody: emu.body, status, responseBody, reset });
    const send = async (r: EmuResponse, extra: Record<string, string> = {}) => {
      if (o.faults.slow && ctx.random() < o.faults.slow) await new Promise((ok) => setTimeout(ok, o.faults.slowMs ?? 200));
      // Encoded once with its length, as real APIs answer: no chunked encoding measuring the string again.
      const body = r.raw !== undefined ? Buffer.from(r.raw, 'utf8') : r.body === undefined ? Buffer.alloc(0) : jsonBytes(r.body);
      // The server's clock is the emulated one, as a real provider's Date header is its own.
      const date = new Date(ctx.clock.now()).toUTCString();
      const json = body.length && r.raw === undefined ? { 'content-type': 'application/json' } : {};
      const length = body.length ? { 'content-length': String(body.length) } : {};
      const headers = { date, ...json, ...length, ...extra, ...r.headers };
      if (r.reason) res.writeHead(r.status, r.reason, headers);
      else res.writeHead(r.status, headers);
      res.end(body);
      exchange(r.status, r.body);
    };

    // Emulator-only: where each emulated server's SSH answers (IP → loopback host:port); no auth, no faults.
    if (emu.path === SSH_ENDPOINTS_PATH && emu.method === 'GET') return send({ status: 200, body: ctx.ssh ? await ctx.ssh.endpoints() : {} });
    if (emu.body === INVALID_JSON) return send(api.errorResponse(400, 'invalid_input', 'request body is not valid JSON'));
    if (!api.authenticate(emu)) return send(api.errorResponse(401, 'unauthorized', 'unable to authenticate'));

    let limitHeaders: Record<string, string> = {};
    if (limiter && policy) {
      const s = limiter.take(emu.token ?? '', emu);
      if (s.states.length > 0) limitHeaders = policy.headers(s.states[0]!, s.states);
      if (!s.allowed) {
        const retry = String(Math.max(1, Math.ceil(s.retryAfterMs / 1000)));
        return send(api.errorResponse(429, 'rate_limit_exceeded', 'rate limit exceeded'), { ...limitHeaders, 'retry-after': retry });
      }
    }
    if (o.faults.rate429 && ctx.random() < o.faults.rate429) {
      return send(api.errorResponse(429, 'rate_limit_exceeded', 'rate limit exceeded (injected)'), { ...limitHeaders, 'retry-after': '1' });
    }
    if (o.faults.error5xx && ctx.random() < o.faults.error5xx) {
      return send(api.errorResponse(503, 'service_unavailable', 'service unavailable (injected)'), limitHeaders);
    }

    const route = router.match(emu.method, emu.path);
    if (route === undefined) return send(api.errorResponse(404, 'not_found', `no route for ${emu.method} ${emu.path}`), limitHeaders);
    if (route === 'method_not_allowed') return send(api.errorResponse(405, 'method_not_allowed', `${emu.method} not allowed on ${emu.path}`), limitHeaders);
    emu.params = route.params;
    const result = await route.handler(emu);

    if (MUTATING.has(emu.method) && o.faults.resetAfterCommit && ctx.random() < o.faults.resetAfterCommit) {
      exchange(result.status, result.body, true);
      req.socket.destroy(); // the change is applied; the client never hears of it
      return;
    }
    return send(result, limitHeaders);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const r = api.errorResponse(500, 'server_error', `emulator failure: ${(err as Error)?.message ?? err}`);
      if (!res.headersSent) res.writeHead(r.status, { ...(r.raw === undefined ? { 'content-type': 'application/json' } : {}), ...r.headers });
      res.end(r.raw ?? JSON.stringify(r.body));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    name: api.name,
    url: `http://${host}:${port}`,
    requestCount: () => count,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const INVALID_JSON = Symbol('invalid json');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return contentType?.includes('json') ? INVALID_JSON : raw;
  }
}

function tokenOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(authorization);
  return m ? m[1] : authorization;
}
