/**
 * Soak of parked work: one provider agent (long-poll, manual provisioner) whose only contract is
 * parked for the operator, against `ferry server` running in its own process on SQLite. Reports
 * the agent's requests per poll interval and the server's CPU time over the soak (from
 * /proc/<pid>/stat). Target: about one request per interval, the server idle.
 * Run: node dist/bench/agent-soak.js [--seconds 60] [--interval 5] [--long-poll 1]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from '../src/agent/loop.js';
import { ManualProvisioner } from '../src/agent/provisioners/manual.js';
import { StateFile } from '../src/agent/state.js';
import { ControlPlaneClient } from '../src/protocol/client.js';
import { generateKeyPair } from '../src/protocol/keys.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 60);
const INTERVAL = arg('interval', 5);
const LONG_POLL = arg('long-poll', 1) === 1;
const TICKS = 100; // USER_HZ on Linux

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-soak-'));
  const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
  const server = spawn(process.execPath, [main, 'server', '--port', '0', '--database-url', `sqlite:${join(dir, 'cp.db')}`], {
    env: { ...process.env, HOME: dir, FERRY_OPERATOR_TOKEN: 'bench-operator' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  try {
    const providerKeys = generateKeyPair();
    const provider = new ControlPlaneClient({ baseUrl: url, secretKey: providerKeys.secretKey });
    const requester = new ControlPlaneClient({ baseUrl: url, secretKey: generateKeyPair().secretKey });
    const offering = await provider.addOffering({ name: 'soak', cpu_cores: 1, memory_amount: '1 GB', storage_capacity: '10 GB', monthly_price: 1, provisioner_type: 'manual', auto_accept: true, auto_accept_budget: 10 });
    await requester.createContract({ offering_id: offering.offering_id, requester_ssh_pubkey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA soak' });
    const counts = new Map<string, number>();
    const state = new StateFile(join(dir, 'agent.json'));
    const client = new ControlPlaneClient({
      baseUrl: url,
      secretKey: providerKeys.secretKey,
      agentInstanceId: state.instanceId,
      fetch: (u, init) => {
        const key = `${init.method} ${new URL(u).pathname.replace(/[0-9a-f]{64}/g, ':id')}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return fetch(u, init);
      },
    });
    const agent = new Agent({
      client,
      provisioner: new ManualProvisioner({ type: 'manual' }),
      polling: { intervalSeconds: INTERVAL, healthCheckIntervalSeconds: 300, longPoll: LONG_POLL, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
      state,
    });
    const stop = new AbortController();
    const running = agent.run(stop.signal);
    const cpuBefore = cpuMs(server.pid!);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const elapsed = (Date.now() - started) / 1000;
    const cpu = cpuMs(server.pid!) - cpuBefore;
    stop.abort();
    await running;
    const requests = [...counts.values()].reduce((a, b) => a + b, 0);
    const intervals = elapsed / INTERVAL;
    console.log(JSON.stringify({
      seconds: Math.round(elapsed),
      interval_s: INTERVAL,
      long_poll: LONG_POLL,
      parked_phase: state.contracts()[0]?.[1].phase ?? null,
      requests,
      requests_per_interval: Number((requests / intervals).toFixed(2)),
      by_endpoint: Object.fromEntries(counts),
      server_cpu_ms: Math.round(cpu),
      server_cpu_percent: Number(((cpu / 1000 / elapsed) * 100).toFixed(2)),
    }, null, 1));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
