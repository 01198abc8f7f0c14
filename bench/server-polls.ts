/**
 * Control-plane benchmark.
 * 1. Signed agent polls per second (GET pending-provision) against `ferry server` on SQLite and
 *    on Postgres, as a ratio of a bare node:http server that only verifies one Ed25519ph signature
 *    per request; p99 latency. Requests are signed before the clock starts and sent from a child
 *    process (ferry's node:http transport), so the client's own work does not dilute the comparison.
 *    Then an OPEN-LOOP phase at half that maximum: requests leave on a fixed schedule whatever the
 *    responses, and latency counts from each request's scheduled time, so queueing in the server
 *    shows up (a closed loop slows its own arrivals and hides it). Target: p99 ≤ 20 ms there.
 * 2. Dispatch latency in long-poll mode: contract creation → the agent's held poll returning it
 *    (same replica, and on Postgres through a second replica, which exercises the DB polling path),
 *    plus the idle request rate of a long-polling agent.
 * Run: node dist/bench/server-polls.js [--requests 6000] [--concurrency 32] [--open-requests 4000] [--open-load 0.5]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openDb } from '../src/store/open.js';
import type { Db } from '../src/store/db.js';
import { startServer, type ServerHandle } from '../src/server/server.js';
import { ControlPlaneClient } from '../src/protocol/client.js';
import { generateKeyPair } from '../src/protocol/keys.js';
import { defaultFetch } from '../src/transport/node-fetch.js';
import { signRequest, verifyRequest } from '../src/protocol/signing.js';
const BENCH_QUOTAS = { openContractsPerRequester: 1_000_000, contractsPerMinutePerRequester: 1_000_000 };

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 6000);
const CONCURRENCY = arg('concurrency', 32);
const DISPATCHES = arg('dispatches', 30);
const OPEN_REQUESTS = arg('open-requests', 4000);
const OPEN_LOAD = arg('open-load', 0.5);
const OPEN_P99_TARGET_MS = 20;

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number, d = 1): string => n.toFixed(d);

async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const v = verifyRequest({ headers: req.headers, method: req.method ?? 'GET', path: req.url ?? '/', body: Buffer.concat(chunks) });
      const body = v.ok ? '{"success":true,"data":[],"error":null}' : '{"success":false,"data":null,"error":"rejected"}';
      res.writeHead(v.ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000; // as ferry server: the client pool keeps connections across the presigning pause
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

type ClosedResult = { rps: number; p50: number; p99: number; errors: number };
type OpenResult = ClosedResult & { max: number };
/** Pre-signed requests for the load client: a closed loop, or an open one when a rate is given. */
type Job = { url: string; path: string; headers: Record<string, string>[]; rate?: number };

