/** Fixtures in Hetzner's real format (spec examples), read from test/fixtures/hetzner. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/providers/hetzner → repo root is four levels up.
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/hetzner');

/** A fresh copy each call, so a test may change it without touching another's. */
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, `${name}.json`), 'utf8')) as T;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5));
}

/** The operation and status each fixture is a response of. */
export const FIXTURE_OPERATIONS: Record<string, [method: string, path: string, status: number]> = {
  'attach-volume': ['POST', '/volumes/1/actions/attach', 201],
  'create-firewall': ['POST', '/firewalls', 201],
  'create-image': ['POST', '/servers/1/actions/create_image', 201],
  'create-network': ['POST', '/networks', 201],
  'create-server': ['POST', '/servers', 201],
  'create-ssh-key': ['POST', '/ssh_keys', 201],
  'create-volume': ['POST', '/volumes', 201],
  'delete-server': ['DELETE', '/servers/1', 200],
  'detach-volume': ['POST', '/volumes/1/actions/detach', 201],
  'error-invalid-input': ['POST', '/servers', 400],
  'error-locked': ['POST', '/servers/1/actions/create_image', 423],
  'error-rate-limit-exceeded': ['GET', '/servers', 429],
  'error-resource-limit-exceeded': ['POST', '/servers', 403],
  'error-resource-unavailable': ['POST', '/servers', 412],
  'error-unauthorized': ['GET', '/servers', 401],
  'get-action-error': ['GET', '/actions/1', 200],
  'get-action-success': ['GET', '/actions/1', 200],
  'get-image': ['GET', '/images/1', 200],
  'get-pricing': ['GET', '/pricing', 200],
  'get-server': ['GET', '/servers/1', 200],
  'get-volume': ['GET', '/volumes/1', 200],
  'list-datacenters': ['GET', '/datacenters', 200],
  'list-firewalls': ['GET', '/firewalls', 200],
  'list-images': ['GET', '/images', 200],
  'list-locations': ['GET', '/locations', 200],
  'list-networks': ['GET', '/networks', 200],
  'list-server-types': ['GET', '/server_types', 200],
  'list-servers': ['GET', '/servers', 200],
  'list-ssh-keys': ['GET', '/ssh_keys', 200],
  'list-volumes': ['GET', '/volumes', 200],
};
