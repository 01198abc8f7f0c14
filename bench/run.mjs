#!/usr/bin/env node
// Runs every benchmark in turn (build first: `npm run bench` does). Each prints a table and one JSON line.
// Usage: node bench/run.mjs [name…]   names: fleet, fleet-mixed, emulator, cli, cli-fleet, server, agent, inventory, soak
import { spawnSync } from 'node:child_process';

const BENCHES = {
  fleet: ['dist/bench/fleet.js'],
  'fleet-mixed': ['dist/bench/fleet-mixed.js'],
  emulator: ['dist/bench/emulator-throughput.js'],
  cli: ['bench/cli-cold-start.mjs'],
  'cli-fleet': ['bench/cli-fleet.mjs'],
  server: ['dist/bench/server-polls.js'],
  agent: ['dist/bench/agent-dispatch.js'],
  inventory: ['dist/bench/inventory.js'],
  soak: ['dist/bench/agent-soak.js'],
};
const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.log(`\n=== ${name} ===`);
  const res = spawnSync(process.execPath, BENCHES[name], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
