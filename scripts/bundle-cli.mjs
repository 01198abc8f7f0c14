#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/src/cli/main.js) into dist/cli/: one entry file plus one chunk per
 * lazily loaded part (each command, each driver, the emulator), so `ferry` starts by reading a
 * handful of files instead of a hundred ES modules (Node 20 pays ~1 ms per module).
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The emulator finds its APIs by folder; in the bundle the folders are gone, so the list is fixed here.
const { emulatedApiNames } = await import(pathToFileURL(join(root, 'dist', 'src', 'emulator', 'apis.js')).href);
const apis = emulatedApiNames();

// Built-in modules that only some commands call, loaded on first call instead of at start. An ES
// module's `import { x } from 'node:crypto'` evaluates node:crypto when the chunk loads, and builds its
// whole namespace, whose lazy getters load Web Crypto too: ~8 ms of every command that merely reaches a
// module hashing something (`ferry ls` does, for the rate budget's key). Commander requires
// node:child_process when it loads, for executable subcommands (ferry has none): ~6 ms of every start.
// Only functions are forwarded: importing anything else from these fails the build.
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const lazy = { crypto: () => true, child_process: (importer) => importer.includes(`${sep}commander${sep}`) };
    b.onResolve({ filter: /^(node:)?(crypto|child_process)$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (args.namespace === 'lazy-builtin') return { path: `node:${name}`, external: true };
      return lazy[name](args.importer) ? { path: name, namespace: 'lazy-builtin' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const functions = Object.entries(await import(`node:${args.path}`)).filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k));
      const contents = functions.map(([k]) => `export const ${k} = (...a) => require('node:${args.path}').${k}(...a);`).join('\n');
      return { contents, loader: 'js' };
    });
  },
};

const outdir = join(root, 'dist', 'cli');
const result = await build({
  entryPoints: { ferry: join(root, 'dist', 'src', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Commander is inlined (it is on every run's path); the rest are loaded when a command needs them.
  external: Object.keys(pkg.dependencies).filter((name) => name !== 'commander'),
  chunkNames: 'chunks/[name]-[hash]',
  // Commander is CommonJS and requires node:events and friends; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);" },
  define: { FERRY_EMULATED_APIS: JSON.stringify(apis.join(',')) },
  logLevel: 'warning',
  metafile: true,
  plugins: [lazyBuiltins],
});

// Chunk names carry a content hash: an earlier build's chunks would pile up beside the new ones. They
// are removed after the build, not before, so a ferry still running from this folder keeps its files.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => resolve(f)));
const chunks = join(outdir, 'chunks');
for (const name of readdirSync(chunks)) if (!written.has(join(chunks, name))) rmSync(join(chunks, name));
