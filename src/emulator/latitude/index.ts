/**
 * Emulated Latitude.sh API (https://api.latitude.sh), at its real paths: servers with deploy
 * stages, power actions, iPXE reinstall and scheduled deletion; plans with per-site stock and
 * prices, regions, operating systems, projects, SSH keys, tags, user data, virtual networks, firewalls.
 * JSON:API documents and error objects; page[number]/page[size] pagination; bearer API keys
 * (the raw key in Authorization, as the SDK sends it, is accepted too).
 */
import type { EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { registerAccountRoutes } from './account.js';
import { lsError } from './errors.js';
import { registerFirewalls } from './firewalls.js';
import { registerServers } from './servers.js';
import { LatitudeState } from './state.js';

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const st = new LatitudeState(ctx);
  return {
    name: 'latitude',
    register(router: Router) {
      registerServers(router, st);
      registerAccountRoutes(router, st);
      registerFirewalls(router, st);
    },
    /** Any key is a team, except one starting with "invalid" (for 401 tests). */
    authenticate: (req) => {
      const raw = String(req.headers.authorization ?? '').trim();
      const key = raw.replace(/^Bearer\s+/i, '');
      return key.length > 0 && !key.startsWith('invalid');
    },
    errorResponse: (status, code, message) => {
      const mapped: Record<string, string> = { unauthorized: 'unauthorized', not_found: 'not_found', rate_limit_exceeded: 'rate_limited' };
      return lsError(status, mapped[code] ?? code, message);
    },
  };
}
