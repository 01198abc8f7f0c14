#!/usr/bin/env node
// CLI cold start: `ferry --help` and `ferry providers --json` against a bare `node -e 0`,
// measured in the same run. Uses hyperfine when installed, else a loop of spawns.
// Usage: node bench/cli-cold-start.mjs [runs]   (build first: npx tsc -p .)
// Target: median ≤ 150 ms for both commands.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const runs = Number(process.argv[2] ?? 40);
const home = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
// A clean home: no credentials file, no store; nothing but the commands themselves.
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache') };
const node = process.execPath;
const cases = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'ferry --help', argv: [bin, '--help'] },
  { name: 'ferry providers --json', argv: [bin, 'providers', '--json'] },
];

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

function hasHyperfine() {
  try {
    execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function withHyperfine() {
  const out = join(home, 'hyperfine.json');
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const commands = cases.map((c) => [node, ...c.argv].map(quote).join(' '));
  const res = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, ...commands], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('hyperfine failed');
  const data = JSON.parse(readFileSync(out, 'utf8'));
  return data.results.map((r, i) => ({ name: cases[i].name, times: r.times.map((t) => t * 1000).sort((a, b) => a - b) }));
}

function withSpawns() {
  return cases.map((c) => {
    for (let i = 0; i < 3; i++) spawnSync(node, c.argv, { env, stdio: 'ignore' });
    const times = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const r = spawnSync(node, c.argv, { env, stdio: 'ignore' });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}`);
    }
    return { name: c.name, times: times.sort((a, b) => a - b) };
  });
}

try {
  const tool = hasHyperfine() ? 'hyperfine' : 'spawn loop';
  const results = tool === 'hyperfine' ? withHyperfine() : withSpawns();
  const base = quantile(results[0].times, 0.5);
  console.log(`CLI cold start (${tool}, ${runs} runs each, node ${process.version})`);
  console.log('command                   median     p90   × node -e 0');
  for (const r of results) {
    const med = quantile(r.times, 0.5);
    const p90 = quantile(r.times, 0.9);
    console.log(`${r.name.padEnd(24)} ${med.toFixed(1).padStart(6)} ms ${p90.toFixed(1).padStart(6)} ms  ${(med / base).toFixed(2)}×`);
  }
  const worst = Math.max(...results.slice(1).map((r) => quantile(r.times, 0.5)));
  console.log(`target: median ≤ 150 ms → ${worst <= 150 ? 'met' : 'NOT met'} (slowest median ${worst.toFixed(1)} ms)`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
