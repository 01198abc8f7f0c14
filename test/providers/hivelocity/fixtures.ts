/** Fixtures in Hivelocity's wire format, read from test/fixtures/hivelocity. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/providers/hivelocity → repo root is four levels up.
const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/hivelocity');

/** A fresh copy each call. */
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8')) as T;
}