/** Fires pre-signed GETs with fixed concurrency; returns requests/s and latency percentiles. */
async function closedLoop(url: string, path: string, headers: Record<string, string>[]): Promise<ClosedResult> {
  const lat: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= headers.length) return;
        const t = performance.now();
        const res = await defaultFetch(url + path, { method: 'GET', headers: headers[i]! });
        await res.text();
        if (res.status !== 200) errors++;
        lat.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { rps: headers.length / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

/**
 * Open loop: request i leaves at start + i / rate whether or not earlier ones were answered;
 * its latency runs from that scheduled time to the end of its response.
 */
async function openLoop(url: string, path: string, headers: Record<string, string>[], rate: number): Promise<OpenResult> {
  const lat: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now() + 5;
  const send = async (i: number, due: number): Promise<void> => {
    try {
      const res = await defaultFetch(url + path, { method: 'GET', headers: headers[i]! });
      await res.text();
      if (res.status !== 200) errors++;
    } catch {
      errors++;
    }
    lat.push(performance.now() - due);
  };
  let next = 0;
  while (next < headers.length) {
    const now = performance.now();
    while (next < headers.length && start + next * (1000 / rate) <= now) {
      inflight.push(send(next, start + next * (1000 / rate)));
      next++;
    }
    const wait = start + next * (1000 / rate) - performance.now();
    await new Promise((r) => (wait > 1 ? setTimeout(r, Math.floor(wait)) : setImmediate(r)));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { rps: headers.length / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), max: lat.at(-1) ?? 0, errors };
}

/**
 * The load runs in a child process, as an agent fleet would from elsewhere: in the server's own
 * process its requests would share the event loop and add their queueing to every latency measured.
 */
let client: ChildProcess | undefined;
function remote<T>(job: Job): Promise<T> {
  client ??= fork(fileURLToPath(import.meta.url), ['--client', '--concurrency', String(CONCURRENCY)], { stdio: 'inherit', execArgv: [] });
  const child = client;
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`load client exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (m) => {
      child.off('exit', exited);
      resolve(m as T);
    });
    child.send(job);
  });
}
const load = (url: string, path: string, headers: Record<string, string>[]) => remote<ClosedResult>({ url, path, headers });
const openLoad = (url: string, path: string, headers: Record<string, string>[], rate: number) => remote<OpenResult>({ url, path, headers, rate });

function reportOpen(label: string, rate: number, r: OpenResult, target: boolean): void {
  const verdict = target ? `  target p99 ≤ ${OPEN_P99_TARGET_MS} ms ${r.p99 <= OPEN_P99_TARGET_MS ? 'met' : 'NOT met'}` : '';
  console.log(`${label.padEnd(24)} open loop at ${fmt(rate, 0)} req/s (${OPEN_LOAD * 100}% of max): p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  max ${fmt(r.max)} ms${r.errors ? `  (${r.errors} errors)` : ''}${verdict}`);
}

interface Setup {
  provider: ControlPlaneClient;
  providerKey: string;
  agentSecret: string;
  requester: ControlPlaneClient;
  offeringId: string;
}

async function setup(server: ServerHandle): Promise<Setup> {
  const p = generateKeyPair();
  const a = generateKeyPair();
  const r = generateKeyPair();
  const provider = new ControlPlaneClient({ baseUrl: server.url, secretKey: p.secretKey });
  await provider.delegateAgent(a.secretKey);
  const offering = await provider.addOffering({ name: 'bench', cpu_cores: 1, memory_amount: '1 GB', storage_capacity: '10 GB', monthly_price: 1, auto_accept: true, auto_accept_budget: 1e9 });
  return { provider, providerKey: p.publicKey, agentSecret: a.secretKey, requester: new ControlPlaneClient({ baseUrl: server.url, secretKey: r.secretKey }), offeringId: offering.offering_id };
}

function presign(secret: string, path: string, n: number, role: 'agent' | 'provider'): Record<string, string>[] {
  return Array.from({ length: n }, () => signRequest(secret, 'GET', path, '', { role }));
}

async function pollThroughput(label: string, server: ServerHandle, bareRps: number): Promise<void> {
  const s = await setup(server);
  const path = `/api/v1/providers/${s.providerKey}/contracts/pending-provision`;
  await load(server.url, path, presign(s.agentSecret, path, 300, 'agent')); // warm-up
  const r = await load(server.url, path, presign(s.agentSecret, path, REQUESTS, 'agent'));
  console.log(`${label.padEnd(24)} ${fmt(r.rps, 0).padStart(7)} req/s  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  ratio to bare ${fmt(r.rps / bareRps, 2)} (target ≥ 0.8)${r.errors ? `  (${r.errors} errors)` : ''}`);
  const rate = r.rps * OPEN_LOAD;
  reportOpen(label, rate, await openLoad(server.url, path, presign(s.agentSecret, path, OPEN_REQUESTS, 'agent'), rate), true);
}

/** Creation → held long-poll returns it; `creator` may be another replica. */
async function dispatch(label: string, poller: ServerHandle, creator: ServerHandle): Promise<void> {
  const s = await setup(poller);
  const agent = new ControlPlaneClient({ baseUrl: poller.url, secretKey: s.agentSecret, role: 'agent', providerPubkey: s.providerKey });
  const requester = new ControlPlaneClient({ baseUrl: creator.url, secretKey: generateKeyPair().secretKey });
  const lat: number[] = [];
  for (let i = 0; i < DISPATCHES; i++) {
    const polled = agent.pendingProvision({ waitSeconds: 25 });
    await new Promise((r) => setTimeout(r, 30 + Math.random() * 120));
    const t = performance.now();
    const created = requester.createContract({ offering_id: s.offeringId, requester_ssh_pubkey: 'ssh-ed25519 AAAAbench' });
    const got = await polled;
    lat.push(performance.now() - t);
    const c = await created;
    if (!got.some((g) => g.contract_id === c.contract_id)) throw new Error('long-poll returned another contract');
    await agent.reportProvisioned(c.contract_id, { external_id: `vm-${i}` });
  }
  lat.sort((a, b) => a - b);
  console.log(`${label.padEnd(40)} p50 ${fmt(pct(lat, 50))} ms  p90 ${fmt(pct(lat, 90))} ms  max ${fmt(lat.at(-1)!)} ms  (n=${lat.length})`);
}

async function idleRate(server: ServerHandle, waitSeconds: number, windowSeconds: number): Promise<void> {
  const s = await setup(server);
  const agent = new ControlPlaneClient({ baseUrl: server.url, secretKey: s.agentSecret, role: 'agent', providerPubkey: s.providerKey });
  let requests = 0;
  const end = performance.now() + windowSeconds * 1000;
  while (performance.now() < end) {
    requests++;
    await agent.pendingProvision({ waitSeconds: Math.max(1, Math.min(waitSeconds, Math.ceil((end - performance.now()) / 1000))) });
  }
  console.log(`idle long-poll (wait=${waitSeconds}s): ${requests} requests in ${windowSeconds}s = ${fmt((requests / windowSeconds) * 60, 1)} per minute per agent`);
}

async function main(): Promise<void> {
  console.log(`server-polls: ${REQUESTS} signed polls, concurrency ${CONCURRENCY}; open loop ${OPEN_REQUESTS} at ${OPEN_LOAD * 100}% of each max; node ${process.version}`);
  const bare = await bareServer();
  const bareKey = generateKeyPair();
  await load(bare.url, '/poll', presign(bareKey.secretKey, '/poll', 300, 'provider'));
  const b = await load(bare.url, '/poll', presign(bareKey.secretKey, '/poll', REQUESTS, 'provider'));
  console.log(`${'bare node:http + verify'.padEnd(24)} ${fmt(b.rps, 0).padStart(7)} req/s  p50 ${fmt(b.p50)} ms  p99 ${fmt(b.p99)} ms`);
  reportOpen('bare node:http + verify', b.rps * OPEN_LOAD, await openLoad(bare.url, '/poll', presign(bareKey.secretKey, '/poll', OPEN_REQUESTS, 'provider'), b.rps * OPEN_LOAD), false);
  await bare.close();

  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const sqlite = await openDb(`sqlite:${join(dir, 'bench.db')}`, { env: {} });
  const s1 = await startServer({ db: sqlite, quotas: BENCH_QUOTAS });
  await pollThroughput('ferry server (SQLite)', s1, b.rps);

  const given = process.env.FERRY_BENCH_DATABASE_URL;
  const pgUrl = given ? { url: given, stop: async () => undefined } : await throwawayPostgres();
  let pgDbs: Db[] = [];
  let pgServers: ServerHandle[] = [];
  if (pgUrl) {
    pgDbs = [await openDb(pgUrl.url, { env: {} }), await openDb(pgUrl.url, { env: {} })];
    pgServers = [await startServer({ db: pgDbs[0]!, quotas: BENCH_QUOTAS }), await startServer({ db: pgDbs[1]!, quotas: BENCH_QUOTAS })];
    await pollThroughput('ferry server (Postgres)', pgServers[0]!, b.rps);
  } else console.log('*** Postgres SKIPPED: no postgres binaries and no FERRY_BENCH_DATABASE_URL ***');

  console.log('\ndispatch latency, contract creation → long-poll returns it (server re-reads the DB every 100 ms while holding a poll):');
  await dispatch('SQLite, same replica', s1, s1);
  if (pgServers.length) {
    await dispatch('Postgres, same replica', pgServers[0]!, pgServers[0]!);
    await dispatch('Postgres, created via the other replica', pgServers[0]!, pgServers[1]!);
  }
  await idleRate(s1, 5, 15);

  await s1.close();
  await sqlite.close();
  for (const s of pgServers) await s.close();
  for (const d of pgDbs) await d.close();
  await pgUrl?.stop();
  rmSync(dir, { recursive: true, force: true });
}

async function throwawayPostgres(): Promise<{ url: string; stop(): Promise<void> } | null> {
  try {
    const support = (await import(new URL('../test/support/postgres.js', import.meta.url).href)) as typeof import('../test/support/postgres.js');
    return await support.startPostgres({ database: 'ferry_bench' });
  } catch (err) {
    console.log(`(could not start a throwaway Postgres: ${(err as Error).message})`);
    return null;
  }
}

if (process.argv.includes('--client')) {
  process.on('message', (job: Job) => {
    const run = job.rate === undefined ? closedLoop(job.url, job.path, job.headers) : openLoop(job.url, job.path, job.headers, job.rate);
    void run.then((r) => process.send!(r));
  });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
  client?.disconnect();
}
