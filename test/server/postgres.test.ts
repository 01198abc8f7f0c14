/** The API suite on PostgreSQL, plus two replicas sharing one database. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/store/db.js';
import { openDb } from '../../src/store/open.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { skipReason, startPostgres, type PgCluster } from '../support/postgres.js';
import { controlPlaneSuite } from './suite.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, SSH_KEY, type DbFactory } from './helpers.js';

const cluster: PgCluster | null = await startPostgres({ database: 'ferry_cp' });
if (!cluster) console.warn(`\n*** ${skipReason()} ***\n`);
const skip = cluster ? false : skipReason();
let dbCount = 0;

const pgFactory: DbFactory = async () => {
  const url = await cluster!.createDatabase(`cp_suite_${++dbCount}`);
  const db = await openDb(url, { env: {} });
  return { db, url, cleanup: () => db.close() };
};

controlPlaneSuite('PostgreSQL', cluster ? pgFactory : null, skip);

describe('two control-plane replicas on one PostgreSQL', { skip }, () => {
  const dbs: Db[] = [];
  const replicas: ServerHandle[] = [];

  before(async () => {
    const url = cluster!.url;
    for (let i = 0; i < 2; i++) {
      const db = await openDb(url, { env: {} });
      dbs.push(db);
      replicas.push(await startServer({ db, longPollIntervalMs: 100, quotas: LOOSE_QUOTAS }));
    }
  });
  after(async () => {
    for (const r of replicas) await r.close();
    for (const db of dbs) await db.close();
    await cluster?.stop();
  });

  it('grants a lease to exactly one of many agents spread over both replicas', async () => {
    const [a, b] = replicas as [ServerHandle, ServerHandle];
    const provider = party(a.url);
    const requester = party(b.url);
    const offer = await provider.client.addOffering(OFFERING);
    const agents = await Promise.all(Array.from({ length: 8 }, (_, i) => agentOf(i % 2 ? b.url : a.url, provider, `agent-${i}`)));
    for (let round = 0; round < 5; round++) {
      const contract = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      const results = await Promise.all(agents.map((agent) => agent.client.acquireLock(contract.contract_id)));
      assert.equal(results.filter((r) => r.acquired).length, 1, `round ${round}: exactly one winner`);
    }
  });

  it('rejects on one replica a nonce first used on the other', async () => {
    const [a, b] = replicas as [ServerHandle, ServerHandle];
    const provider = party(a.url);
    const { rawSigned } = await import('./helpers.js');
    const nonce = crypto.randomUUID();
    const path = `/api/v1/providers/${provider.publicKey}/agent-status`;
    const first = await rawSigned(a.url, provider.secretKey, { method: 'GET', path, sign: { nonce } });
    const again = await rawSigned(b.url, provider.secretKey, { method: 'GET', path, sign: { nonce } });
    assert.deepEqual([first.status, again.status], [200, 401]);
    assert.match(again.body.error ?? '', /^replayed_nonce/);
  });

  it('wakes a long-poll held on one replica for a contract created through the other', async () => {
    const [a, b] = replicas as [ServerHandle, ServerHandle];
    const provider = party(a.url);
    const offer = await provider.client.addOffering(OFFERING);
    const agent = await agentOf(a.url, provider);
    const requester = party(b.url);
    const polled = agent.client.pendingProvision({ waitSeconds: 20 });
    await new Promise((r) => setTimeout(r, 200));
    const created = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
    assert.deepEqual((await polled).map((p) => p.contract_id), [created.contract_id]);
  });
});
