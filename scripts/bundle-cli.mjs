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

// Commander requires node:child_process when it loads, for executable subcommands (ferry has none):
// ~6 ms of every start. Its only use, spawn, loads the module when called.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${sep}commander${sep}`) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
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
  plugins: [lazyChildProcess],
});

// Chunk names carry a content hash: an earlier build's chunks would pile up beside the new ones. They
// are removed after the build, not before, so a ferry still running from this folder keeps its files.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => resolve(f)));
const chunks = join(outdir, 'chunks');
for (const name of readdirSync(chunks)) if (!written.has(join(chunks, name))) rmSync(join(chunks, name));
