/**
 * The emulated APIs are found by convention, not listed: every folder beside this file (but the
 * engine) whose index exports `createApi` is one provider's API, named after the folder. Adding a
 * provider's emulator is adding its folder; nothing here changes. Loaded lazily so `ferry --help` stays fast.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiFactory } from './engine/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Set by the CLI bundle (scripts/bundle-cli.mjs), whose chunks sit in another folder: the list read
 * at build time, comma-separated (a string is inlined where it is used; an array would be a module).
 */
declare const FERRY_EMULATED_APIS: string | undefined;

let names: string[] | undefined;

/** The folders that hold an emulated API, sorted. */
export function emulatedApiNames(): string[] {
  if (typeof FERRY_EMULATED_APIS !== 'undefined') return (names ??= FERRY_EMULATED_APIS.split(','));
  names ??= readdirSync(HERE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'engine' && existsSync(join(HERE, d.name, 'index.js')))
    .map((d) => d.name)
    .sort();
  return names;
}

export async function loadApi(name: string): Promise<ApiFactory> {
  if (!emulatedApiNames().includes(name)) throw new Error(`no emulator for ${name}`);
  const mod = (await import(`./${name}/index.js`)) as { createApi?: ApiFactory };
  if (typeof mod.createApi !== 'function') throw new Error(`src/emulator/${name}/index.ts must export createApi`);
  return mod.createApi;
}
