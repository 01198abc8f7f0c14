/**
 * Finding class 9: serialization failures and lock timeouts are retried inside the server (the
 * client never sees "database unavailable" for them), and the client honours a retryable 503
 * with its Retry-After instead of failing at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '../../src/core/errors.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import { StoreError, type Db } from '../../src/store/db.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, SSH_KEY } from '../server/helpers.js';
import { backends, Tally } from './support.js';

/** The database, with the next `n` transactions failing as a serialization failure would. */
function flaky(db: Db): Db & { failNext(n: number): void } {
  let failures = 0;
  return Object.assign(Object.create(db) as Db, {
    dialect: db.dialect,
    query: db.query.bind(db),
    execute: db.execute.bind(db),
    migrate: db.migrate.bind(db),
    close: db.close.bind(db),
    transaction: async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      if (failures > 0) {
        failures--;
        throw new StoreError('busy', 'could not serialize access due to concurrent update');
      }
      return db.transaction(fn);
    },
    failNext(n: number) {
      failures = n;
    },
  });
}

for (const backend of await backends()) {
  describe(`busy database on ${backend.name}`, { skip: backend.skip }, () => {
    let made: Awaited<ReturnType<NonNullable<typeof backend.factory>>>;
    let db: ReturnType<typeof flaky>;
    let server: ServerHandle;
    const tally = new Tally('busy-retry', backend.name);

    before(async () => {
      made = await backend.factory!();
      db = flaky(made.db);
      server = await startServer({ db, quotas: LOOSE_QUOTAS });
    });
    after(async () => {
      console.log(tally.summary());
      await server?.close();
      await made?.cleanup();
    });

    it('a terminate whose transaction hits serialization failures still succeeds', async () => {
      const provider = party(server.url);
      const requester = party(server.url);
      const offer = await provider.client.addOffering(OFFERING);
      for (let i = 0; i < 5; i++) {
        const c = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
        db.failNext(2);
        const ended = await requester.client.cancelContract(c.contract_id).then((x) => x.status, (e: ProviderError) => `HTTP ${e.status}`);
        tally.record(`cancel after 2 serialization failures (${ended})`, ended === 'cancelled');
      }
      assert.equal(tally.rejected, tally.sent, tally.summary());
    });

    it('concurrent ends of the same contracts by both parties never answer 503', async () => {
      const provider = party(server.url);
      const requester = party(server.url);
      const agent = await agentOf(server.url, provider);
      const offer = await provider.client.addOffering(OFFERING);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const c = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
        await agent.client.acquireLock(c.contract_id);
        await agent.client.reportStarted(c.contract_id);
        ids.push(c.contract_id);
      }
      const statuses = await Promise.all(
        ids.flatMap((id) => [
          requester.client.terminateContract(id).then(() => 200, (e: ProviderError) => e.status ?? 0),
          provider.client.terminateContract(id).then(() => 200, (e: ProviderError) => e.status ?? 0),
          agent.client.reportFailed(id, 'racing').then(() => 200, (e: ProviderError) => e.status ?? 0),
        ]),
      );
      for (const st of statuses) tally.record(`concurrent end (HTTP ${st})`, st === 200 || st === 409);
      assert.ok(statuses.every((st) => st === 200 || st === 409), statuses.join(','));
    });
  });
}

describe('the client honours a retryable 503 and its Retry-After', () => {
  let calls = 0;
  let plan: { status: number; retryAfter?: string }[] = [];
  let url = '';
  const srv = createServer((_req, res) => {
    const step = plan[calls++] ?? { status: 200 };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (step.retryAfter) headers['retry-after'] = step.retryAfter;
    res.writeHead(step.status, headers);
    res.end(JSON.stringify(step.status === 200 ? { success: true, data: [] } : { success: false, error: 'database unavailable, try again' }));
  });
  before(async () => {
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  after(() => srv.close());

  it('waits what the server asked (at least a second) and tries again, a bounded number of times', async () => {
    const waits: number[] = [];
    const client = new ControlPlaneClient({ baseUrl: url, secretKey: generateKeyPair().secretKey, sleep: async (ms) => void waits.push(ms) });
    calls = 0;
    plan = [{ status: 503, retryAfter: '2' }, { status: 503, retryAfter: '0' }];
    assert.deepEqual(await client.listContracts(), []);
    assert.deepEqual(waits, [2000, 1000]);
    assert.equal(calls, 3);

    calls = 0;
    waits.length = 0;
    plan = Array.from({ length: 10 }, () => ({ status: 503, retryAfter: '1' }));
    await assert.rejects(client.listContracts(), (e) => ProviderError.is(e) && e.status === 503);
    assert.equal(calls, 4, 'three re-sends, then the error');

    calls = 0;
    plan = [{ status: 503, retryAfter: '3600' }];
    await assert.rejects(client.listContracts(), (e) => ProviderError.is(e) && e.status === 503);
    assert.equal(calls, 1, 'an hour is not worth waiting inside one call');

    calls = 0;
    plan = [{ status: 500 }];
    await assert.rejects(client.listContracts());
    assert.equal(calls, 1, 'a 500 is not retried');
  });
});
