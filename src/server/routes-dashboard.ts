/** The operator dashboard: sign-in, overview, contract pages, and the manual-provisioner form. */
import type { ServerResponse } from 'node:http';
import type { Contract } from '../protocol/api.js';
import type { ServerDeps } from './context.js';
import { contractPage, loginPage, overviewPage } from './dashboard-html.js';
import { HANDLED, HttpError, requireHexId, type Ctx, type Route } from './http.js';
import { clearedSessionCookie, LoginThrottle, sessionExpiry, sessionHash } from './operator-auth.js';
import { healthOf, listAgents } from './repo-agents.js';
import { getContract, listContracts, transition } from './repo-contracts.js';
import { getOffering } from './repo-offerings.js';
import { clearLock } from './repo-locks.js';
import { provisionedChange } from './routes-agent.js';

const TAG = 'dashboard';

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): typeof HANDLED {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(body);
  return HANDLED;
}

function redirect(res: ServerResponse, to: string, headers: Record<string, string> = {}): typeof HANDLED {
  res.writeHead(303, { location: to, 'content-length': 0, ...headers });
  res.end();
  return HANDLED;
}

function form(ctx: Ctx): URLSearchParams {
  return new URLSearchParams(ctx.body.toString('utf8'));
}

export function dashboardRoutes(deps: ServerDeps): Route[] {
  const { db, operator } = deps;
  const throttle = new LoginThrottle(deps.quotas.failedLoginsPerMinute);
  /** An authentic, unexpired session that was not signed out (on any replica). */
  const session = async (ctx: Ctx): Promise<string | null> => {
    const s = operator.session(ctx.req.headers.cookie, deps.now());
    if (!s) return null;
    const revoked = await db.query('SELECT 1 AS r FROM cp_revoked_sessions WHERE session_hash = $1', [sessionHash(s)]);
    return revoked.length === 0 ? s : null;
  };
  /** The session for a form post: signed in, with a matching CSRF token. */
  const postSession = async (ctx: Ctx, fields: URLSearchParams): Promise<string> => {
    const s = await session(ctx);
    if (!s) throw new HttpError(401, 'sign in first');
    if (!operator.checkCsrf(s, fields.get('csrf') ?? '')) throw new HttpError(403, 'bad CSRF token');
    return s;
  };
  const htmlDoc = (summary: string) => ({ summary, tag: TAG, response: 'html' as const });
  const isManual = async (c: Contract): Promise<boolean> => (await getOffering(db, c.offering_id, true))?.provisioner_type === 'manual';
  /** The contract page, fresh from the database, optionally with a message and an error status. */
  const showContract = async (ctx: Ctx, s: string, id: string, status = 200, message?: string) => {
    const c = (await getContract(db, id, true))!;
    const page = contractPage(c, await healthOf(db, id), operator.csrfToken(s), { manualProvisioner: await isManual(c), ...(message ? { message } : {}) });
    return html(ctx.res, status, page);
  };
  const postedContract = async (ctx: Ctx): Promise<{ fields: URLSearchParams; s: string; contract: Contract }> => {
    const fields = form(ctx);
    const s = await postSession(ctx, fields);
    const contract = await getContract(db, requireHexId(ctx.params.id!, 'contract id'));
    if (!contract) throw new HttpError(404, 'contract not found');
    return { fields, s, contract };
  };

  return [
    { method: 'GET', path: '/login', auth: 'public', doc: htmlDoc('Operator sign-in form'), handle: async (ctx) => html(ctx.res, 200, loginPage()) },
    {
      method: 'POST',
      path: '/login',
      auth: 'public',
      doc: { summary: 'Sign in with the operator token (form field "token"); sets the session cookie', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        const client = ctx.req.socket.remoteAddress ?? 'unknown';
        const wait = throttle.blockedFor(client, deps.now());
        if (wait > 0) return html(ctx.res, 429, loginPage('Too many failed sign-ins: wait a minute.'), { 'retry-after': String(Math.ceil(wait / 1000)) });
        if (!operator.checkToken(form(ctx).get('token') ?? '')) {
          throttle.fail(client, deps.now());
          return html(ctx.res, 401, loginPage('Wrong operator token.'));
        }
        // Behind TLS (directly or through a proxy that says so) the cookie never travels in clear.
        const tls = (ctx.req.socket as { encrypted?: boolean }).encrypted === true || ctx.req.headers['x-forwarded-proto'] === 'https';
        return redirect(ctx.res, '/', { 'set-cookie': operator.newSession(deps.now(), tls).cookie });
      },
    },
    {
      method: 'POST',
      path: '/logout',
      auth: 'public',
      doc: { summary: 'Sign out', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        const s = await postSession(ctx, form(ctx));
        // Revoked server-side: a copy of the cookie kept elsewhere stops working too, on every replica.
        await db.execute('INSERT INTO cp_revoked_sessions (session_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sessionHash(s), sessionExpiry(s)]);
        await db.execute('DELETE FROM cp_revoked_sessions WHERE expires_at < $1', [deps.now()]);
        return redirect(ctx.res, '/login', { 'set-cookie': clearedSessionCookie });
      },
    },
    {
      method: 'GET',
      path: '/',
      auth: 'operator',
      doc: htmlDoc('Contracts and agents overview'),
      handle: async (ctx) => {
        const s = await session(ctx);
        if (!s) return redirect(ctx.res, '/login');
        const [contracts, agents] = await Promise.all([listContracts(db, { limit: 200 }), listAgents(db)]);
        return html(ctx.res, 200, overviewPage(contracts, agents, deps.now(), operator.csrfToken(s)));
      },
    },
    {
      method: 'GET',
      path: '/dashboard/contracts/{id}',
      auth: 'operator',
      doc: htmlDoc('One contract: history, health, and the manual provisioning form'),
      handle: async (ctx) => {
        const s = await session(ctx);
        if (!s) return redirect(ctx.res, '/login');
        const contract = await getContract(db, requireHexId(ctx.params.id!, 'contract id'));
        if (!contract) throw new HttpError(404, 'contract not found');
        return showContract(ctx, s, contract.contract_id);
      },
    },
    {
      method: 'POST',
      path: '/dashboard/contracts/{id}/provisioned',
      auth: 'operator',
      doc: { summary: 'Operator completes a manual provisioning (form fields external_id, ip_address, ipv6_address, ssh_port, root_password, csrf)', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        const { fields, s, contract } = await postedContract(ctx);
        const externalId = (fields.get('external_id') ?? '').trim();
        const port = Number(fields.get('ssh_port') || 22);
        const back = (message: string, status: number) => showContract(ctx, s, contract.contract_id, status, message);
        if (!externalId) return back('External id is required.', 400);
        if (!Number.isInteger(port) || port < 1 || port > 65535) return back('SSH port must be 1–65535.', 400);
        const opt = (name: string): string | null => (fields.get(name) ?? '').trim() || null;
        const actor = 'operator:dashboard';
        const result = await transition(db, contract.contract_id, [
          { to: 'provisioning', actor, idempotent: true },
          provisionedChange(contract.contract_id, contract.requester_pubkey, {
            external_id: externalId,
            ip_address: opt('ip_address'),
            ipv6_address: opt('ipv6_address'),
            ssh_port: port,
            root_password: fields.get('root_password') || null,
          }, actor),
        ], deps.now());
        if (!result.ok) return back(`Cannot mark a ${result.status ?? 'missing'} contract provisioned.`, 409);
        await clearLock(db, contract.contract_id);
        return redirect(ctx.res, `/dashboard/contracts/${contract.contract_id}`);
      },
    },
    {
      method: 'POST',
      path: '/dashboard/contracts/{id}/terminated',
      auth: 'operator',
      doc: { summary: 'Operator records that a manually provisioned instance was torn down (form fields note, csrf); only for terminating contracts of manual offerings', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        const { fields, s, contract } = await postedContract(ctx);
        const back = (message: string) => showContract(ctx, s, contract.contract_id, 409, message);
        // Other provisioners' agents tear their instances down and report it themselves.
        if (!(await isManual(contract))) return back('Only contracts served by the manual provisioner are marked terminated here; their agent reports the others.');
        if (contract.status !== 'terminating') return back(`Cannot mark a ${contract.status} contract terminated: the requester has not ended it.`);
        const note = (fields.get('note') ?? '').trim().slice(0, 500) || null;
        const result = await transition(db, contract.contract_id, [{ to: 'terminated', actor: 'operator:dashboard', detail: note }], deps.now());
        if (!result.ok) return back(`Cannot mark a ${result.status ?? 'missing'} contract terminated.`);
        await clearLock(db, contract.contract_id);
        return redirect(ctx.res, `/dashboard/contracts/${contract.contract_id}`);
      },
    },
  ];
}
