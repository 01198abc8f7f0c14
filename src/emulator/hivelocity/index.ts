/**
 * Emulated Hivelocity API v2 (https://core.hivelocity.net/api/v2, Swagger 2.0 with basePath
 * /api/v2): instant bare-metal devices ordered, provisioned, installed, reloaded (custom iPXE
 * included), powered and cancelled on an emulated clock; the store with prices and stock per
 * facility; SSH keys. Authentication is the X-API-KEY header; errors are {code, message, description}.
 * Lists come back whole (the API does not paginate them), and the API sends no rate-limit headers.
 */
import type { ApiFactory, EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { registerDevices } from './devices.js';
import { hvError } from './errors.js';
import { registerInventory } from './inventory.js';
import { HivelocityState } from './state.js';

export function createHivelocityApi(ctx: EmulatorContext): EmulatedApi {
  const st = new HivelocityState(ctx);
  return {
    name: 'hivelocity',
    register(router: Router) {
      registerDevices(router, st);
      registerInventory(router, st);
    },
    /** Any X-API-KEY is an account, except one starting with "invalid" (for 401 tests). */
    authenticate: (req) => {
      const key = req.headers['x-api-key'];
      return typeof key === 'string' && key.length > 0 && !key.startsWith('invalid');
    },
    errorResponse: (status, code, message) =>
      hvError(status, code === 'unauthorized' ? 'Invalid or missing API key (X-API-KEY)' : message),
  };
}

export const createApi: ApiFactory = createHivelocityApi;
