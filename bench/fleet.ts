/**
 * Fleet benchmark: N servers on the emulated Hetzner Cloud API with a rate limit and a boot delay,
 * time-scaled. Measures ferry's fleet provisioning (creates paced by the shared budget, readiness by
 * label-filtered listings) against the ideal bound and against a naive create-then-poll-each loop.
 *
 *   node dist/bench/fleet.js [--servers 200] [--time-scale 100] [--capacity 50] [--refill 1] [--boot-s 40]
 *     [--cloud digitalocean] [--latency-ms 0]   (a real API's round trip, held by the emulator time-scaled)
 */
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import { withDefaults } from '../src/providers/registry.js';
import { destroyFleet, parseImageSpec, provisionFleet, type Instance, type InstanceRequest, type Provider } from '../src/core/index.js';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '200' },
    'time-scale': { type: 'string', default: '25' },
    capacity: { type: 'string', default: '50' },
    refill: { type: 'string', default: '1' },
    'boot-s': { type: 'string', default: '40' },
    'poll-s': { type: 'string', default: '5' },
    cloud: { type: 'string', default: 'hetzner' },
    'latency-ms': { type: 'string', default: '0' },
  },
});
const N = Number(values.servers);
const SCALE = Number(values['time-scale']);
const CAPACITY = Number(values.capacity);
const REFILL = Number(values.refill);
const BOOT_S = Number(values['boot-s']);
const POLL_S = Number(values['poll-s']);
/** A real API's round trip, modelled: every answer is held latency / time scale (the emulator's slow fault, always on). */
const LATENCY_MS = Number(values['latency-ms']);
const latency = LATENCY_MS > 0 ? { faults: { slow: 1, slowMs: LATENCY_MS / SCALE } } : {};

