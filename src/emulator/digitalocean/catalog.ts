/** The account and its catalog: /v2/account, /v2/regions, /v2/sizes. */
import type { Router } from '../engine/types.js';
import { paginate } from './paginate.js';
import { SEED_ACCOUNT } from './seed.js';
import { allRegions, allSizes } from './state.js';

export function registerCatalog(router: Router): void {
  router.on('GET', '/v2/account', () => ({ status: 200, body: { account: SEED_ACCOUNT } }));
  router.on('GET', '/v2/regions', (req) => paginate(req, 'regions', allRegions(), (r) => r));
  router.on('GET', '/v2/sizes', (req) => paginate(req, 'sizes', allSizes(), (s) => s));
}
