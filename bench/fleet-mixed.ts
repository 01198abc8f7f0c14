/**
 * Mixed fleet: N servers spread over every emulated cloud provider at once, each API at its own
 * rate limits, time-scaled. The baseline, measured in the same run, is each provider's share of the
 * fleet provisioned alone on a fresh emulator: the mixed fleet should take no longer than the
 * slowest of those (target ≤ 1.10×), since the providers' budgets are independent.
 * Each provider gets its cheapest x86 offer with ≥ 1 vCPU, as placement would pick it.
 *
 *   node dist/bench/fleet-mixed.js [--servers 1000] [--time-scale 25] [--boot-s 40] [--poll-s 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectOffers } from '../src/catalog/index.js';
import { createContext } from '../src/cli/context.js';
import { emulatorEnv } from '../src/cli/emulator-env.js';
import { gatherOffers } from '../src/cli/offers-source.js';
import { parseImageSpec, provisionFleet, type InstanceRequest, type Offer } from '../src/core/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { withDefaults } from '../src/providers/registry.js';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '1000' },
    'time-scale': { type: 'string', default: '25' },
    'boot-s': { type: 'string', default: '40' },
    'poll-s': { type: 'string', default: '5' },
  },
});
const N = Number(values.servers);
const SCALE = Number(values['time-scale']);
const BOOT_S = Number(values['boot-s']);
const POLL_S = Number(values['poll-s']);

/** Every cloud driver with a price list: the registry's, as the demo picks them. */
const CLOUDS = withDefaults()
  .descriptors()
  .filter((d) => d.load && !d.retired && d.kind === 'cloud' && d.prices && 'bundled' in d.prices)
  .map((d) => d.name);

/** A CLI context on a fresh emulator of `providers`, with a private home (never real credentials). */
async function world(providers: string[]) {
  const emu = await startEmulator({ providers, timeScale: SCALE, seed: 11, bootMs: BOOT_S * 1000, ipDelayMs: (BOOT_S * 1000) / 2 });
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-mixed-'));
  const env = {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
    FERRY_TIME_SCALE: String(SCALE),
    FERRY_POLL_INTERVAL_MS: String((POLL_S * 1000) / SCALE),
    FERRY_READY_TIMEOUT_MS: String(3_600_000 / SCALE + 60_000),
    ...emulatorEnv(emu, withDefaults(), providers),
  };
  const ctx = createContext({ env, stdout: process.stdout, stderr: process.stderr, interactive: false });
  return {
    ctx,
    emu,
    close: async () => {
      await ctx.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function share(i: number): number {
  return Math.floor(N / CLOUDS.length) + (i < N % CLOUDS.length ? 1 : 0);
}

function requestsFor(name: string, offer: Offer, count: number): InstanceRequest[] {
  return Array.from({ length: count }, (_, i) => ({ name: `mixed-${name}-${i}`, region: offer.region, size: offer.plan, image: parseImageSpec('ubuntu-24.04') }));
}

/** Provisions each named provider's share at once on one emulator; wall time and per-provider results. */
async function provision(providers: string[], offers: Map<string, Offer>) {
  const w = await world(providers);
  try {
    const opened = await Promise.all(providers.map((p) => w.ctx.provider(p)));
    await Promise.all(opened.map((p) => p.listRegions())); // warm the catalogs out of the timing
    const t0 = performance.now();
    const results = await Promise.all(
      opened.map(async (p) => {
        const count = share(CLOUDS.indexOf(p.name));
        const res = await provisionFleet(p, requestsFor(p.name, offers.get(p.name)!, count));
        return { provider: p.name, count, ready: res.ready.length, failed: res.failed.length, ms: performance.now() - t0 };
      }),
    );
    return { wallMs: performance.now() - t0, results, requests: w.emu.requestCounts() };
  } finally {
    await w.close();
  }
}

const probe = await world(CLOUDS);
const offers = new Map<string, Offer>();
try {
  const { offers: all } = await gatherOffers(probe.ctx, { providers: CLOUDS, onlyConfigured: true });
  for (const p of CLOUDS) {
    const mine = all.filter((o) => o.provider === p && !o.bareMetal);
    const [cheapest] = mine.length ? selectOffers(mine, { minCpu: 1, arch: 'x86' }) : [];
    if (!cheapest) throw new Error(`no x86 cloud offer for ${p}`);
    offers.set(p, cheapest);
  }
} finally {
  await probe.close();
}

const alone: ({ provider: string } & Awaited<ReturnType<typeof provision>>)[] = [];
for (const p of CLOUDS) alone.push({ provider: p, ...(await provision([p], offers)) });
const mixed = await provision(CLOUDS, offers);
const slowest = alone.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));

console.log(`fleet-mixed: ${N} servers over ${CLOUDS.join(', ')}, boot ${BOOT_S}s, poll ${POLL_S}s, time scale ${SCALE}`);
console.table(
  CLOUDS.map((p) => {
    const a = alone.find((x) => x.provider === p)!;
    const m = mixed.results.find((x) => x.provider === p)!;
    const offer = offers.get(p)!;
    return {
      provider: p,
      offer: `${offer.plan} @ ${offer.region}`,
      servers: m.count,
      'alone ms': a.wallMs.toFixed(0),
      'in the mix ms': m.ms.toFixed(0),
      'ready / failed (mix)': `${m.ready} / ${m.failed}`,
      'requests / server (mix)': ((mixed.requests[p] ?? 0) / m.count).toFixed(2),
    };
  }),
);
const lost = mixed.results.reduce((n, r) => n + r.count - r.ready, 0);
console.log(`mixed wall ${mixed.wallMs.toFixed(0)} ms; slowest alone ${slowest.provider} ${slowest.wallMs.toFixed(0)} ms; ratio ${(mixed.wallMs / slowest.wallMs).toFixed(3)} (target ≤ 1.10); lost ${lost}`);
console.log(JSON.stringify({ bench: 'fleet-mixed', servers: N, providers: CLOUDS.length, mixedMs: Math.round(mixed.wallMs), slowestAlone: slowest.provider, slowestAloneMs: Math.round(slowest.wallMs), mixedOverSlowest: +(mixed.wallMs / slowest.wallMs).toFixed(3), lost }));
process.exit(lost === 0 ? 0 : 1);
