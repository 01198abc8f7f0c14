#!/usr/bin/env node
// A fleet from the command line: `ferry deploy --count N` against what a user without it would run,
// a shell loop of N `ferry deploy --no-wait` and then `ferry ls --json` every poll interval until
// all N are active. Then the teardown: `ferry destroy --fleet` against a loop of `ferry destroy`.
// DigitalOcean emulated here at its real limits (250/min, 5,000/h), time-scaled, with a boot
// delay; the wall of each and the requests the emulator counted are reported as ratios.
// Usage: node bench/cli-fleet.mjs [servers=50] [time scale=20] [boot seconds=60]   (build first: npm run build)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'src');
const bin = join(root, 'dist', 'cli', 'ferry.js');
const N = Number(process.argv[2] ?? 50);
const SCALE = Number(process.argv[3] ?? 20);
const BOOT_S = Number(process.argv[4] ?? 60);
const POLL_MS = 5000 / SCALE;
const SPEC = ['--provider', 'digitalocean', '--region', 'nyc3', '--size', 's-1vcpu-1gb'];

const { startEmulator } = await import(join(dist, 'emulator', 'index.js'));
const { emulatorEnv } = await import(join(dist, 'cli', 'emulator-env.js'));
const { withDefaults } = await import(join(dist, 'providers', 'registry.js'));

/** Runs `ferry` to its end without blocking this process (the emulator answers from here). */
function ferry(argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`ferry ${argv.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** A fresh home and emulator; `body` runs the create then the teardown, each timed; requests counted apart. */
async function measure(name, create, teardown) {
  const home = mkdtempSync(join(tmpdir(), 'ferry-bench-fleet-'));
  const emu = await startEmulator({ providers: ['digitalocean'], timeScale: SCALE, seed: 7, bootMs: BOOT_S * 1000, ipDelayMs: (BOOT_S * 1000) / 2 });
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    FERRY_DATABASE_URL: join(home, 'data', 'ferry.db'),
    FERRY_TIME_SCALE: String(SCALE),
    FERRY_POLL_INTERVAL_MS: String(POLL_MS),
    ...emulatorEnv(emu, withDefaults(), ['digitalocean']),
  };
  const count = () => emu.requestCounts().digitalocean ?? 0;
  try {
    let t = performance.now();
    await create(env);
    const upMs = performance.now() - t;
    const upRequests = count();
    t = performance.now();
    await teardown(env);
    const downMs = performance.now() - t;
    const left = JSON.parse(await ferry(['ls', '--json'], env)).length;
    if (left) throw new Error(`${name}: ${left} servers left`);
    return { name, upMs, upRequests, downMs, downRequests: count() - upRequests };
  } finally {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const names = Array.from({ length: N }, (_, i) => `loop-${i + 1}`);
const loop = await measure(
  `a loop of ${N} ferry deploy --no-wait, then ferry ls until active`,
  async (env) => {
    for (const name of names) await ferry(['deploy', ...SPEC, '--name', name, '--no-wait'], env);
    for (;;) {
      const rows = JSON.parse(await ferry(['ls', '--json'], env));
      if (rows.filter((r) => r.status === 'active' && r.ip).length >= N) return;
      await new Promise((ok) => setTimeout(ok, POLL_MS));
    }
  },
  async (env) => {
    for (const name of names) await ferry(['destroy', name, '--yes'], env);
  },
);
let fleet = '';
const count = await measure(
  `ferry deploy --count ${N}, ferry destroy --fleet`,
  async (env) => {
    fleet = JSON.parse(await ferry(['deploy', ...SPEC, '--count', String(N), '--name', 'fleet', '--json'], env)).fleet;
  },
  async (env) => {
    await ferry(['destroy', '--fleet', fleet, '--yes'], env);
  },
);

console.log(`cli fleet: ${N} droplets, DigitalOcean emulator at 250/min + 5,000/h, boot ${BOOT_S}s, time scale ${SCALE}`);
console.table([loop, count].map((r) => ({ run: r.name, 'up ms': r.upMs.toFixed(0), 'up requests': r.upRequests, 'down ms': r.downMs.toFixed(0), 'down requests': r.downRequests })));
console.log(
  JSON.stringify({
    bench: 'cli-fleet',
    servers: N,
    loopOverCountWall: +(loop.upMs / count.upMs).toFixed(2),
    loopOverCountRequests: +(loop.upRequests / count.upRequests).toFixed(2),
    loopOverFleetDestroyWall: +(loop.downMs / count.downMs).toFixed(2),
    loopOverFleetDestroyRequests: +(loop.downRequests / count.downRequests).toFixed(2),
  }),
);
