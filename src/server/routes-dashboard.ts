/** The operator dashboard: sign-in, overview, contract pages, and the manual-provisioner form. */
import type { ServerResponse } from 'node:http';
import type { ServerDeps } from './context.js';
import { contractPage, loginPage, overviewPage } from './dashboard-html.js';
import { HANDLED, HttpError, requireHexId, type Ctx, type Route } from './http.js';
import { clearedSessionCookie } from './operator-auth.js';
import { healthOf, listAgents } from './repo-agents.js';
import { getContract, listContracts, transition } from './repo-contracts.js';
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
  const session = (ctx: Ctx): string | null => operator.session(ctx.req.headers.cookie, deps.now());
  /** The session for a form post: signed in, with a matching CSRF token. */
  const postSession = (ctx: Ctx, fields: URLSearchParams): string => {
    const s = session(ctx);
    if (!s) throw new HttpError(401, 'sign in first');
    if (!operator.checkCsrf(s, fields.get('csrf') ?? '')) throw new HttpError(403, 'bad CSRF token');
    return s;
  };
  const htmlDoc = (summary: string) => ({ summary, tag: TAG, response: 'html' as const });

  return [
    { method: 'GET', path: '/login', auth: 'public', doc: htmlDoc('Operator sign-in form'), handle: async (ctx) => html(ctx.res, 200, loginPage()) },
    {
      method: 'POST',
      path: '/login',
      auth: 'public',
      doc: { summary: 'Sign in with the operator token (form field "token"); sets the session cookie', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        if (!operator.checkToken(form(ctx).get('token') ?? '')) return html(ctx.res, 401, loginPage('Wrong operator token.'));
        return redirect(ctx.res, '/', { 'set-cookie': operator.newSession(deps.now()).cookie });
      },
    },
    {
      method: 'POST',
      path: '/logout',
      auth: 'public',
      doc: { summary: 'Sign out', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        postSession(ctx, form(ctx));
        return redirect(ctx.res, '/login', { 'set-cookie': clearedSessionCookie });
      },
    },
    {
      method: 'GET',
      path: '/',
      auth: 'operator',
      doc: htmlDoc('Contracts and agents overview'),
      handle: async (ctx) => {
        const s = session(ctx);
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
        const s = session(ctx);
        if (!s) return redirect(ctx.res, '/login');
        const contract = await getContract(db, requireHexId(ctx.params.id!, 'contract id'), true);
        if (!contract) throw new HttpError(404, 'contract not found');
        return html(ctx.res, 200, contractPage(contract, await healthOf(db, contract.contract_id), operator.csrfToken(s)));
      },
    },
    {
      method: 'POST',
      path: '/dashboard/contracts/{id}/provisioned',
      auth: 'operator',
      doc: { summary: 'Operator completes a manual provisioning (form fields external_id, ip_address, ipv6_address, ssh_port, root_password, csrf)', tag: TAG, response: 'redirect' },
      handle: async (ctx) => {
        const fields = form(ctx);
        const s = postSession(ctx, fields);
        const contract = await getContract(db, requireHexId(ctx.params.id!, 'contract id'));
        if (!contract) throw new HttpError(404, 'contract not found');
        const externalId = (fields.get('external_id') ?? '').trim();
        const port = Number(fields.get('ssh_port') || 22);
        const back = async (message: string, status: number) =>
          html(ctx.res, status, contractPage((await getContract(db, contract.contract_id, true))!, await healthOf(db, contract.contract_id), operator.csrfToken(s), message));
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
  ];
}
