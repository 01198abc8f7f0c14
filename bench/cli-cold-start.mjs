#!/usr/bin/env node
// CLI cold start of the bundled `ferry` (dist/cli/ferry.js) and of the module tree it is built from:
// `ferry --help`, `ferry providers --json` and `ferry ls` (10 instances on an
// emulated Hetzner Cloud started here, recorded in the store by `ferry deploy`), each as a ratio
// to a bare `node -e 0` measured in the same run. Uses hyperfine when installed, else a loop of
// spawns (asynchronous: the emulator answers from this process); the median is reported.
// Usage: node bench/cli-cold-start.mjs [runs]   (build first: npm run build)
// Targets: --help ≤ 1.5 × node -e 0; ls ≤ 3 × node -e 0.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'src');
// The shipped `ferry` is the bundle (npm run build makes it); the module tree it is built from is measured beside it.
const bin = join(root, 'dist', 'cli', 'ferry.js');
const unbundled = join(dist, 'cli', 'main.js');
const runs = Number(process.argv[2] ?? 30);
const INSTANCES = 10;
const TARGETS = { 'ferry --help': 1.5, 'ferry ls (10 instances)': 3 };
const home = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
// A clean home: no credentials file; the store only has what the seeding deploys recorded.
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache') };
const node = process.execPath;

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

/** Runs a child to its end without blocking this process's event loop (the emulator lives here). */
function run(file, argv, childEnv, stdio = 'ignore') {
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: childEnv, stdio: ['ignore', stdio, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function hasHyperfine() {
  try {
    execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function withHyperfine(cases) {
  const out = join(home, 'hyperfine.json');
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const commands = cases.map((c) => [node, ...c.argv].map(quote).join(' '));
  // hyperfine passes its own environment on: the cases' variables are the same for all (see below).
  const res = await run('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, ...commands], cases[cases.length - 1].env);
  if (res.code !== 0) throw new Error(`hyperfine failed: ${res.stderr}`);
  const data = JSON.parse(readFileSync(out, 'utf8'));
  return data.results.map((r, i) => ({ name: cases[i].name, times: r.times.map((t) => t * 1000).sort((a, b) => a - b) }));
}

async function withSpawns(cases) {
  const times = cases.map(() => []);
  for (const c of cases) for (let i = 0; i < 3; i++) await run(node, c.argv, c.env);
  // Interleaved, so drift in the machine's load falls on every case alike.
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cases.entries()) {
      const start = process.hrtime.bigint();
      const r = await run(node, c.argv, c.env);
      times[k].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (r.code !== 0) throw new Error(`${c.name} exited ${r.code}: ${r.stderr}`);
    }
  }
  return cases.map((c, k) => ({ name: c.name, times: times[k].sort((a, b) => a - b) }));
}

const { startEmulator } = await import(join(dist, 'emulator', 'index.js'));
const { emulatorEnv } = await import(join(dist, 'cli', 'emulator-env.js'));
const { withDefaults } = await import(join(dist, 'providers', 'registry.js'));
const emu = await startEmulator({ providers: ['hetzner'], timeScale: 1000 });
try {
  const lsEnv = { ...env, FERRY_TIME_SCALE: '1000', FERRY_DATABASE_URL: join(home, 'data', 'ferry.db'), ...emulatorEnv(emu, withDefaults(), ['hetzner']) };
  // Seeded through ferry itself, so the store holds the rows `ls` merges with and writes back to.
  for (let i = 0; i < INSTANCES; i++) {
    const r = await run(node, [bin, 'deploy', '--provider', 'hetzner', '--region', 'fsn1', '--size', 'cx22', '--name', `bench-${i}`, '--no-wait'], lsEnv);
    if (r.code !== 0) throw new Error(`seeding deploy ${i} exited ${r.code}: ${r.stderr}`);
  }
  const cases = [
    { name: 'node -e 0', argv: ['-e', '0'], env: lsEnv },
    { name: 'ferry --help', argv: [bin, '--help'], env: lsEnv },
    { name: 'ferry providers --json', argv: [bin, 'providers', '--json'], env: lsEnv },
    { name: 'ferry ls (10 instances)', argv: [bin, 'ls'], env: lsEnv },
    { name: 'unbundled --help', argv: [unbundled, '--help'], env: lsEnv },
    { name: 'unbundled ls', argv: [unbundled, 'ls'], env: lsEnv },
  ];
  const check = await new Promise((resolve) => {
    let out = '';
    const child = spawn(node, [bin, 'ls', '--json'], { env: lsEnv });
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(JSON.parse(out)));
  });
  if (check.length !== INSTANCES) throw new Error(`ferry ls listed ${check.length} instances, expected ${INSTANCES}`);

  const tool = hasHyperfine() ? 'hyperfine' : 'spawn loop';
  const results = tool === 'hyperfine' ? await withHyperfine(cases) : await withSpawns(cases);
  const base = quantile(results[0].times, 0.5);
  console.log(`CLI cold start (${tool}, ${runs} runs each, node ${process.version})`);
  console.log('command                    median     p90   × node -e 0   target');
  const json = { bench: 'cli', tool, runs, node: process.version, baselineMs: base, results: {} };
  let met = true;
  for (const r of results) {
    const med = quantile(r.times, 0.5);
    const ratio = med / base;
    const target = TARGETS[r.name];
    if (target !== undefined && ratio > target) met = false;
    json.results[r.name] = { medianMs: med, p90Ms: quantile(r.times, 0.9), ratio };
    const t = target === undefined ? '' : `≤ ${target}× ${ratio <= target ? 'met' : 'NOT met'}`;
    console.log(`${r.name.padEnd(25)} ${med.toFixed(1).padStart(6)} ms ${quantile(r.times, 0.9).toFixed(1).padStart(6)} ms  ${ratio.toFixed(2).padStart(6)}×    ${t}`);
  }
  console.log(`targets ${met ? 'met' : 'NOT met'}`);
  console.log(JSON.stringify(json));
} finally {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
}
