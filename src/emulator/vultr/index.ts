/**
 * Emulated Vultr API v2 (https://api.vultr.com/v2) at its real paths: instances and bare metal
 * (async install states, power, reinstall, iPXE through os_id 159 + ipxe_chain_url), snapshots,
 * SSH keys, VPCs, firewall groups and rules, block storage, and the public catalog. Errors are
 * Vultr's `{"error","status"}`; lists are cursor-paginated with meta.links; the rate limit is
 * Vultr's documented 30 requests per second per API key, answered with 429 (Vultr sends no
 * rate-limit headers, so none are emulated; the engine adds Retry-After to its 429).
 */
import type { EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { vultrError } from './http.js';
import { registerMachines } from './instances.js';
import { registerBlocks, registerFirewalls, registerVpcs } from './networks.js';
import { PUBLIC_PATHS, registerCatalog, registerSnapshots, registerSshKeys } from './resources.js';
import { VultrState } from './state.js';

export const VULTR_REQUESTS_PER_SECOND = 30;

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const st = new VultrState(ctx);
  return {
    name: 'vultr',
    register(router: Router) {
      registerCatalog(router, st);
      registerMachines(router, st);
      registerSnapshots(router, st);
      registerSshKeys(router, st);
      registerVpcs(router, st);
      registerFirewalls(router, st);
      registerBlocks(router, st);
    },
    /** Catalog reads are public; everything else needs "Authorization: Bearer <key>" (keys starting "invalid" are refused). */
    authenticate: (req) => {
      if (req.method === 'GET' && PUBLIC_PATHS.some((re) => re.test(req.path))) return true;
      return !!req.token && /^Bearer\s+\S/i.test(String(req.headers.authorization ?? '')) && !req.token.startsWith('invalid');
    },
    errorResponse: (status, code, message) => {
      if (status === 401) return vultrError(401, 'Invalid API token.');
      if (status === 429) return vultrError(429, 'Rate limit reached - please try your request again later.');
      return vultrError(status, code === 'not_found' ? `Invalid path: ${message}` : message);
    },
    rateLimit: { limits: [{ kind: 'bucket', capacity: VULTR_REQUESTS_PER_SECOND, refillPerSecond: VULTR_REQUESTS_PER_SECOND }], headers: () => ({}) },
  };
}
