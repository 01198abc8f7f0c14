/** The control-plane API suite, run on SQLite and on Postgres. */
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/core/errors.js';
import type { Db } from '../../src/store/db.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { contractAad, openCredentials } from '../../src/protocol/sealed-credentials.js';
import { upsertDelegation } from '../../src/server/repo-auth.js';
import { acquireLock } from '../../src/server/repo-locks.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, rawSigned, SSH_KEY, type DbFactory, type Party } from './helpers.js';

export function controlPlaneSuite(label: string, factory: DbFactory | null, skip: string | false): void {
  describe(`control plane API on ${label}`, { skip }, () => {
    let server: ServerHandle;
    let db: Db;
    let cleanup: () => Promise<void>;
    let provider: Party;
    let requester: Party;
    let agent: Party;
    let offeringId: string;

    before(async () => {
      const made = await factory!();
      db = made.db;
      cleanup = made.cleanup;
      server = await startServer({ db, longPollIntervalMs: 50, operatorToken: 'test-operator-token', quotas: LOOSE_QUOTAS });
      provider = party(server.url);
      requester = party(server.url);
      agent = await agentOf(server.url, provider);
      offeringId = (await provider.client.addOffering(OFFERING)).offering_id;
    });
    after(async () => {
      await server?.close();
      await cleanup?.();
    });

    const newContract = () => requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY, instance_config: { hostname: 'web-1' } });

    it('runs a contract end to end and records every transition with time and actor', async () => {
      const created = await newContract();
      assert.equal(created.status, 'pending_provisioning');
      const id = created.contract_id;

      const pending = await agent.client.pendingProvision();
      const mine = pending.find((p) => p.contract_id === id);
      assert.deepEqual(mine && { ...mine }, {
        contract_id: id,
        offering_id: offeringId,
        requester_ssh_pubkey: SSH_KEY,
        instance_config: '{"hostname":"web-1"}',
        cpu_cores: 2,
        memory_amount: '4 GB',
        storage_capacity: '50 GB',
        provisioner_type: 'manual',
        provisioner_config: '{"note":"dc-1"}',
        post_provision_script: '#!/bin/sh\necho ready\n',
        status: 'pending_provisioning',
        requester_pubkey: requester.publicKey,
      });

      assert.equal((await agent.client.acquireLock(id)).acquired, true);
      await agent.client.reportStarted(id);
      await agent.client.reportStarted(id); // a repeated "started" is harmless
      await agent.client.reportProvisioned(id, { external_id: 'vm-101', ip_address: '10.0.0.5', ssh_port: 22, root_password: 'Root-Pw-123!' });
      assert.equal((await agent.client.pendingProvision()).some((p) => p.contract_id === id), false);

      const seen = await requester.client.getContract(id);
      assert.equal(seen.status, 'provisioned');
      assert.deepEqual(seen.instance_details, { external_id: 'vm-101', ip_address: '10.0.0.5', ssh_port: 22 });
      assert.equal(seen.has_credentials, true);
      const sealed = await requester.client.getSealedCredentials(id);
      assert.equal(openCredentials(sealed, requester.secretKey, contractAad(id)), 'Root-Pw-123!');
      // The database alone cannot read the password.
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM cp_contracts WHERE contract_id = $1', [id]);
      assert.equal(JSON.stringify(rows).includes('Root-Pw-123!'), false);
      // Only the requester may fetch them.
      await assert.rejects(provider.client.getSealedCredentials(id), (e) => ProviderError.is(e, 'forbidden'));

      const health = await agent.client.reportHealth(id, { checkedAt: Date.now() * 1e6, status: 'healthy', latencyMs: 12, details: '{"uptime_seconds":5}' });
      assert.equal(health.status, 'healthy');
      assert.deepEqual(await agent.client.heartbeat({ version: '0.1.0', provisionerType: 'manual', capabilities: ['vm'], activeContracts: 1 }), { acknowledged: true, nextHeartbeatSeconds: 60 });
      const status = await provider.client.agentStatus();
      assert.deepEqual(status.map((s) => [s.agent_pubkey, s.active_contracts, s.provisioner_type]), [[agent.publicKey, 1, 'manual']]);

      assert.equal((await requester.client.terminateContract(id)).status, 'terminating');
      const rec = await agent.client.reconcile({ runningInstances: [{ externalId: 'vm-101', contractId: id }, { externalId: 'vm-999' }, { externalId: 'vm-x', contractId: 'ff'.repeat(32) }] });
      assert.deepEqual(rec.terminate, [{ externalId: 'vm-101', contractId: id, reason: 'terminating' }]);
      assert.deepEqual(rec.unknown.map((u) => u.externalId), ['vm-999', 'vm-x']);
      await agent.client.reportTerminated(id);
      await agent.client.reportTerminated(id); // idempotent

      const final = await provider.client.getContract(id);
      const steps = final.history!.map((t) => [t.from_status, t.to_status, t.actor.split(':')[0]]);
      assert.deepEqual(steps, [
        [null, 'requested', 'requester'],
        ['requested', 'pending_provisioning', 'system'],
        ['pending_provisioning', 'provisioning', 'agent'],
        ['provisioning', 'provisioned', 'agent'],
        ['provisioned', 'terminating', 'requester'],
        ['terminating', 'terminated', 'agent'],
      ]);
      assert.ok(final.history!.every((t) => Number.isInteger(t.at) && t.at > 0));
      assert.ok(final.history!.filter((t) => t.actor.startsWith('agent:')).every((t) => t.actor === `agent:${agent.publicKey}`));
    });

    it('hands a contract only to agents whose provisioner type fits the offering, in both poll forms', async () => {
      const script = await agentOf(server.url, provider, 'script-agent');
      await script.client.heartbeat({ version: '0.1.0', provisionerType: 'script', capabilities: [], activeContracts: 0 });
      const { contract_id: id } = await newContract();
      const offered = async (a: Party) => {
        const plain = await a.client.pendingProvision();
        const work = await a.client.pollWork({ teardownCursor: 0 });
        const polled = Array.isArray(work) ? work : work.pending;
        return [plain.some((c) => c.contract_id === id), polled.some((c) => c.contract_id === id)];
      };
      assert.deepEqual(await offered(script), [false, false], 'a script agent never gets a manual offering\'s contract');
      await script.client.heartbeat({ version: '0.1.0', provisionerType: 'Manual', capabilities: [], activeContracts: 0 });
      assert.deepEqual(await offered(script), [true, true], 'the same agent gets it once it declares the offering\'s type (any case)');
      assert.deepEqual(await offered(agent), [true, true], 'and so does the manual agent');
      await requester.client.cancelContract(id);
    });

    it('enforces the state machine: failures, cancels, rejections, invalid moves', async () => {
      const failed = await newContract();
      await agent.client.reportFailed(failed.contract_id, 'Out of storage space');
      const f = await requester.client.getContract(failed.contract_id);
      assert.equal(f.status, 'failed');
      assert.equal(f.error, 'Out of storage space');
      await assert.rejects(agent.client.reportStarted(failed.contract_id), (e) => ProviderError.is(e, 'conflict'));
      await agent.client.reportTerminated(failed.contract_id);
      assert.deepEqual((await requester.client.getContract(failed.contract_id)).history!.map((t) => t.to_status).slice(2), ['failed', 'terminating', 'terminated']);

      const cancelled = await newContract();
      assert.equal((await requester.client.cancelContract(cancelled.contract_id)).status, 'cancelled');
      await assert.rejects(agent.client.reportStarted(cancelled.contract_id), (e) => ProviderError.is(e, 'conflict'));
      await assert.rejects(provider.client.cancelContract(cancelled.contract_id), (e) => ProviderError.is(e, 'forbidden'));

      const done = await newContract();
      await agent.client.reportProvisioned(done.contract_id, { external_id: 'vm-2' });
      await assert.rejects(requester.client.cancelContract(done.contract_id), (e) => ProviderError.is(e, 'conflict'));
      await assert.rejects(agent.client.reportProvisioned(done.contract_id, { external_id: 'vm-2' }), (e) => ProviderError.is(e, 'conflict'));
      await assert.rejects(agent.client.reportFailed(done.contract_id, 'late'), (e) => ProviderError.is(e, 'conflict'));

      const manualOffer = await provider.client.addOffering({ ...OFFERING, auto_accept: false });
      const asked = await requester.client.createContract({ offering_id: manualOffer.offering_id, requester_ssh_pubkey: SSH_KEY });
      assert.equal(asked.status, 'requested');
      assert.equal((await agent.client.pendingProvision()).some((p) => p.contract_id === asked.contract_id), false);
      assert.equal((await provider.client.respond(asked.contract_id, { accept: true })).status, 'pending_provisioning');
      const rejected = await requester.client.createContract({ offering_id: manualOffer.offering_id, requester_ssh_pubkey: SSH_KEY });
      assert.equal((await provider.client.respond(rejected.contract_id, { accept: false, memo: 'full' })).status, 'rejected');
    });

    it('rejects every forged, replayed, stale or foreign request', async () => {
      const other = party(server.url);
      await other.client.addOffering(OFFERING);
      const otherAgent = await agentOf(server.url, other);
      const target = await newContract();
      const pendingPath = `/api/v1/providers/${provider.publicKey}/contracts/pending-provision`;
      const hbPath = `/api/v1/providers/${provider.publicKey}/heartbeat`;
      const body = '{"activeContracts":0}';
      const now = BigInt(Date.now()) * 1_000_000n;
      const sixMin = 6n * 60n * 1_000_000_000n;
      const stranger = party(server.url);
      const revoked = await agentOf(server.url, provider, 'to-revoke');
      await provider.client.revokeAgent(revoked.publicKey);
      const lapsed = party(server.url);
      const minuteAgoNs = (Date.now() - 60_000) * 1_000_000;
      await upsertDelegation(db, { agentPubkey: lapsed.publicKey, providerPubkey: provider.publicKey, label: 'lapsed', expiresAtNs: minuteAgoNs }, Date.now() - 120_000);

      const nonce = randomUUID();
      const first = await rawSigned(server.url, agent.secretKey, { method: 'POST', path: hbPath, body, sign: { role: 'agent', nonce } });
      assert.equal(first.status, 200, 'the first use of the nonce is accepted');

      const cases: [string, Promise<{ status: number; body: { error: string | null } }>, number, RegExp][] = [
        ['tampered body', rawSigned(server.url, agent.secretKey, { method: 'POST', path: hbPath, body, sendBody: '{"activeContracts":9}', sign: { role: 'agent' } }), 401, /^bad_signature/],
        ['wrong path', rawSigned(server.url, agent.secretKey, { method: 'GET', path: pendingPath, sendPath: `/api/v1/providers/${provider.publicKey}/agent-status`, sign: { role: 'agent' } }), 401, /^bad_signature/],
        ['replayed nonce', rawSigned(server.url, agent.secretKey, { method: 'POST', path: hbPath, body, sign: { role: 'agent', nonce } }), 401, /^replayed_nonce/],
        ['expired timestamp', rawSigned(server.url, agent.secretKey, { method: 'GET', path: pendingPath, sign: { role: 'agent', timestampNs: now - sixMin } }), 401, /^expired/],
        ['future timestamp', rawSigned(server.url, agent.secretKey, { method: 'GET', path: pendingPath, sign: { role: 'agent', timestampNs: now + sixMin } }), 401, /^future/],
        ['unknown agent key', rawSigned(server.url, stranger.secretKey, { method: 'GET', path: pendingPath, sign: { role: 'agent' } }), 401, /^unknown_agent_key/],
        ['revoked agent key', rawSigned(server.url, revoked.secretKey, { method: 'GET', path: pendingPath, sign: { role: 'agent' } }), 401, /^unknown_agent_key/],
        ['lapsed agent delegation', rawSigned(server.url, lapsed.secretKey, { method: 'GET', path: pendingPath, sign: { role: 'agent' } }), 401, /^unknown_agent_key/],
        ["another provider's key on this provider's path", rawSigned(server.url, other.secretKey, { method: 'GET', path: pendingPath }), 403, /party/],
        ["another provider's agent on this provider's path", rawSigned(server.url, otherAgent.secretKey, { method: 'GET', path: pendingPath, sign: { role: 'agent' } }), 403, /party/],
        ["another provider's agent reporting on this provider's contract", rawSigned(server.url, otherAgent.secretKey, { method: 'PUT', path: `/api/v1/provider/rental-requests/${target.contract_id}/provisioning`, body: '{"status":"provisioning"}', sign: { role: 'agent' } }), 403, /another provider/],
        ["another provider's agent taking this provider's lock", rawSigned(server.url, otherAgent.secretKey, { method: 'POST', path: `/api/v1/providers/${other.publicKey}/contracts/${target.contract_id}/lock`, sign: { role: 'agent' } }), 403, /another provider/],
        ['an agent key registering agents', rawSigned(server.url, agent.secretKey, { method: 'POST', path: `/api/v1/providers/${provider.publicKey}/agent-delegations`, body: JSON.stringify({ agentPubkey: stranger.publicKey }), sign: { role: 'agent' } }), 403, /party key/],
        ['unsigned request', fetch(`${server.url}${pendingPath}`).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: string | null } })), 401, /^missing_header/],
        ['signature by another key under this key', rawSigned(server.url, stranger.secretKey, { method: 'GET', path: pendingPath, headers: { 'X-Public-Key': provider.publicKey } }), 401, /^bad_signature/],
      ];
      let rejected = 0;
      for (const [name, pending, status, pattern] of cases) {
        const res = await pending;
        assert.equal(res.status, status, `${name}: status`);
        assert.match(res.body.error ?? '', pattern, name);
        rejected++;
      }
      assert.equal(rejected, 15);
      // None of it changed anything.
      assert.equal((await requester.client.getContract(target.contract_id)).status, 'pending_provisioning');
      console.log(`# ${label}: ${rejected} forged/replayed/stale/foreign requests rejected`);
    });

    it('gives a contract lease to exactly one of many concurrent agents, and honours expiry', async () => {
      const c = await newContract();
      const agents = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => agentOf(server.url, provider, `a${i}`)));
      const results = await Promise.all(agents.map((a) => a.client.acquireLock(c.contract_id)));
      assert.equal(results.filter((r) => r.acquired).length, 1);
      const winner = agents[results.findIndex((r) => r.acquired)]!;
      const loser = agents.find((a) => a !== winner)!;
      assert.equal((await winner.client.acquireLock(c.contract_id)).acquired, true, 'the holder extends its own lease');
      await assert.rejects(loser.client.reportStarted(c.contract_id), (e) => ProviderError.is(e, 'conflict'));
      assert.equal((await loser.client.pendingProvision()).some((p) => p.contract_id === c.contract_id), false, 'a leased contract is not offered to others');
      assert.equal(await winner.client.releaseLock(c.contract_id), true);
      assert.equal((await loser.client.acquireLock(c.contract_id)).acquired, true);
      // A lapsed lease can be taken over (clock driven through the repository).
      const t = Date.now() + 10 * 60_000;
      assert.deepEqual((await acquireLock(db, c.contract_id, winner.publicKey, t)).acquired, true);
    });

    it('tells agents sharing one key apart by instance id: a second instance gets 409 on the lock and the report', async () => {
      const c = await newContract();
      const id = c.contract_id;
      const as = (instance?: string) => new ControlPlaneClient({ baseUrl: server.url, secretKey: provider.secretKey, ...(instance ? { agentInstanceId: instance } : {}) });
      const first = as('11111111-1111-4111-8111-111111111111');
      const second = as('22222222-2222-4222-8222-222222222222');
      const keyOnly = as();
      assert.equal((await first.acquireLock(id)).acquired, true);
      assert.equal((await first.acquireLock(id)).acquired, true, 'the same instance extends its lease');
      const lockPath = `/api/v1/providers/${provider.publicKey}/contracts/${id}/lock`;
      const raw = await rawSigned(server.url, provider.secretKey, { method: 'POST', path: lockPath, body: JSON.stringify({ agentInstanceId: '22222222-2222-4222-8222-222222222222' }) });
      assert.equal(raw.status, 409, 'a second instance with the same key is refused the lock');
      assert.equal(raw.body.success, false);
      assert.equal((await keyOnly.acquireLock(id)).acquired, false, 'the bare key (a Decent Cloud agent) is another holder too');
      await assert.rejects(second.reportStarted(id), (e) => ProviderError.is(e, 'conflict') && (e as ProviderError).status === 409);
      await assert.rejects(second.reportProvisioned(id, { external_id: 'vm-dup' }), (e) => ProviderError.is(e, 'conflict'));
      await assert.rejects(keyOnly.reportStarted(id), (e) => ProviderError.is(e, 'conflict'));
      assert.equal(await second.releaseLock(id), false, 'only the holder can release');
      // The poll lists a leased contract to its holder only.
      assert.equal((await first.pendingProvision()).some((p) => p.contract_id === id), true);
      assert.equal((await second.pendingProvision()).some((p) => p.contract_id === id), false);
      await first.reportStarted(id);
      await first.reportProvisioned(id, { external_id: 'vm-one' });
      assert.equal((await requester.client.getContract(id)).instance_details?.external_id, 'vm-one');
      const bad = await rawSigned(server.url, provider.secretKey, { method: 'POST', path: lockPath, body: JSON.stringify({ agentInstanceId: 'no spaces allowed' }) });
      assert.equal(bad.status, 400);

      // Without instance ids the key alone is the holder, as before.
      const d = (await newContract()).contract_id;
      assert.equal((await keyOnly.acquireLock(d)).acquired, true);
      assert.equal((await first.acquireLock(d)).acquired, false);
      await keyOnly.reportStarted(d);
      assert.equal(await keyOnly.releaseLock(d), true);
      assert.equal((await first.acquireLock(d)).acquired, true, 'a released lease goes to the next instance');
      await first.releaseLock(d);
      await requester.client.terminateContract(d);
    });

    it('holds a long-poll until a contract is pending and returns it', async () => {
      const lonely = party(server.url);
      const offer = await lonely.client.addOffering(OFFERING);
      const lonelyAgent = await agentOf(server.url, lonely);
      assert.deepEqual(await lonelyAgent.client.pendingProvision({ waitSeconds: 1 }), []);
      const polled = lonelyAgent.client.pendingProvision({ waitSeconds: 20 });
      await new Promise((r) => setTimeout(r, 150));
      const created = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      assert.deepEqual((await polled).map((p) => p.contract_id), [created.contract_id]);
    });
  });
}
