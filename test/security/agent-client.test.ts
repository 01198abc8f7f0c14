/**
 * Finding class 8: the agent against a hostile or broken control plane. Every request has a
 * timeout and the shutdown signal; answers are size-capped; pending entries are validated
 * (no contract without a hex contract_id, no "__proto__" journal key); ids are percent-encoded
 * into paths.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { StateFile } from '../../src/agent/state.js';
import type { Provisioner } from '../../src/agent/provisioners/types.js';
import { ProviderError } from '../../src/core/errors.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import { Tally } from './support.js';

type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => void;

async function hostile(handler: Handler) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    handler(req, res, (req.url ?? '').split('?')[0]!);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const json = (res: ServerResponse, data: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ success: status < 400, data, error: status < 400 ? null : 'refused' }));
};

function stateFile(): StateFile {
  return new StateFile(join(mkdtempSync(join(tmpdir(), 'ferry-hostile-')), 'agent.json'));
}

const noProvisioner = (provisioned: string[]): Provisioner => ({
  type: 'script',
  provision: async (req) => {
    provisioned.push(req.contractId);
    return { kind: 'provisioned', instance: { externalId: 'vm-1' } };
  },
  terminate: async () => undefined,
  healthCheck: async () => ({ status: 'unknown' }),
  listRunning: async () => null,
});

describe('the agent against a hostile control plane', () => {
  const tally = new Tally('hostile-control-plane', 'agent');
  after(() => console.log(tally.summary()));

  it('a request that never gets an answer times out, and the shutdown signal ends it at once', async () => {
    const cp = await hostile(() => undefined); // never answers
    try {
      const key = generateKeyPair().secretKey;
      const client = new ControlPlaneClient({ baseUrl: cp.url, secretKey: key, timeoutMs: 300 });
      const timedOut = await client.acquireLock('ab'.repeat(32)).catch((e: unknown) => e);
      tally.record('hung lock request', ProviderError.is(timedOut, 'timeout'));
      assert.ok(ProviderError.is(timedOut, 'timeout'), String(timedOut));

      const stop = new AbortController();
      const patient = new ControlPlaneClient({ baseUrl: cp.url, secretKey: key, timeoutMs: 600_000, signal: stop.signal });
      const pending = patient.acquireLock('ab'.repeat(32)).catch((e: unknown) => e);
      setTimeout(() => stop.abort(), 50);
      const cancelled = await pending;
      tally.record('hung request on shutdown', ProviderError.is(cancelled, 'cancelled'));
      assert.ok(ProviderError.is(cancelled, 'cancelled'), String(cancelled));
    } finally {
      cp.close();
    }
  });

  it('a whole agent stops on its signal while every request hangs', async () => {
    const cp = await hostile(() => undefined);
    try {
      const stop = new AbortController();
      const key = generateKeyPair();
      const agent = new Agent({
        client: new ControlPlaneClient({ baseUrl: cp.url, secretKey: key.secretKey, timeoutMs: 600_000, signal: stop.signal }),
        provisioner: noProvisioner([]),
        polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 300, longPoll: true, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
        state: stateFile(),
      });
      const running = agent.run(stop.signal);
      for (let i = 0; i < 500 && cp.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      stop.abort();
      const ended = await Promise.race([running.then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
      tally.record('agent with hung requests on SIGTERM', ended === 'stopped');
      assert.equal(ended, 'stopped');
    } finally {
      cp.close();
    }
  });

  it('refuses an oversized answer without buffering it', async () => {
    let sent = 0;
    const cp = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Math.min(sent, Number.MAX_SAFE_INTEGER)));
      pump();
    });
    try {
      const client = new ControlPlaneClient({ baseUrl: cp.url, secretKey: generateKeyPair().secretKey, maxResponseBytes: 4 * 1024 * 1024 });
      const before = process.memoryUsage().rss;
      const err = await client.pendingProvision().catch((e: unknown) => e);
      const grew = process.memoryUsage().rss - before;
      tally.record('200 MB answer', ProviderError.is(err) && /more than/.test((err as Error).message));
      assert.match((err as Error).message, /more than 4194304 bytes/);
      assert.ok(sent < 100 * 1024 * 1024, `the server got to send ${sent} bytes: the client kept reading`);
      assert.ok(grew < 150 * 1024 * 1024, `rss grew by ${grew}`);
      const declared = await hostile((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) });
        res.write('{');
      });
      const big = await new ControlPlaneClient({ baseUrl: declared.url, secretKey: generateKeyPair().secretKey }).pendingProvision().catch((e: unknown) => e);
      declared.close();
      tally.record('declared 300 MB answer', /more than/.test((big as Error).message));
    } finally {
      cp.close();
    }
  });

  it('handles only well-formed contracts: no "undefined", no "__proto__", no path tricks', async () => {
    const provider = generateKeyPair();
    const good = 'cd'.repeat(32);
    const entries = [
      {},
      { offering_id: 'o', requester_ssh_pubkey: 'ssh-ed25519 AAAA' },
      { contract_id: '__proto__', offering_id: 'o', requester_ssh_pubkey: 'ssh-ed25519 AAAA' },
      { contract_id: 'constructor', offering_id: 'o', requester_ssh_pubkey: 'ssh-ed25519 AAAA' },
      { contract_id: '../../agent-delegations', offering_id: 'o', requester_ssh_pubkey: 'ssh-ed25519 AAAA' },
      { contract_id: 12345, offering_id: 'o', requester_ssh_pubkey: 'ssh-ed25519 AAAA' },
      { contract_id: 'ab'.repeat(32), requester_ssh_pubkey: 'ssh-ed25519 AAAA' },
      null,
      'a string',
      { contract_id: good, offering_id: 'o', requester_ssh_pubkey: 'ssh-ed25519 AAAA', instance_config: 7, cpu_cores: 'lots' },
    ];
    const cp = await hostile((req, res, path) => {
      if (path.endsWith('/pending-provision')) return json(res, entries);
      if (path.endsWith('/lock')) return json(res, { acquired: true, expiresAtNs: 0 });
      if (path.includes('/rental-requests/')) return json(res, 'ok');
      return json(res, null, 404);
    });
    try {
      const state = stateFile();
      const provisioned: string[] = [];
      const agent = new Agent({
        client: new ControlPlaneClient({ baseUrl: cp.url, secretKey: provider.secretKey }),
        provisioner: noProvisioner(provisioned),
        polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
        state,
      });
      await agent.pollOnce(new AbortController().signal);
      assert.deepEqual(provisioned, [good]);
      assert.equal(agent.stats.malformed, entries.length - 1);
      for (let i = 0; i < entries.length - 1; i++) tally.record(`malformed pending entry ${i}`, true);
      const saved = JSON.parse(readFileSync(state.path, 'utf8')) as { contracts: Record<string, unknown> };
      assert.deepEqual(Object.keys(saved.contracts), [good]);
      assert.ok(cp.seen.every((r) => !/undefined|__proto__|\.\.\//.test(r)), cp.seen.join('\n'));
    } finally {
      cp.close();
    }
  });

  it('keeps "__proto__" an ordinary journal key, and encodes ids into paths', async () => {
    const state = stateFile();
    state.setContract('__proto__', { phase: 'manual', attempts: 1, updatedAt: 1 });
    const reread = new StateFile(state.path);
    assert.equal(reread.contract('__proto__')?.phase, 'manual');
    assert.equal(reread.contract('toString'), undefined);
    assert.equal(({} as Record<string, unknown>).phase, undefined, 'Object.prototype untouched');
    tally.record('__proto__ journal key', reread.contracts().length === 1);

    const cp = await hostile((_req, res) => json(res, null, 404));
    try {
      const client = new ControlPlaneClient({ baseUrl: cp.url, secretKey: generateKeyPair().secretKey });
      await client.getContract('a/../b?x=1#y').catch(() => undefined);
      await client.removeOffering('../../contracts').catch(() => undefined);
      assert.deepEqual(cp.seen, ['GET /api/v1/contracts/a%2F..%2Fb%3Fx%3D1%23y', `DELETE /api/v1/providers/${client.providerPubkey}/offerings/..%2F..%2Fcontracts`]);
      tally.record('ids encoded into paths', true);
    } finally {
      cp.close();
    }
    assert.equal(tally.rejected, tally.sent, tally.summary());
  });
});

describe('the control plane refuses the encoded tricks too', () => {
  let s: import('./support.js').Started;
  before(async () => {
    const { sqliteFactory } = await import('../server/helpers.js');
    s = await (await import('./support.js')).serve({ name: 'SQLite', factory: sqliteFactory, skip: false });
  });
  after(() => s?.close());
  it('answers 400 or 404 to ids with encoded separators, never acting on another path', async () => {
    const { rawSigned } = await import('../server/helpers.js');
    const key = generateKeyPair();
    for (const id of ['a%2F..%2Fb', '..%2F..%2Foffering', '%00', '%2e%2e']) {
      const res = await rawSigned(s.server.url, key.secretKey, { method: 'GET', path: `/api/v1/contracts/${id}` });
      assert.ok([400, 404].includes(res.status), `${id}: ${res.status}`);
    }
  });
});
