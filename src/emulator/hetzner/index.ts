/**
 * Emulated Hetzner Cloud API (https://api.hetzner.cloud/v1), at its real paths under /v1:
 * servers, actions, images and snapshots, SSH keys, locations, datacenters, server types,
 * networks, firewalls and volumes, with label selectors, pagination and Hetzner's error body.
 */
import type { EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { registerCatalog } from './catalog.js';
import { hcError } from './errors.js';
import { registerFirewalls } from './firewalls.js';
import { registerImages } from './images.js';
import { registerSshKeys } from './keys.js';
import { registerNetworks } from './networks.js';
import { registerServerActions } from './server-actions.js';
import { registerServers } from './servers.js';
import { HetznerState } from './state.js';
import { registerVolumes } from './volumes.js';

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const st = new HetznerState(ctx);
  return {
    name: 'hetzner',
    register(router: Router) {
      registerCatalog(router);
      registerServers(router, st);
      registerServerActions(router, st);
      registerImages(router, st);
      registerSshKeys(router, st);
      registerNetworks(router, st);
      registerFirewalls(router, st);
      registerVolumes(router, st);
    },
    /** Any bearer token is an account, except those starting with "invalid" (for 401 tests). */
    authenticate: (req) => !!req.token && /^Bearer\s+\S/i.test(String(req.headers.authorization ?? '')) && !req.token.startsWith('invalid'),
    errorResponse: (status, code, message) =>
      // An unemulated route says so, in Hetzner's error format.
      hcError(status, code, message.startsWith('no route for ') ? `ferry emulator: ${message.slice('no route for '.length)} is not emulated` : message),
    // One bucket of 3,600 requests per project token, one back each second.
    rateLimit: {
      limits: [{ kind: 'bucket', capacity: 3600, refillPerSecond: 1 }],
      headers: ({ limit, remaining, resetAtMs }) => ({
        'RateLimit-Limit': String(limit),
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Reset': String(Math.ceil(resetAtMs / 1000)),
      }),
    },
  };
}
