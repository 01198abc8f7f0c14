/** Control-plane edge cases found in review: replica clock skew, malformed paths, what a delegated agent key may do. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { ProviderError } from '../../src/core/errors.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import { signRequest } from '../../src/protocol/signing.js';
import { authenticate } from '../../src/server/auth.js';
import { purgeExpiredNonces } from '../../src/server/repo-auth.js';
import { controlPlaneMigrations } from '../../src/server/schema.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import type { Db } from '../../src/store/db.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, rawSigned, sqliteFactory, SSH_KEY, type Party } from './helpers.js';

describe('control plane hardening', () => {
  let server: ServerHandle;
  let db: Db;
  let cleanup: () => Promise<void>;
  let provider: Party;
  let requester: Party;

  before(async () => {
    const made = await sqliteFactory();
    db = made.db;
    cleanup = made.cleanup;
    await db.migrate(controlPlaneMigrations);
    server = await startServer({ db, longPollIntervalMs: 50, operatorToken: 'test-operator-token', quotas: LOOSE_QUOTAS });
    provider = party(server.url);
    requester = party(server.url);
  });
  after(async () => {
    await server?.close();
    await cleanup?.();
  });

  it('keeps a nonce long enough that a replica whose clock is a few seconds behind cannot be replayed to', async () => {
    const key = generateKeyPair();
    const path = `/api/v1/providers/${key.publicKey}/heartbeat`;
    const t0 = Date.now();
    const headers = signRequest(key.secretKey, 'POST', path, '{}', { timestampNs: BigInt(t0) * 1_000_000n });
    const req = (h: Record<string, string>) => ({ method: 'POST', headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])) }) as unknown as IncomingMessage;
    // Replica A (correct clock) takes the request.
    await authenticate(db, req(headers), path, Buffer.from('{}'), t0 + 1000);
    // Later replica A purges the nonces it considers expired...
    const aNow = t0 + 5 * 60_000 + 3000;
    await purgeExpiredNonces(db, aNow);
    // ...while replica B, 4 s behind, still finds the timestamp fresh. The replay must fail there.
    await assert.rejects(authenticate(db, req(headers), path, Buffer.from('{}'), aNow - 4000), /replayed_nonce/);
  });

  it('answers 400, not 500, to a path with broken percent-encoding', async () => {
    const res = await fetch(`${server.url}/api/v1/providers/%E0%A4%A/offerings`);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  it('refuses numbers too large for the database columns with a 400, not a 500', async () => {
    const path = `/api/v1/providers/${provider.publicKey}/heartbeat`;
    const body = JSON.stringify({ activeContracts: 1e12 });
    const res = await rawSigned(server.url, provider.secretKey, { method: 'POST', path, body });
    assert.equal(res.status, 400);
  });

  it("keeps a delegated agent key to its provider's side: no requester actions on the provider's own rentals", async () => {
    // The provider also rents from someone else; its agent key sits on a provisioning host.
    const seller = party(server.url);
    const offer = await seller.client.addOffering(OFFERING);
    const rental = await provider.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
    const agent = await agentOf(server.url, provider);
    await assert.rejects(agent.client.cancelContract(rental.contract_id), (e) => ProviderError.is(e, 'forbidden'));
    await assert.rejects(agent.client.getSealedCredentials(rental.contract_id), (e) => ProviderError.is(e, 'forbidden'));
    await assert.rejects(agent.client.terminateContract(rental.contract_id), (e) => ProviderError.is(e, 'forbidden'));
    await assert.rejects(agent.client.getContract(rental.contract_id), (e) => ProviderError.is(e, 'forbidden'));
    await assert.rejects(agent.client.listContracts('requester'), (e) => ProviderError.is(e, 'forbidden'));
    assert.equal((await provider.client.getContract(rental.contract_id)).status, 'pending_provisioning');

    // Its provider's side still works as before.
    const own = await provider.client.addOffering(OFFERING);
    const sold = await requester.client.createContract({ offering_id: own.offering_id, requester_ssh_pubkey: SSH_KEY });
    assert.equal((await agent.client.getContract(sold.contract_id)).contract_id, sold.contract_id);
    assert.ok((await agent.client.listContracts('provider')).some((c) => c.contract_id === sold.contract_id));
    const raw = await rawSigned(server.url, agent.secretKey, { method: 'POST', path: `/api/v1/contracts/${sold.contract_id}/terminate`, sign: { role: 'agent' } });
    assert.equal(raw.status, 409, 'a not-yet-started contract is refused by the state machine, not by the key check');
  });

  it('marks the operator session cookie Secure behind a TLS proxy, and not on plain loopback', async () => {
    const login = (headers: Record<string, string>) =>
      fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'token=test-operator-token' });
    const plain = (await login({})).headers.get('set-cookie') ?? '';
    const proxied = (await login({ 'x-forwarded-proto': 'https' })).headers.get('set-cookie') ?? '';
    assert.match(plain, /HttpOnly/);
    assert.doesNotMatch(plain, /Secure/);
    assert.match(proxied, /; Secure/);
  });
});
