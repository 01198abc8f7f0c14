/**
 * Emulator throughput on a list endpoint: GET /v1/servers (Hetzner, 50 servers a page) and
 * GET /v2/droplets (DigitalOcean), against a bare node:http server answering the same bytes,
 * measured in the same run with the same client and concurrency.
 *
 *   node dist/bench/emulator-throughput.js [--requests 4000] [--concurrency 32]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startEmulator } from '../src/emulator/index.js';
import { withDefaults } from '../src/providers/registry.js';
import { parseImageSpec } from '../src/core/index.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '4000' }, concurrency: { type: 'string', default: '32' } } });
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const AUTH = { authorization: 'Bearer bench-token' };

async function load(url: string): Promise<{ rps: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
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
  return { rps: REQUESTS / secs, p50: q(0.5), p99: q(0.99) };
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

const emu = await startEmulator({ providers: ['hetzner', 'digitalocean'], timeScale: 1000, rateLimits: { hetzner: null, digitalocean: null } });
const registry = withDefaults();
for (const name of ['hetzner', 'digitalocean'] as const) {
  const p = await registry.create(name, { credentials: { token: 'bench-token' }, endpoint: emu.urls[name], http: { timeScale: 1000, budgets: new Map() } });
  const [region, size] = name === 'hetzner' ? ['fsn1', 'cx22'] : ['nyc3', 's-1vcpu-1gb'];
  await Promise.all(Array.from({ length: 50 }, (_, i) => p.createInstance({ name: `tp-${i}`, region, size, image: parseImageSpec('ubuntu-24.04') })));
}

const rows = [];
for (const [name, path] of [['hetzner', '/v1/servers?per_page=50'], ['digitalocean', '/v2/droplets?per_page=50']] as const) {
  const url = emu.urls[name] + path;
  const body = Buffer.from(await (await fetch(url, { headers: AUTH })).arrayBuffer());
  const baseline = await bare(body);
  await load(baseline.url); // warm-up
  const b = await load(baseline.url);
  const e = await load(url);
  baseline.close();
  rows.push({ endpoint: `${name} ${path}`, 'bytes': body.length, 'bare rps': b.rps.toFixed(0), 'emulator rps': e.rps.toFixed(0), ratio: (e.rps / b.rps).toFixed(2), 'emulator p50 ms': e.p50.toFixed(2), 'emulator p99 ms': e.p99.toFixed(2) });
}
await emu.close();
console.log(`emulator throughput: ${REQUESTS} requests, ${CONCURRENCY} in flight, 50 servers listed per response`);
console.table(rows);
console.log(JSON.stringify({ bench: 'emulator-throughput', rows }));
