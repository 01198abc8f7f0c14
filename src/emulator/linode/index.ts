/**
 * Emulated Linode API v4 (https://api.linode.com/v4), at its real paths: Linodes and their power
 * and disks, events, images captured from disks, profile SSH keys, types with region_prices and
 * GPUs, regions with capabilities, firewalls, VPCs and volumes; X-Filter, page/pages pagination,
 * Linode's error body, and its per-operation fixed-window rate limits with X-RateLimit-* headers.
 */
import type { ApiFactory, EmuRequest, EmuResponse, Handler, Router } from '../engine/index.js';
import { lnError } from './errors.js';
import { registerLinodes } from './linodes.js';
import { registerNetwork } from './network.js';
import { registerResources } from './resources.js';
import { LinodeState } from './state.js';

/**
 * Every route is served under /v4 and /v4beta (the official SDK reads Linodes through v4beta),
 * and metered by its operation's window; the headers go on every answer.
 */
function limited(router: Router, st: LinodeState): Router {
  return {
    on(method: string, pattern: string, handler: Handler) {
      const metered = async (req: EmuRequest): Promise<EmuResponse> => {
        const gate = st.limits.take(req.token ?? '', req);
        if (!gate.allowed) {
          const r = lnError(429, 'Too Many Requests');
          return { ...r, headers: gate.headers };
        }
        const res = await handler(req);
        return { ...res, headers: { ...gate.headers, ...res.headers } };
      };
      router.on(method, pattern, metered);
      router.on(method, pattern.replace(/^\/v4\//, '/v4beta/'), metered);
    },
  };
}

export const createApi: ApiFactory = (ctx) => {
  const st = new LinodeState(ctx);
  return {
    name: 'linode',
    register(router) {
      const r = limited(router, st);
      registerLinodes(r, st);
      registerResources(r, st);
      registerNetwork(r, st);
    },
    /** Any bearer token is an account, except those starting with "invalid" (for 401 tests). */
    authenticate: (req) => !!req.token && /^Bearer\s+\S/i.test(String(req.headers.authorization ?? '')) && !req.token.startsWith('invalid'),
    errorResponse: (status, _code, message) => lnError(status, status === 401 ? 'Invalid Token' : message),
  };
};
