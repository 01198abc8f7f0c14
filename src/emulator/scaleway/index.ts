/**
 * Emulated Scaleway APIs at their real paths on one host: Instance v1 (servers, products, images,
 * security groups, private NICs, user data), VPC v2, Block v1alpha1, IAM v1alpha1 SSH keys,
 * Marketplace v2 local images and Elastic Metal v1. Auth is the X-Auth-Token header; errors are
 * Scaleway's `{"type","message",…}` bodies.
 */
import type { EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { registerBaremetal } from './baremetal.js';
import { registerBlock } from './block.js';
import { scwError } from './errors.js';
import { registerIam } from './iam.js';
import { registerImages } from './images.js';
import { registerProducts } from './products.js';
import { registerSecurityGroups } from './security-groups.js';
import { registerServers } from './servers.js';
import { ScalewayState } from './state.js';
import { registerVpc } from './vpc.js';

const STATUS_TYPES: Record<string, string> = {
  unauthorized: 'denied_authentication',
  rate_limit_exceeded: 'too_many_requests',
  not_found: 'not_found',
  service_unavailable: 'service_unavailable',
  server_error: 'internal_error',
  invalid_input: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
};

export function createScalewayApi(ctx: EmulatorContext): EmulatedApi {
  const st = new ScalewayState(ctx);
  return {
    name: 'scaleway',
    register(router: Router) {
      registerProducts(router);
      registerImages(router, st);
      registerServers(router, st);
      registerSecurityGroups(router, st);
      registerVpc(router, st);
      registerBlock(router, st);
      registerIam(router, st);
      registerBaremetal(router, st);
    },
    /** Any secret key is an account, except those starting with "invalid" (for 401 tests). */
    authenticate: (req) => {
      const key = req.headers['x-auth-token'];
      return typeof key === 'string' && key.length > 0 && !key.startsWith('invalid');
    },
    errorResponse: (status, code, message) => {
      const type = STATUS_TYPES[code] ?? code;
      if (type === 'denied_authentication') return scwError(status, type, 'authentication is denied', { method: 'api_key', reason: 'not_found' });
      return scwError(status, type, message);
    },
    rateLimit: {
      limits: [{ kind: 'bucket', capacity: 200, refillPerSecond: 20 }],
      headers: ({ limit, remaining, resetAtMs }) => ({
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(remaining),
        'X-RateLimit-Reset': String(Math.ceil(resetAtMs / 1000)),
      }),
    },
  };
}

export { createScalewayApi as createApi };
