/**
 * Emulated DigitalOcean API v2 (api.digitalocean.com): droplets, droplet actions, snapshots,
 * images, SSH keys, firewalls, volumes with their actions and snapshots, reserved (floating) IPs with their actions, VPCs, regions, sizes and the account, at their real paths with the real shapes
 * (DigitalOcean-public.v2 OpenAPI). Any bearer token is accepted except those starting with "invalid".
 */
import type { EmulatedApi, EmulatorContext } from '../engine/types.js';
import { registerActions } from './actions.js';
import { registerCatalog } from './catalog.js';
import { registerDroplets } from './droplets.js';
import { standardError } from './errors.js';
import { registerFirewalls } from './firewalls.js';
import { registerKeys } from './keys.js';
import { registerReservedIps } from './reserved-ips.js';
import { registerSnapshots } from './snapshots.js';
import { DoState } from './state.js';
import { registerVolumeSnapshots } from './volume-snapshots.js';
import { registerVolumes } from './volumes.js';
import { registerVpcs } from './vpcs.js';

/**
 * The documented limits per token: 5,000 requests an hour, each freed an hour after it was made, and a
 * burst limit of 250 a minute. The headers report the hourly one; a spent minute reads as 0 remaining
 * and its 429 says when to come back (Retry-After).
 */
export const HOURLY_LIMIT = 5000;
export const MINUTE_LIMIT = 250;

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const state = new DoState(ctx);
  return {
    name: 'digitalocean',
    register(router) {
      registerDroplets(router, state);
      registerActions(router, state);
      registerSnapshots(router, state);
      registerKeys(router, state);
      registerFirewalls(router, state);
      registerVolumes(router, state);
      registerVolumeSnapshots(router, state);
      registerReservedIps(router, state);
      registerVpcs(router, state);
      registerCatalog(router);
    },
    authenticate(req) {
      return typeof req.token === 'string' && req.token.length > 0 && !req.token.startsWith('invalid');
    },
    errorResponse(status, code, message) {
      return standardError(ctx.random, status, code, message);
    },
    rateLimit: {
      limits: [
        { kind: 'window', limit: HOURLY_LIMIT, windowMs: 3_600_000, sliding: true },
        { kind: 'window', limit: MINUTE_LIMIT, windowMs: 60_000, sliding: false },
      ],
      headers: (hour, [, minute]) => ({
        'ratelimit-limit': String(hour.limit),
        'ratelimit-remaining': String(minute && minute.remaining === 0 ? 0 : hour.remaining),
        'ratelimit-reset': String(Math.ceil(hour.resetAtMs / 1000)),
      }),
    },
  };
}
