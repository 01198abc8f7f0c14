import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/proxmox, from dist/test/providers/proxmox (fixtures are not compiled). */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/proxmox');

/** A fixture's `{ data }` envelope, as PVE sends it. */
export function fixture<T = unknown>(name: string): { data: T } {
  return JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as { data: T };
}