async function setup() {
  const emu = await startEmulator({
    providers: ['hetzner'],
    timeScale: SCALE,
    seed: 7,
    bootMs: BOOT_S * 1000,
    ipDelayMs: (BOOT_S * 1000) / 2,
    rateLimits: { hetzner: { capacity: CAPACITY, refillPerSecond: REFILL } },
    ...latency,
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

if (values.cloud === 'digitalocean') {
  await digitalocean();
  process.exit(0);
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
console.log(`fleet: ${N} servers, Hetzner emulator, bucket ${CAPACITY} refilling ${REFILL}/s, boot ${BOOT_S}s, time scale ${SCALE}, latency ${LATENCY_MS} ms; ideal bound ${idealMs.toFixed(0)} ms`);
console.table(rows);
console.log(
  JSON.stringify({
    bench: 'fleet',
    latencyMs: LATENCY_MS,
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

/**
 * DigitalOcean at its real limits (5,000/h and 250/min): ferry's fleet (multi-create, fleet-tag
 * readiness) against Apache Libcloud's idiom replayed in TypeScript over plain fetch, as its
 * DigitalOcean_v2 driver sends it: one POST /v2/droplets per server in a loop, then
 * wait_until_running, which lists every node (GET /v2/droplets, 200 a page) every wait_period = 5 s.
 * Libcloud raises on a 429; the replay waits Retry-After and sends again, as a careful script would.
 * (Python libcloud is not installed here, so it is not driven.) Then each tears its droplets down:
 * ferry's destroyFleet against destroy_node (DELETE /v2/droplets/{id}) in a loop.
 */
async function digitalocean() {
  const start = async () => {
    const emu = await startEmulator({ providers: ['digitalocean'], timeScale: SCALE, seed: 7, bootMs: BOOT_S * 1000, ipDelayMs: (BOOT_S * 1000) / 2, ...latency });
    const provider = await withDefaults().create('digitalocean', {
      credentials: { token: `bench-${Math.random()}` },
      endpoint: emu.urls.digitalocean,
      timeouts: { pollIntervalMs: (POLL_S * 1000) / SCALE, instanceReadyMs: 3_600_000 / SCALE + 60_000 },
      http: { timeScale: SCALE, budgets: new Map() },
    });
    return { emu, provider };
  };
  const reqs = (prefix: string): InstanceRequest[] =>
    Array.from({ length: N }, (_, i) => ({ name: `${prefix}-${i}`, region: 'nyc3', size: 's-1vcpu-1gb', image: parseImageSpec('ubuntu-24.04') }));
  const headers = { authorization: 'Bearer libcloud', 'content-type': 'application/json' };
  /** A request sent again after Retry-After while it is answered 429, as a careful script would. */
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    for (;;) {
      const res = await fetch(url, { ...init, headers });
      if (res.status !== 429) return res;
      await res.arrayBuffer();
      await new Promise((ok) => setTimeout(ok, (Number(res.headers.get('retry-after') ?? 1) * 1000) / SCALE));
    }
  };
  /** Provisions with `body` (which hands back its teardown), then tears down; both timed, requests counted apart. */
  const run = async (name: string, body: (p: Provider, url: string) => Promise<{ ready: number; teardown: () => Promise<void> }>) => {
    const { emu, provider } = await start();
    const count = () => emu.requestCounts().digitalocean ?? 0;
    try {
      const t0 = performance.now();
      const { ready, teardown } = await body(provider, emu.urls.digitalocean!);
      const wallMs = performance.now() - t0;
      const requestsSent = count();
      const t1 = performance.now();
      await teardown();
      const downMs = performance.now() - t1;
      const downRequests = count() - requestsSent;
      const left = ((await (await fetch(`${emu.urls.digitalocean}/v2/droplets?per_page=1`, { headers })).json()) as { meta: { total: number } }).meta.total;
      if (left !== 0) throw new Error(`${name}: ${left} droplets left after the teardown`);
      return { name, wallMs, requests: requestsSent, perServer: requestsSent / N, lost: N - ready, downMs, downRequests };
    } finally {
      await emu.close();
    }
  };
  const ferry = await run('ferry provisionFleet (multi-create)', async (p) => {
    const res = await provisionFleet(p, reqs('fleet'));
    return {
      ready: res.ready.length,
      teardown: async () => {
        const down = await destroyFleet(p, res.ready);
        if (down.destroyed.length !== N) throw new Error(`destroyFleet: ${down.destroyed.length} of ${N} destroyed`);
      },
    };
  });
  // Libcloud's DigitalOcean_v2 driver: create_node in a loop, wait_until_running, destroy_node in a loop.
  const libcloud = await run('Libcloud idiom (sequential create + wait_until_running)', async (_p, url) => {
    const ids = new Set<number>();
    for (const r of reqs('lc')) {
      const res = await send(`${url}/v2/droplets`, { method: 'POST', body: JSON.stringify({ name: r.name, region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', user_data: null }) });
      ids.add(((await res.json()) as { droplet: { id: number } }).droplet.id);
    }
    const teardown = async () => {
      for (const id of ids) await (await send(`${url}/v2/droplets/${id}`, { method: 'DELETE' })).arrayBuffer();
    };
    for (;;) {
      let running = 0;
      for (let page = 1; ; page++) {
        const res = await send(`${url}/v2/droplets?page=${page}&per_page=200`);
        const body = (await res.json()) as { droplets: { id: number; status: string; networks: { v4: unknown[] } }[]; links?: { pages?: { next?: string } } };
        running += body.droplets.filter((d) => ids.has(d.id) && d.status === 'active' && d.networks.v4.length > 0).length;
        if (!body.links?.pages?.next) break;
      }
      if (running >= ids.size) return { ready: running, teardown };
      await new Promise((ok) => setTimeout(ok, 5000 / SCALE));
    }
  });
  const creates = Math.ceil(N / 10);
  const idealMs = ((Math.max(0, creates - 250) * 60 / 250 + BOOT_S) * 1000) / SCALE;
  console.log(`fleet: ${N} droplets, DigitalOcean emulator at 250/min + 5,000/h, boot ${BOOT_S}s, poll ${POLL_S}s, time scale ${SCALE}, latency ${LATENCY_MS} ms; ideal bound ${idealMs.toFixed(0)} ms`);
  console.table([ferry, libcloud].map((r) => ({ run: r.name, 'wall ms': r.wallMs.toFixed(0), 'wall / ideal': (r.wallMs / idealMs).toFixed(3), requests: r.requests, 'requests / ready server': r.perServer.toFixed(3), lost: r.lost, 'teardown ms': r.downMs.toFixed(0), 'teardown requests': r.downRequests })));
  console.log(JSON.stringify({ bench: 'fleet-digitalocean', servers: N, latencyMs: LATENCY_MS, idealMs: Math.round(idealMs), ferryWallOverIdeal: +(ferry.wallMs / idealMs).toFixed(3), ferryRequestsPerServer: +ferry.perServer.toFixed(3), ferryLost: ferry.lost, libcloudOverFerryWall: +(libcloud.wallMs / ferry.wallMs).toFixed(2), libcloudRequestsPerServer: +libcloud.perServer.toFixed(3), ferryTeardownRequests: ferry.downRequests, libcloudOverFerryTeardown: +(libcloud.downMs / ferry.downMs).toFixed(1), libcloudTeardownRequests: libcloud.downRequests }));
}
