import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/digitalocean/<name>.json: excerpts of the examples in DigitalOcean's OpenAPI description. */
export function fixture<T = any>(name: string): T {
  // dist/test/providers/digitalocean → repo root is four levels up.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return JSON.parse(readFileSync(resolve(root, 'test/fixtures/digitalocean', `${name}.json`), 'utf8')) as T;
}
