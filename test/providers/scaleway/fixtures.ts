/** Fixtures in Scaleway's wire format, read from test/fixtures/scaleway. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/providers/scaleway → repo root is four levels up.
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/scaleway');

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, `${name}.json`), 'utf8')) as T;
}

/** The response each fixture is, for the conformance check (null: no description for that API here). */
export const FIXTURE_OPERATIONS: Record<string, [method: string, path: string, status: number] | null> = {
  'get-server': ['GET', '/instance/v1/zones/fr-par-1/servers/9a2c4e6b-1f3d-4a5b-8c7d-0e1f2a3b4c5d', 200],
  // Deliberately beyond the description (null lists): for the tolerant reader only.
  'get-server-minimal': null,
  'list-server-types': ['GET', '/instance/v1/zones/fr-par-1/products/servers', 200],
  'get-baremetal-server': ['GET', '/baremetal/v1/zones/fr-par-2/servers/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', 200],
  // Also beyond the description (null name, tags and ips), for the tolerant reader.
  'get-baremetal-server-installing': null,
  'list-offers': ['GET', '/baremetal/v1/zones/fr-par-2/offers', 200],
  'private-network': ['GET', '/vpc/v2/regions/fr-par/private-networks/f0e1d2c3-b4a5-4968-8776-655443322110', 200],
  'block-volume': null,
};
