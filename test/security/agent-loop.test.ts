/**
 * Finding classes 1 (the agent half) and 3: one contract failing never stops the agent from
 * handling the others (isolated, recorded, backed off), and an agent waiting on parked work
 * (a manual contract, a contract in retry backoff) costs about one request per poll interval.
 *
 * The soak runs against the real control plane on both backends, with the agent's waits
 * injected: every wait is recorded at its full length and taken at 1/100 of it, so "per
 * interval" is counted from the waits the loop asked for, not from a wall clock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { ManualProvisioner } from '../../src/agent/provisioners/manual.js';
import { ProvisionError, type Provisioner } from '../../src/agent/provisioners/types.js';
import { StateFile } from '../../src/agent/state.js';
import type { PollingConfig } from '../../src/agent/config.js';
import type { Fetch } from '../../src/core/fetch.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import { LOOSE_QUOTAS, OFFERING, party, SSH_KEY, type Party } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

const INTERVAL_S = 1;

function stateFile(): StateFile {
  return new StateFile(join(mkdtempSync(join(tmpdir(), 'ferry-soak-')), 'agent.json'));
}

/** Waits recorded at full length, taken at 1/100 (still listening to the signal). */
function recordingSleep(log: number[]) {
  return (ms: number, signal: AbortSignal) => {
    log.push(ms);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, Math.max(1, ms / 100));
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      }, { once: true });
    });
  };
}

