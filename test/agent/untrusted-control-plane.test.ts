/**
 * The agent treats the control plane's answers as input to check, not orders: a marketplace
 * (Decent Cloud's or a misbehaving replica) must not be able to make it destroy instances it
 * never reported, or spin its loops by answering with absurd intervals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { reconcile } from '../../src/agent/reconcile.js';
import { StateFile } from '../../src/agent/state.js';
import type { Provisioner, RunningInstance } from '../../src/agent/provisioners/types.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import type { ReconcileRequest, ReconcileResponse } from '../../src/protocol/api.js';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);

function fakeProvisioner(running: RunningInstance[] | null, removed: string[]): Provisioner {
  return {
    type: 'script',
    provision: async () => assert.fail('not expected'),
    terminate: async (externalId) => void removed.push(externalId),
    healthCheck: async () => ({ status: 'healthy' }),
    listRunning: async () => running,
  };
}

interface Answer {
  status?: number;
  data?: unknown;
  headers?: Record<string, string>;
}

/**
 * A control plane that answers as the test scripts it, over real HTTP: the agent's signed client
 * is exercised as in production. A request the script does not expect fails the test.
 */
async function hostileControlPlane(script: (method: string, route: string, body: unknown) => Answer | undefined) {
  const unexpected: string[] = [];
  const key = generateKeyPair();
  const prefix = `/api/v1/providers/${key.publicKey}`;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const route = path.startsWith(prefix) ? path.slice(prefix.length) : path;
      const answer = script(req.method ?? 'GET', route, raw ? JSON.parse(raw) : undefined);
      if (!answer) unexpected.push(`${req.method} ${route}`);
      const status = answer?.status ?? (answer ? 200 : 500);
      const ok = status < 400;
      res.writeHead(status, { 'content-type': 'application/json', ...answer?.headers });
      res.end(JSON.stringify(ok ? { success: true, data: answer?.data ?? null } : { success: false, error: 'refused' }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const client = new ControlPlaneClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secretKey: key.secretKey });
  return {
    client,
    close: () => {
      server.closeAllConnections();
      server.close();
      assert.deepEqual(unexpected, [], 'requests the control plane did not expect');
    },
  };
}

function state(): StateFile {
  return new StateFile(join(mkdtempSync(join(tmpdir(), 'ferry-agent-')), 'agent.json'));
}

test('reconcile tears down only instances the agent itself reported, whatever the control plane answers', async () => {
  const removed: string[] = [];
  const terminatedReports: string[] = [];
  const cp = await hostileControlPlane((method, route, body) => {
    if (method === 'POST' && route === '/reconcile') {
      assert.deepEqual((body as ReconcileRequest).runningInstances, [{ externalId: 'vm-1', contractId: A }]);
      const data: ReconcileResponse = {
        keep: [{ externalId: 'vm-other', contractId: B, endsAt: 0 }],
        // vm-1 is ours and ended: fine. vm-777 and vm-1 under another contract were never sent.
        terminate: [
          { externalId: 'vm-777', contractId: A, reason: 'terminated' },
          { externalId: 'vm-1', contractId: B, reason: 'terminated' },
          { externalId: 'vm-1', contractId: A, reason: 'terminated' },
        ],
        unknown: [{ externalId: 'vm-888', message: 'No contract found' }],
        pause: [],
      };
      return { data };
    }
    const ended = /^\/contracts\/([0-9a-f]+)\/terminated$/.exec(route);
    if (method === 'PUT' && ended) {
      terminatedReports.push(ended[1]!);
      return { data: true };
    }
    return undefined;
  });
  const r = await reconcile({
    client: cp.client,
    provisioner: fakeProvisioner([{ externalId: 'vm-1', contractId: A }], removed),
    state: state(),
    orphanGraceMs: 0,
    now: Date.now,
    log: () => undefined,
  });
  assert.deepEqual(removed, ['vm-1'], 'only the instance the agent listed, for the contract it named');
  assert.deepEqual(terminatedReports, [A]);
  assert.deepEqual([...r.keep.keys()], [], 'nothing the agent did not ask about is health-checked');
  cp.close();
});

test('a heartbeat answer with an absurd interval cannot make the agent spin', async () => {
  let heartbeats = 0;
  const cp = await hostileControlPlane((method, route) => {
    if (method === 'POST' && route === '/heartbeat') {
      heartbeats++;
      return { data: { acknowledged: true, nextHeartbeatSeconds: 0.001 } };
    }
    if (method === 'GET' && route === '/contracts/pending-provision') return { data: [] };
    return undefined;
  });
  const agent = new Agent({
    client: cp.client,
    provisioner: fakeProvisioner([], []),
    polling: { intervalSeconds: 30, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
    state: state(),
  });
  const stop = new AbortController();
  const running = agent.run(stop.signal);
  await new Promise((r) => setTimeout(r, 300));
  stop.abort();
  await running;
  cp.close();
  assert.ok(heartbeats <= 2, `${heartbeats} heartbeats in 300 ms`);
});

test('a Retry-After too large for a timer (or too small) cannot make the poll loop spin', async () => {
  for (const retryAfterMs of [1e12, 0.5]) {
    let polls = 0;
    const cp = await hostileControlPlane((method, route) => {
      if (method === 'POST' && route === '/heartbeat') return { data: { acknowledged: true, nextHeartbeatSeconds: 60 } };
      if (method === 'GET' && route === '/contracts/pending-provision') {
        polls++;
        return { status: 503, headers: { 'retry-after': String(retryAfterMs / 1000) } };
      }
      return undefined;
    });
    const agent = new Agent({
      client: cp.client,
      provisioner: fakeProvisioner([], []),
      polling: { intervalSeconds: 30, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
      state: state(),
    });
    const stop = new AbortController();
    const running = agent.run(stop.signal);
    await new Promise((r) => setTimeout(r, 300));
    stop.abort();
    await running;
    cp.close();
    assert.ok(polls <= 2, `Retry-After ${retryAfterMs} ms: ${polls} polls in 300 ms`);
  }
});
