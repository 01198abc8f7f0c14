/**
 * The agent treats the control plane's answers as input to check, not orders: a marketplace
 * (Decent Cloud's or a misbehaving replica) must not be able to make it destroy instances it
 * never reported, or spin its loops by answering with absurd intervals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderError } from '../../src/core/errors.js';
import { Agent } from '../../src/agent/loop.js';
import { reconcile } from '../../src/agent/reconcile.js';
import { StateFile } from '../../src/agent/state.js';
import type { Provisioner, RunningInstance } from '../../src/agent/provisioners/types.js';
import type { ControlPlaneClient } from '../../src/protocol/client.js';
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

function state(): StateFile {
  return new StateFile(join(mkdtempSync(join(tmpdir(), 'ferry-agent-')), 'agent.json'));
}

test('reconcile tears down only instances the agent itself reported, whatever the control plane answers', async () => {
  const removed: string[] = [];
  const terminatedReports: string[] = [];
  const client = {
    reconcile: async (req: ReconcileRequest): Promise<ReconcileResponse> => {
      assert.deepEqual(req.runningInstances, [{ externalId: 'vm-1', contractId: A }]);
      return {
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
    },
    reportTerminated: async (id: string) => void terminatedReports.push(id),
  } as unknown as ControlPlaneClient;
  const r = await reconcile({
    client,
    provisioner: fakeProvisioner([{ externalId: 'vm-1', contractId: A }], removed),
    state: state(),
    orphanGraceMs: 0,
    now: Date.now,
    log: () => undefined,
  });
  assert.deepEqual(removed, ['vm-1'], 'only the instance the agent listed, for the contract it named');
  assert.deepEqual(terminatedReports, [A]);
  assert.deepEqual([...r.keep.keys()], [], 'nothing the agent did not ask about is health-checked');
});

test('a heartbeat answer with an absurd interval cannot make the agent spin', async () => {
  let heartbeats = 0;
  const client = {
    heartbeat: async () => {
      heartbeats++;
      return { acknowledged: true, nextHeartbeatSeconds: 0.001 };
    },
    pendingProvision: async () => [],
  } as unknown as ControlPlaneClient;
  const agent = new Agent({
    client,
    provisioner: fakeProvisioner([], []),
    polling: { intervalSeconds: 30, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
    state: state(),
  });
  const stop = new AbortController();
  const running = agent.run(stop.signal);
  await new Promise((r) => setTimeout(r, 300));
  stop.abort();
  await running;
  assert.ok(heartbeats <= 2, `${heartbeats} heartbeats in 300 ms`);
});

test('a Retry-After too large for a timer (or too small) cannot make the poll loop spin', async () => {
  for (const retryAfterMs of [1e12, 0.5]) {
    let polls = 0;
    const client = {
      heartbeat: async () => ({ acknowledged: true, nextHeartbeatSeconds: 60 }),
      pendingProvision: async () => {
        polls++;
        throw new ProviderError({ kind: 'api', provider: 'control-plane', status: 503, message: 'busy', retryable: true, retryAfterMs });
      },
    } as unknown as ControlPlaneClient;
    const agent = new Agent({
      client,
      provisioner: fakeProvisioner([], []),
      polling: { intervalSeconds: 30, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
      state: state(),
    });
    const stop = new AbortController();
    const running = agent.run(stop.signal);
    await new Promise((r) => setTimeout(r, 300));
    stop.abort();
    await running;
    assert.ok(polls <= 2, `Retry-After ${retryAfterMs} ms: ${polls} polls in 300 ms`);
  }
});
