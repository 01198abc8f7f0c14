/**
 * Emulated Cherry Servers API (https://api.cherryservers.com/v1), at its real paths under /v1:
 * teams, projects, plans with per-region stock and EUR prices, images per plan, regions, SSH keys,
 * servers ordered into projects (pending → provisioning → active, deploying → deployed), power
 * and rebuild actions (iPXE chained from user data), termination. Errors are `{code, message}`;
 * server lists page with limit/offset and X-Total-Count; API keys are bearer tokens.
 */
import type { EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { registerAccount } from './account.js';
import { csError } from './errors.js';
import { registerServers } from './servers.js';
import { CherryState } from './state.js';

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const st = new CherryState(ctx);
  return {
    name: 'cherry',
    register(router: Router) {
      registerServers(router, st);
      registerAccount(router, st);
    },
    /** Any bearer key is an account, except one starting with "invalid" (for 401 tests). */
    authenticate: (req) => !!req.token && /^Bearer\s+\S/i.test(String(req.headers.authorization ?? '')) && !req.token.startsWith('invalid'),
    errorResponse: (status, _code, message) => csError(status, message),
  };
}
