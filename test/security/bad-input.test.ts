/**
 * Finding classes 5 and 13: values no column holds exactly (NUL characters, unpaired UTF-16
 * surrogates, integers ≥ 2^31 in INTEGER columns, timestamps beyond 64 bits, 1e300) are a 400 in
 * the envelope on every backend — never a 500 from PostgreSQL, never a silent change by SQLite —
 * and a failure report the server cannot store as sent is stored cleaned, never refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../src/store/db.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, rawSigned, SSH_KEY, type Party } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

const NUL = 'a\u0000b';
const LONE = 'x\ud800y';
const LOW = 'x\udc00y';

for (const backend of await backends()) {
  describe(`hostile values on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    let provider: Party;
    let requester: Party;
    let agent: Party;
    let offeringId: string;
    const tally = new Tally('column-types', backend.name);

    before(async () => {
      s = await serve(backend, { quotas: LOOSE_QUOTAS });
      provider = party(s.server.url);
      requester = party(s.server.url);
      agent = await agentOf(s.server.url, provider);
      offeringId = (await provider.client.addOffering(OFFERING)).offering_id;
    });
    after(async () => {
      console.log(tally.summary());
      await s?.close();
    });

    const post = async (who: Party, path: string, body: unknown, role: 'provider' | 'agent' = 'provider', method = 'POST') => {
      const res = await rawSigned(s.server.url, who.secretKey, { method, path, body: JSON.stringify(body), sign: { role } });
      assert.equal(res.body.success, res.status < 400, 'the envelope says what the status says');
      return res.status;
    };

    it('refuses every unstorable value with a 400 in the envelope', async () => {
      const offerings = `/api/v1/providers/${provider.publicKey}/offerings`;
      const contract = await requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      const id = contract.contract_id;
      const probes: [string, () => Promise<number>][] = [];
      for (const [label, bad] of [['NUL', NUL], ['lone high surrogate', LONE], ['lone low surrogate', LOW]] as const) {
        probes.push(
          [`offering name with ${label}`, () => post(provider, offerings, { ...OFFERING, name: bad })],
          [`memory_amount with ${label}`, () => post(provider, offerings, { ...OFFERING, memory_amount: bad })],
          [`currency with ${label}`, () => post(provider, offerings, { ...OFFERING, currency: bad.slice(0, 3) })],
          [`post_provision_script with ${label}`, () => post(provider, offerings, { ...OFFERING, post_provision_script: bad })],
          [`provisioner_config text with ${label}`, () => post(provider, offerings, { ...OFFERING, provisioner_config: `{"k":"${bad}"}` })],
          [`ssh key with ${label}`, () => post(requester, '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: `${SSH_KEY}${bad}` })],
          [`offering_id with ${label}`, () => post(requester, '/api/v1/contracts', { offering_id: bad, requester_ssh_pubkey: SSH_KEY })],
          [`instance_config text with ${label}`, () => post(requester, '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: SSH_KEY, instance_config: `{"k":"${bad}"}` })],
          [`delegation label with ${label}`, () => post(provider, `/api/v1/providers/${provider.publicKey}/agent-delegations`, { agentPubkey: agent.publicKey, label: bad })],
          [`health status with ${label}`, () => post(agent, `/api/v1/provider/contracts/${id}/health`, { checkedAt: Date.now() * 1e6, status: bad }, 'agent')],
          [`health details with ${label}`, () => post(agent, `/api/v1/provider/contracts/${id}/health`, { checkedAt: Date.now() * 1e6, status: 'healthy', details: bad }, 'agent')],
          [`heartbeat version with ${label}`, () => post(agent, `/api/v1/providers/${provider.publicKey}/heartbeat`, { activeContracts: 0, version: bad }, 'agent')],
          [`heartbeat capability with ${label}`, () => post(agent, `/api/v1/providers/${provider.publicKey}/heartbeat`, { activeContracts: 0, capabilities: [bad] }, 'agent')],
          [`respond memo with ${label}`, () => post(provider, `/api/v1/provider/rental-requests/${id}/respond`, { accept: true, memo: bad })],
        );
      }
      for (const [label, n] of [['2^31', 2 ** 31], ['2^53', 2 ** 53], ['1e300', 1e300], ['-2^31-1', -(2 ** 31) - 1]] as const) {
        probes.push(
          [`cpu_cores ${label}`, () => post(provider, offerings, { ...OFFERING, cpu_cores: n })],
          [`bandwidth ${label}`, () => post(provider, offerings, { ...OFFERING, bandwidth_mbps: n })],
          [`latencyMs ${label}`, () => post(agent, `/api/v1/provider/contracts/${id}/health`, { checkedAt: Date.now() * 1e6, status: 'healthy', latencyMs: n }, 'agent')],
          [`activeContracts ${label}`, () => post(agent, `/api/v1/providers/${provider.publicKey}/heartbeat`, { activeContracts: n }, 'agent')],
        );
      }
      for (const [label, n] of [['1e19', 1e19], ['2^63', 2 ** 63], ['1e300', 1e300], ['-1', -1]] as const) {
        probes.push(
          [`checkedAt ${label}`, () => post(agent, `/api/v1/provider/contracts/${id}/health`, { checkedAt: n, status: 'healthy' }, 'agent')],
          [`expiresAtNs ${label}`, () => post(provider, `/api/v1/providers/${provider.publicKey}/agent-delegations`, { agentPubkey: agent.publicKey, expiresAtNs: n })],
        );
      }
      probes.push(
        ['monthly_price 1e300', () => post(provider, offerings, { ...OFFERING, monthly_price: 1e300 })],
        ['auto_accept_budget 1e300', () => post(provider, offerings, { ...OFFERING, auto_accept_budget: 1e300 })],
        ['NUL in a path id', async () => (await rawSigned(s.server.url, provider.secretKey, { method: 'DELETE', path: `${offerings}/a%00b` })).status],
        ['lone surrogate in a path id', async () => (await rawSigned(s.server.url, provider.secretKey, { method: 'DELETE', path: `${offerings}/a%ED%A0%80b` })).status],
        ['page limit 1e300', async () => (await rawSigned(s.server.url, requester.secretKey, { method: 'GET', path: '/api/v1/contracts?limit=1e300' })).status],
        ['page cursor beyond 64 bits', async () => (await rawSigned(s.server.url, requester.secretKey, { method: 'GET', path: `/api/v1/contracts?before=99999999999999999999:${id}` })).status],
      );
      for (const [name, probe] of probes) tally.status(name, await probe(), [400]);
      assert.equal(tally.rejected, tally.sent, tally.summary());
      // Nothing half-stored: the offering table holds only the one good offering.
      const names = await s.db.query<{ name: string }>('SELECT name FROM cp_offerings');
      assert.deepEqual(names.map((r) => r.name), [OFFERING.name]);
    });

    it('stores an unstorable failure report cleaned and cut, so the contract fails instead of provisioning again', async () => {
      const c = await requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      await agent.client.acquireLock(c.contract_id);
      await agent.client.reportStarted(c.contract_id);
      await agent.client.reportFailed(c.contract_id, `boom ${NUL} ${LONE} ${'x'.repeat(100_000)}`);
      const after = await requester.client.getContract(c.contract_id);
      assert.equal(after.status, 'failed');
      assert.ok(after.error!.startsWith('boom a\ufffdb x\ufffdy'), after.error!.slice(0, 40));
      assert.ok(after.error!.length <= 4096);
      tally.record('unstorable failure report is stored cleaned (contract failed, not re-provisioning)', after.status === 'failed');
    });

    it('refuses the same values in the store itself, with the same error on both backends', async () => {
      for (const bad of [NUL, LONE, LOW]) {
        await assert.rejects(s.db.execute('INSERT INTO cp_parties (pubkey, first_seen_at) VALUES ($1, $2)', [bad, 1]), (e) => StoreError.is(e, 'invalid'));
      }
      await assert.rejects(s.db.execute('INSERT INTO cp_parties (pubkey, first_seen_at) VALUES ($1, $2)', ['k', Number.POSITIVE_INFINITY]), (e) => StoreError.is(e, 'invalid'));
      const rows = await s.db.query('SELECT pubkey FROM cp_parties WHERE pubkey = $1', [NUL]).catch((e: unknown) => e);
      assert.ok(StoreError.is(rows, 'invalid'));
    });
  });
}
