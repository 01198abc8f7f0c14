/** /locations, /datacenters, /server_types, /pricing: the seed catalog, read-only. */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { notFound } from './errors.js';
import { paginate } from './paginate.js';
import { idParam, isResponse } from './request.js';
import { SEED_LOCATIONS, SEED_SERVER_TYPES, seedPricing } from './seed.js';
import { renderDatacenter, renderLocation, renderServerType } from './wire.js';

function byName<T extends { name: string }>(items: T[], req: EmuRequest): T[] {
  const name = req.query.get('name');
  return name === null ? items : items.filter((i) => i.name === name);
}

function one<T extends { id: number }>(items: T[], req: EmuRequest, key: string, what: string): EmuResponse {
  const id = idParam(req);
  if (isResponse(id)) return id;
  const found = items.find((i) => i.id === id);
  return found ? { status: 200, body: { [key]: found } } : notFound(`${what} with ID ${id}`);
}

export function registerCatalog(router: Router): void {
  const locations = SEED_LOCATIONS.map(renderLocation);
  const datacenters = SEED_LOCATIONS.map(renderDatacenter);
  const types = SEED_SERVER_TYPES.map(renderServerType).sort((a, b) => a.id - b.id);
  router.on('GET', '/v1/locations', (req) => paginate('locations', byName(locations, req), req.query));
  router.on('GET', '/v1/locations/:id', (req) => one(locations, req, 'location', 'location'));
  router.on('GET', '/v1/datacenters', (req) => paginate('datacenters', byName(datacenters, req), req.query, undefined, { recommendation: datacenters[0]!.id }));
  router.on('GET', '/v1/datacenters/:id', (req) => one(datacenters, req, 'datacenter', 'datacenter'));
  router.on('GET', '/v1/server_types', (req) => paginate('server_types', byName(types, req), req.query));
  router.on('GET', '/v1/server_types/:id', (req) => one(types, req, 'server_type', 'server type'));
  const pricing = seedPricing();
  router.on('GET', '/v1/pricing', () => ({ status: 200, body: { pricing } }));
}