function countingFetch(counts: Map<string, number>): Fetch {
  return (url, init) => {
    const path = new URL(url).pathname.replace(/[0-9a-f]{64}/g, ':id');
    const key = `${init.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return fetch(url, init);
  };
}

/** A script-like provisioner whose provision always fails with retry_possible (a contract in backoff). */
const failingRetryable: Provisioner = {
  type: 'script',
  provision: async () => {
    throw new ProvisionError('capacity exhausted, try later', true);
  },
  terminate: async () => undefined,
  healthCheck: async () => ({ status: 'unknown' }),
  listRunning: async () => null,
};

for (const backend of await backends()) {
  describe(`agent loop under parked work and failing contracts on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    let provider: Party;
    let requester: Party;
    const tally = new Tally('agent-loop', backend.name);

    before(async () => {
      s = await serve(backend, { quotas: LOOSE_QUOTAS });
      provider = party(s.server.url);
      requester = party(s.server.url);
    });
    after(async () => {
      console.log(tally.summary());
      await s?.close();
    });

    async function agentFor(provisioner: Provisioner, polling: Partial<PollingConfig>, counts: Map<string, number>, sleeps: number[]) {
      const key = generateKeyPair();
      await provider.client.delegateAgent(key.secretKey, { label: 'soak' });
      const state = stateFile();
      const client = new ControlPlaneClient({ baseUrl: s.server.url, secretKey: key.secretKey, role: 'agent', providerPubkey: provider.publicKey, agentInstanceId: state.instanceId, fetch: countingFetch(counts) });
      const agent = new Agent({
        client,
        provisioner,
        polling: { intervalSeconds: INTERVAL_S, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300, ...polling },
        state,
        sleep: recordingSleep(sleeps),
        retryDelayMs: () => 3_600_000,
      });
      return { agent, state };
    }

    for (const longPoll of [false, true]) {
      it(`parked work costs about one request per interval (${longPoll ? 'long-poll' : 'polling'}): a manual contract and one in retry backoff`, async () => {
        // Only this provider's contracts: one the operator must complete, one whose provider keeps failing.
        const manualOffer = await provider.client.addOffering({ ...OFFERING, provisioner_type: 'manual' });
        const manual = await requester.client.createContract({ offering_id: manualOffer.offering_id, requester_ssh_pubkey: SSH_KEY });
        const counts = new Map<string, number>();
        const sleeps: number[] = [];
        const { agent, state } = await agentFor(new ManualProvisioner({ type: 'manual' }), { longPoll }, counts, sleeps);
        const stop = new AbortController();
        const running = agent.run(stop.signal);
        for (let i = 0; i < 3000 && agent.stats.polls < 40; i++) await new Promise((r) => setTimeout(r, 10));
        stop.abort();
        await running;
        assert.equal(state.contract(manual.contract_id)?.phase, 'manual', 'the contract is parked for the operator');
        const intervalMs = INTERVAL_S * 1000;
        const pollWaits = sleeps.filter((ms) => ms >= intervalMs * 0.79 && ms <= intervalMs * 1.21);
        const intervals = pollWaits.reduce((a, b) => a + b, 0) / intervalMs;
        const requests = [...counts.values()].reduce((a, b) => a + b, 0);
        const polls = [...counts].filter(([k]) => k.includes('pending-provision')).reduce((a, [, n]) => a + n, 0);
        const perInterval = requests / Math.max(intervals, 1);
        console.log(`# soak ${backend.name} ${longPoll ? 'long-poll' : 'polling'}: ${polls} polls, ${requests} requests over ${intervals.toFixed(1)} intervals = ${perInterval.toFixed(2)} requests per interval`);
        tally.record(`parked manual contract (${longPoll ? 'long-poll' : 'polling'}): ${perInterval.toFixed(2)} requests per interval`, perInterval <= 1.5);
        assert.ok(polls >= 40, `${polls} polls`);
        // Every poll is followed by a wait of one interval, except the one that did the work (parking the contract) and the one cut by the stop.
        assert.ok(polls <= pollWaits.length + 2, `${polls} polls but only ${pollWaits.length} interval waits: the loop spins`);
        assert.ok(perInterval <= 1.5, `${perInterval} requests per interval`);
        await requester.client.cancelContract(manual.contract_id).catch(() => undefined);
      });
    }

    it('a contract in retry backoff is not re-locked on every poll', async () => {
      const offer = await provider.client.addOffering({ ...OFFERING, provisioner_type: 'script' });
      const c = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      const counts = new Map<string, number>();
      const sleeps: number[] = [];
      const { agent, state } = await agentFor(failingRetryable, {}, counts, sleeps);
      const stop = new AbortController();
      const running = agent.run(stop.signal);
      for (let i = 0; i < 3000 && agent.stats.polls < 30; i++) await new Promise((r) => setTimeout(r, 10));
      stop.abort();
      await running;
      assert.equal(state.contract(c.contract_id)?.phase, 'retry_wait');
      const locks = counts.get('POST /api/v1/providers/:id/contracts/:id/lock') ?? 0;
      tally.record(`retry backoff: ${locks} lock requests in ${agent.stats.polls} polls`, locks <= 1);
      assert.equal(locks, 1, 'locked once, then left alone until its backoff ends');
      await requester.client.cancelContract(c.contract_id).catch(() => undefined);
      await provider.client.terminateContract(c.contract_id).catch(() => undefined);
    });

    it('one contract whose handling throws is set aside; the others are still provisioned, and it is not retried at once', async () => {
      const offer = await provider.client.addOffering({ ...OFFERING, provisioner_type: 'script' });
      const poisoned = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      const healthy = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      const key = generateKeyPair();
      await provider.client.delegateAgent(key.secretKey);
      const state = stateFile();
      // The control plane fails on one contract only (a 500 while reporting its start).
      class Flaky extends ControlPlaneClient {
        override reportStarted(id: string): Promise<unknown> {
          if (id === poisoned.contract_id) return Promise.reject(new Error('HTTP 500: internal error'));
          return super.reportStarted(id);
        }
      }
      const client = new Flaky({ baseUrl: s.server.url, secretKey: key.secretKey, role: 'agent', providerPubkey: provider.publicKey, agentInstanceId: state.instanceId });
      const provisioned: string[] = [];
      const provisioner: Provisioner = {
        type: 'script',
        provision: async (req) => {
          provisioned.push(req.contractId);
          return { kind: 'provisioned', instance: { externalId: `vm-${req.contractId.slice(0, 6)}`, rootPassword: 'pw-for-the-requester' } };
        },
        terminate: async () => undefined,
        healthCheck: async () => ({ status: 'healthy' }),
        listRunning: async () => null,
      };
      const logs: string[] = [];
      const agent = new Agent({
        client,
        provisioner,
        polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
        state,
        log: (l) => logs.push(l),
        errorBackoffMs: (n) => 60_000 * n,
      });
      const signal = new AbortController().signal;
      const first = await agent.pollOnce(signal);
      assert.equal(first.worked, 1);
      assert.deepEqual(provisioned, [healthy.contract_id], 'the healthy contract was provisioned despite the other failing first');
      assert.equal((await requester.client.getContract(healthy.contract_id)).status, 'provisioned');
      const parked = state.contract(poisoned.contract_id);
      assert.equal(parked?.phase, 'retry_wait');
      assert.match(parked?.lastError ?? '', /HTTP 500/);
      assert.ok((parked?.nextAttemptAt ?? 0) > Date.now() + 10_000, 'backed off');
      assert.ok(logs.some((l) => /set aside/.test(l)));
      const second = await agent.pollOnce(signal);
      assert.equal(second.worked, 0, 'not retried at once');
      tally.record('a contract that throws does not stop the batch', provisioned.length === 1 && agent.stats.errors === 1);
      await requester.client.cancelContract(poisoned.contract_id).catch(() => undefined);
    });
  });
}
