/**
 * Agent dispatch benchmark, through the whole agent loop (not just the held poll):
 * contract creation → the agent has taken the lock and reported "provisioning started",
 * with the agent in long-poll mode against `ferry server` on SQLite. Also the idle request
 * rate of that agent (the target is about one request per poll interval).
 * The provisioner is an in-memory one that returns at once, so only dispatch is measured.
 * Run: node dist/bench/agent-dispatch.js [--dispatches 40] [--interval 5] [--idle-seconds 15]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent } from '../src/agent/loop.js';
import { StateFile } from '../src/agent/state.js';
import type { Provisioner } from '../src/agent/provisioners/types.js';
import { ControlPlaneClient } from '../src/protocol/client.js';
import { generateKeyPair } from '../src/protocol/keys.js';
import { startServer } from '../src/server/server.js';
import { openDb } from '../src/store/open.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DISPATCHES = arg('dispatches', 40);
const INTERVAL = arg('interval', 5);
const IDLE_SECONDS = arg('idle-seconds', 15);

const instant: Provisioner = {
  type: 'script',
  provision: async (req) => ({ kind: 'provisioned', instance: { externalId: `vm-${req.contractId.slice(0, 8)}` } }),
  terminate: async () => undefined,
  healthCheck: async () => ({ status: 'healthy' }),
  listRunning: async () => [],
};

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-agent-'));
  const db = await openDb(`sqlite:${join(dir, 'cp.db')}`, { env: {} });
  const server = await startServer({ db, host: '127.0.0.1', port: 0, operatorToken: 'bench', quotas: { openContractsPerRequester: 1_000_000, contractsPerMinutePerRequester: 1_000_000 } });
  const providerKeys = generateKeyPair();
  const provider = new ControlPlaneClient({ baseUrl: server.url, secretKey: providerKeys.secretKey });
  const requester = new ControlPlaneClient({ baseUrl: server.url, secretKey: generateKeyPair().secretKey });
  const offering = await provider.addOffering({ name: 'bench', cpu_cores: 1, memory_amount: '1 GB', storage_capacity: '10 GB', monthly_price: 1, auto_accept: true, auto_accept_budget: 1e9 });

  let requests = 0;
  const counting = new ControlPlaneClient({
    baseUrl: server.url,
    secretKey: providerKeys.secretKey,
    fetch: (url, init) => {
      requests++;
      return fetch(url, init);
    },
  });
  const started = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const agent = new Agent({
    client: counting,
    provisioner: instant,
    polling: { intervalSeconds: INTERVAL, longPoll: true, healthCheckIntervalSeconds: 3600, reconcileIntervalSeconds: 3600, orphanGraceSeconds: 3600 },
    state: new StateFile(join(dir, 'agent.json')),
    onStep: (step, id) => {
      if (step !== 'started') return;
      started.set(id, performance.now());
      waiters.get(id)?.();
    },
  });
  const stop = new AbortController();
  const running = agent.run(stop.signal);
  await new Promise((r) => setTimeout(r, 300));

  const latencies: number[] = [];
  for (let i = 0; i < DISPATCHES; i++) {
    // Let the agent settle into a held poll, at a random point of it.
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
    const t0 = performance.now();
    const c = await requester.createContract({ offering_id: offering.offering_id, requester_ssh_pubkey: 'ssh-ed25519 AAAA bench' });
    if (!started.has(c.contract_id)) await new Promise<void>((r) => waiters.set(c.contract_id, r));
    latencies.push(started.get(c.contract_id)! - t0);
  }
  latencies.sort((a, b) => a - b);
  console.log(`agent dispatch (creation → lock taken and "provisioning" reported), long-poll, SQLite, ${DISPATCHES} contracts:`);
  console.log(`  p50 ${pct(latencies, 50).toFixed(1)} ms   p90 ${pct(latencies, 90).toFixed(1)} ms   p99 ${pct(latencies, 99).toFixed(1)} ms   max ${latencies[latencies.length - 1]!.toFixed(1)} ms   (target p50 <= 250 ms)`);

  await new Promise((r) => setTimeout(r, 500));
  const before = requests;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const seconds = (performance.now() - t0) / 1000;
  const idle = requests - before;
  console.log(`idle agent: ${idle} requests in ${seconds.toFixed(1)} s = ${(idle / seconds).toFixed(2)}/s with interval_seconds = ${INTERVAL} (one held poll per interval = ${(1 / INTERVAL).toFixed(2)}/s, plus a heartbeat every 60 s)`);

  stop.abort();
  await running;
  await server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
