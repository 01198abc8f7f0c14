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
  };
  const router = new Router(buildRoutes(deps));
  const server = createServer((req, res) => void handle(deps, router, req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
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

async function handle(deps: ServerDeps, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    if (match.route.auth === 'signed') ctx.caller = await authenticate(deps.db, req, path, body, deps.now());
    const data = await match.route.handle(ctx);
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
    const busy = StoreError.is(err, 'busy') || StoreError.is(err, 'connection');
    if (!busy) console.error('ferry server: unexpected error', err);
    sendEnvelope(res, busy ? 503 : 500, null, busy ? 'database unavailable, try again' : 'internal error', busy ? { 'retry-after': '1' } : {});
  }
}
