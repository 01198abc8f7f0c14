/**
 * Fleet benchmark: N servers on the emulated Hetzner Cloud API with a rate limit and a boot delay,
 * time-scaled. Measures ferry's fleet provisioning (creates paced by the shared budget, readiness by
 * label-filtered listings) against the ideal bound and against a naive create-then-poll-each loop.
 *
 *   node dist/bench/fleet.js [--servers 200] [--time-scale 100] [--capacity 50] [--refill 1] [--boot-s 40]
 */
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import { withDefaults } from '../src/providers/registry.js';
import { parseImageSpec, provisionFleet, type Instance, type InstanceRequest, type Provider } from '../src/core/index.js';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '200' },
    'time-scale': { type: 'string', default: '25' },
    capacity: { type: 'string', default: '50' },
    refill: { type: 'string', default: '1' },
    'boot-s': { type: 'string', default: '40' },
    'poll-s': { type: 'string', default: '5' },
  },
});
const N = Number(values.servers);
const SCALE = Number(values['time-scale']);
const CAPACITY = Number(values.capacity);
const REFILL = Number(values.refill);
const BOOT_S = Number(values['boot-s']);
const POLL_S = Number(values['poll-s']);

async function setup() {
  const emu = await startEmulator({
    providers: ['hetzner'],
    timeScale: SCALE,
    seed: 7,
    bootMs: BOOT_S * 1000,
    ipDelayMs: (BOOT_S * 1000) / 2,
    rateLimits: { hetzner: { capacity: CAPACITY, refillPerSecond: REFILL } },
  });
  const provider = await withDefaults().create('hetzner', {
    credentials: { token: 'bench-token' },
    endpoint: emu.urls.hetzner,
    timeouts: { pollIntervalMs: (POLL_S * 1000) / SCALE, instanceReadyMs: 3_600_000 / SCALE + 60_000 },
    http: { timeScale: SCALE, budgets: new Map(), maxRetries: 8 },
  });
  return { emu, provider };
}

function requests(prefix: string): InstanceRequest[] {
  return Array.from({ length: N }, (_, i) => ({ name: `${prefix}-${i}`, region: 'fsn1', size: 'cx22', image: parseImageSpec('ubuntu-24.04') }));
}

async function naive(provider: Provider): Promise<Instance[]> {
  return Promise.all(
    requests('naive').map(async (r) => {
      const created = await provider.createInstance(r);
      for (;;) {
        const inst = await provider.getInstance(created.id);
        if (inst && inst.status.state === 'active' && inst.ipv4) return inst;
        await new Promise((ok) => setTimeout(ok, provider.timeouts.pollIntervalMs));
      }
    }),
  );
}

async function measure(name: string, run: (p: Provider) => Promise<Instance[]>) {
  const { emu, provider } = await setup();
  try {
    await provider.listRegions(); // warm the driver's catalog cache out of the timing, equally for both
    const before = emu.requestCounts().hetzner ?? 0;
    const t0 = performance.now();
    const ready = await run(provider);
    const wallMs = performance.now() - t0;
    const requestsSent = (emu.requestCounts().hetzner ?? 0) - before;
    if (ready.length !== N) throw new Error(`${name}: ${ready.length} of ${N} ready`);
    return { name, wallMs, requests: requestsSent, perServer: requestsSent / N };
  } finally {
    await emu.close();
  }
}

const idealMs = ((Math.max(0, N - CAPACITY) / REFILL + BOOT_S) * 1000) / SCALE;
const ferry = await measure('ferry provisionFleet', async (p) => (await provisionFleet(p, requests('fleet'))).ready);
const baseline = await measure('naive create-then-poll-each', naive);

const rows = [ferry, baseline].map((r) => ({
  run: r.name,
  'wall ms': r.wallMs.toFixed(0),
  'wall / ideal': (r.wallMs / idealMs).toFixed(3),
  requests: r.requests,
  'requests / ready server': r.perServer.toFixed(3),
}));
console.log(`fleet: ${N} servers, Hetzner emulator, bucket ${CAPACITY} refilling ${REFILL}/s, boot ${BOOT_S}s, time scale ${SCALE}; ideal bound ${idealMs.toFixed(0)} ms`);
console.table(rows);
console.log(
  JSON.stringify({
    bench: 'fleet',
    servers: N,
    idealMs: Math.round(idealMs),
    ferryWallOverIdeal: +(ferry.wallMs / idealMs).toFixed(3),
    ferryRequestsPerServer: +ferry.perServer.toFixed(3),
    naiveWallOverIdeal: +(baseline.wallMs / idealMs).toFixed(3),
    naiveRequestsPerServer: +baseline.perServer.toFixed(3),
    naiveOverFerryWall: +(baseline.wallMs / ferry.wallMs).toFixed(2),
    naiveOverFerryRequests: +(baseline.requests / ferry.requests).toFixed(2),
  }),
);
