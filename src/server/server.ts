/**
 * `ferry server`: the control plane over node:http. All state is in the Db, so any number of
 * replicas may share one Postgres; the process keeps only caches of nothing and the set of
 * long-polls it is currently holding open.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../store/db.js';
import { StoreError } from '../store/db.js';
import { authenticate } from './auth.js';
import type { ServerDeps } from './context.js';
import { Dispatcher } from './dispatch.js';
import { HANDLED, HttpError, readBody, Router, sendEnvelope, sendJson, type Ctx, type Route } from './http.js';
import { OperatorAuth } from './operator-auth.js';
import { openApiDocument } from './openapi.js';
import { purgeExpiredNonces } from './repo-auth.js';
import { agentRoutes } from './routes-agent.js';
import { dashboardRoutes } from './routes-dashboard.js';
import { marketRoutes } from './routes-market.js';
import { controlPlaneMigrations } from './schema.js';
import { resolveQuotas, type Quotas } from './limits.js';
import { UserError } from '../core/errors.js';

export interface ServerOptions {
  db: Db;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Unix milliseconds; for tests. */
  now?: () => number;
  /** Dashboard sign-in token; default FERRY_OPERATOR_TOKEN, else a random one (see ServerHandle.operatorToken). */
  operatorToken?: string;
  /** How often a held long-poll re-reads the database (the cross-replica wake-up). Default 100 ms. */
  longPollIntervalMs?: number;
  maxWaitSeconds?: number;
  /** Apply the control-plane migrations first (default true). */
  migrate?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Per-key quotas and rate limits (defaults in limits.ts, FERRY_QUOTA_* variables over them). */
  quotas?: Partial<Quotas>;
  /** Re-runs of a handler whose database work hit a serialization failure or lock timeout (default 4). */
  busyRetries?: number;
}

export interface ServerHandle {
  url: string;
  operatorToken: string;
  operatorTokenGenerated: boolean;
  routes: readonly Route[];
  close(): Promise<void>;
}

export function buildRoutes(deps: ServerDeps): Route[] {
  const routes: Route[] = [
    ...agentRoutes(deps),
    ...marketRoutes(deps),
    ...dashboardRoutes(deps),
    {
      method: 'GET',
      path: '/api/v1/health',
      auth: 'public',
      doc: { summary: 'Liveness and database reachability', tag: 'system', response: { type: 'object', properties: { status: { type: 'string' } } } },
      handle: async () => {
        await deps.db.query('SELECT 1 AS ok');
        return { status: 'ok' };
      },
    },
  ];
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    auth: 'public',
    doc: { summary: 'This OpenAPI document', tag: 'system', response: { type: 'object' } },
    handle: async (ctx) => {
      sendJson(ctx.res, 200, openApiDocument(routes, deps.publicUrl()));
      return HANDLED;
    },
  });
  return routes;
}

export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const env = options.env ?? process.env;
  if (options.migrate !== false) await options.db.migrate(controlPlaneMigrations);
  let url = '';
  const deps: ServerDeps = {
    db: options.db,
    now: options.now ?? Date.now,
    dispatcher: new Dispatcher(options.longPollIntervalMs ?? 100),
    maxWaitSeconds: options.maxWaitSeconds ?? 60,
    operator: new OperatorAuth(options.operatorToken ?? env.FERRY_OPERATOR_TOKEN),
    publicUrl: () => url,
    quotas: resolveQuotas(env, options.quotas),
  };
  const router = new Router(buildRoutes(deps));
  const busyRetries = options.busyRetries ?? 4;
  const server = createServer((req, res) => void handle(deps, router, req, res, busyRetries));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, options.host ?? '127.0.0.1', options.port ?? 0)));
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  url = `http://${host}:${addr.port}`;
  // Expired nonces are useless; any replica may delete them, and doing it twice is harmless.
  const purge = setInterval(() => void purgeExpiredNonces(deps.db, deps.now()).catch(() => undefined), 60_000);
  purge.unref();
  let closing: Promise<void> | undefined;
  return {
    url,
    operatorToken: deps.operator.token,
    operatorTokenGenerated: deps.operator.generated,
    routes: router.routes,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        deps.dispatcher.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Held long-polls were just released; give their responses a moment, then cut what is left.
        const cut = setTimeout(() => server.closeAllConnections(), 2000);
        await closed;
        clearTimeout(cut);
      })();
      return closing;
    },
  };
}

/** A port in use or not ours to bind is the user's to fix, not a bug. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new UserError(`port ${port} on ${host} is already in use`, 'stop what listens there or pass --port with a free port (0 picks one)');
  if (err.code === 'EACCES') return new UserError(`not allowed to listen on ${host}:${port}`, 'ports below 1024 need privileges: pick --port 1024 or above');
  if (err.code === 'EADDRNOTAVAIL') return new UserError(`${host} is not an address of this machine`, 'pass --host with one of its addresses (127.0.0.1, 0.0.0.0)');
  return err;
}

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the handler, again after a serialization failure or lock timeout (StoreError 'busy'): every
 * handler's writes are transactions that rolled back whole, so a re-run is the same request once.
 * Authentication is not repeated (its nonce is already claimed).
 */
async function withBusyRetry<T>(run: () => Promise<T>, retries: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!StoreError.is(err, 'busy') || attempt >= retries) throw err;
      await sleepMs(Math.floor((10 + Math.random() * 40) * 2 ** attempt));
    }
  }
}

async function handle(deps: ServerDeps, router: Router, req: IncomingMessage, res: ServerResponse, busyRetries: number): Promise<void> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const isApi = path.startsWith('/api/');
  res.setHeader('x-content-type-options', 'nosniff'); // every answer is exactly the type it says
  try {
    const match = router.match(req.method ?? 'GET', path);
    if (match === null) throw new HttpError(404, `no route for ${path}`);
    if (match === 'method') throw new HttpError(405, `${req.method} is not allowed on ${path}`);
    const body = await readBody(req);
    const ctx: Ctx = { req, res, params: match.params, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)), body, caller: null };
    if (match.route.auth === 'signed') ctx.caller = await withBusyRetry(() => authenticate(deps.db, req, path, body, deps.now()), busyRetries);
    const data = await withBusyRetry(() => match.route.handle(ctx), busyRetries);
    if (data === HANDLED || res.headersSent) return;
    if (res.destroyed) return;
    sendEnvelope(res, 200, data);
  } catch (err) {
    if (res.headersSent || res.destroyed) return;
    if (err instanceof HttpError) {
      const data = (err as HttpError & { data?: unknown }).data ?? null;
      if (isApi || req.headers.accept?.includes('application/json')) sendEnvelope(res, err.status, data, err.message, err.headers);
      else {
        res.writeHead(err.status, { 'content-type': 'text/plain; charset=utf-8', ...err.headers });
        res.end(err.message);
      }
      return;
    }
    // A value the database refused for its type (a backstop behind the field checks) is the request's fault.
    if (StoreError.is(err, 'invalid')) {
      sendEnvelope(res, 400, null, 'a value does not fit its field (NUL character, unpaired surrogate, or a number out of range)');
      return;
    }
    const busy = StoreError.is(err, 'busy') || StoreError.is(err, 'connection');
    if (!busy) console.error('ferry server: unexpected error', err);
    sendEnvelope(res, busy ? 503 : 500, null, busy ? 'database unavailable, try again' : 'internal error', busy ? { 'retry-after': '1' } : {});
  }
}
