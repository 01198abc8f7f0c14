/**
 * Emulator list pages at fleet scale. For each provider, an account of 100 and of 1,000 instances
 * (created through the API, booted): one page of 50 from the middle of the list (Hetzner Cloud,
 * DigitalOcean, Vultr).
 *  - throughput at 1,000 instances, 32 in flight, as a ratio to a bare node:http server answering
 *    the same bytes, measured in alternating rounds with the same client (median; target ≥ 0.5×);
 *  - page latency (p50, one request at a time, the two accounts alternating) at 1,000 instances over
 *    that at 100 (target ≤ 1.2×).
 *
 *   node dist/bench/emulator-throughput.js [--requests 4000] [--concurrency 32] [--latency-requests 400]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '32' },
    'latency-requests': { type: 'string', default: '400' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const LATENCY_REQUESTS = Number(values['latency-requests']);
const AUTH = { authorization: 'Bearer bench-token', 'content-type': 'application/json' };
const PER_PAGE = 50;
const SIZES = [100, 1000] as const;

interface Target {
  provider: string;
  /** Creates n instances through the API. */
  populate(url: string, n: number): Promise<void>;
  /** The path of the page measured on an account of n instances: PER_PAGE items from the middle. */
  page(n: number): string;
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 200)}`);
}

/** Runs `make(i)` for i < n, `width` at a time. */
async function inParallel(n: number, width: number, make: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await make(next++);
  }));
}

const middlePage = (n: number) => Math.ceil(n / PER_PAGE / 2);

const TARGETS: Target[] = [
  {
    provider: 'hetzner',
    populate: (url, n) => inParallel(n, 8, (i) => post(`${url}/v1/servers`, { name: `tp-${i}`, server_type: 'cx22', location: 'fsn1', image: 'ubuntu-24.04', labels: { fleet: 'bench', n: String(i) } })),
    page: (n) => `/v1/servers?per_page=${PER_PAGE}&page=${middlePage(n)}`,
  },
  {
    provider: 'digitalocean',
    populate: (url, n) => inParallel(n / 10, 4, (i) => post(`${url}/v2/droplets`, { names: Array.from({ length: 10 }, (_, k) => `tp-${i * 10 + k}`), region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: ['bench'] })),
    page: (n) => `/v2/droplets?per_page=${PER_PAGE}&page=${middlePage(n)}`,
  },
  {
    provider: 'vultr',
    populate: (url, n) => inParallel(n, 8, (i) => post(`${url}/v2/instances`, { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2284, label: `tp-${i}`, tags: ['bench'] })),
    // Vultr pages by cursor: the one for the middle page's offset, as meta.links.next hands it out.
    page: (n) => `/v2/instances?per_page=${PER_PAGE}&cursor=${Buffer.from(`next__${(middlePage(n) - 1) * PER_PAGE}`).toString('base64')}`,
  },
];

interface Load {
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, requests: number, concurrency: number): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const s = performance.now();
        const res = await fetch(url, { headers: AUTH });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { rps: requests / secs, p50: q(0.5), p99: q(0.99) };
}

/** A server that only answers the same bytes: the ceiling for node:http on this machine. */
async function bare(body: Buffer): Promise<{ url: string; close(): void }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

const ROUNDS = 4;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** An emulator serving only this provider, with n instances created through its API and booted. */
async function account(t: Target, n: number): Promise<{ url: string; close(): Promise<void> }> {
  // ×1000: a 40 s boot takes 40 ms, so every instance is running when the page is read.
  const emu = await startEmulator({ providers: [t.provider], timeScale: 1000, rateLimits: { [t.provider]: null } });
  const base = emu.urls[t.provider]!;
  await t.populate(base, n);
  await new Promise((ok) => setTimeout(ok, 200));
  return { url: base + t.page(n), close: () => emu.close() };
}

async function timeOne(url: string): Promise<number> {
  const s = performance.now();
  const res = await fetch(url, { headers: AUTH });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - s;
}

const rows = [];
for (const t of TARGETS) {
  const [small, big] = [await account(t, SIZES[0]), await account(t, SIZES[1])];
  const body = Buffer.from(await (await fetch(big.url, { headers: AUTH })).arrayBuffer());
  const baseline = await bare(body);
  await load(baseline.url, REQUESTS / 4, CONCURRENCY); // warm-up
  await load(big.url, REQUESTS / 4, CONCURRENCY);
  // The machine is shared: alternate bare and emulator in rounds, so load changes hit both alike.
  const pairs: { b: Load; e: Load }[] = [];
  for (let r = 0; r < ROUNDS; r++) pairs.push({ b: await load(baseline.url, REQUESTS / ROUNDS, CONCURRENCY), e: await load(big.url, REQUESTS / ROUNDS, CONCURRENCY) });
  baseline.close();
  // Latency one request at a time, alternating the two accounts request by request.
  const lat: { small: number[]; big: number[] } = { small: [], big: [] };
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    lat.small.push(await timeOne(small.url));
    lat.big.push(await timeOne(big.url));
  }
  await Promise.all([small.close(), big.close()]);
  const mid = (f: (p: { b: Load; e: Load }) => number) => median(pairs.map(f));
  const [p50Small, p50Big] = [median(lat.small), median(lat.big)];
  rows.push({
    provider: t.provider,
    page: t.page(SIZES[1]),
    bytes: body.length,
    'bare rps': Math.round(mid((p) => p.b.rps)),
    'emulator rps': Math.round(mid((p) => p.e.rps)),
    'rps ratio': Number(mid((p) => p.e.rps / p.b.rps).toFixed(2)),
    [`p50 ms @${SIZES[0]}`]: Number(p50Small.toFixed(2)),
    [`p50 ms @${SIZES[1]}`]: Number(p50Big.toFixed(2)),
    [`latency ${SIZES[1]}/${SIZES[0]}`]: Number((p50Big / p50Small).toFixed(2)),
    'p99 ms (32 in flight)': Number(mid((p) => p.e.p99).toFixed(2)),
  });
}
console.log(`emulator list pages: ${PER_PAGE} of ${SIZES.join(' and ')} instances; ${REQUESTS} requests, ${CONCURRENCY} in flight; latency one at a time`);
console.table(rows);
console.log(JSON.stringify({ bench: 'emulator-throughput', rows }));
