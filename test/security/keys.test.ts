/**
 * Finding class 1 + 11: weak and non-canonical Ed25519 keys, and delegation without proof of
 * possession. A small-order key "verifies" the signature key ‖ 00×32 for any message under
 * ZIP-215 rules; every place a key enters (signing headers, requester keys, delegations, path
 * keys) must refuse it, and a delegation must be signed by the delegated key.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, generateKeyPair, isStrongPublicKey, weakKeyReason } from '../../src/protocol/keys.js';
import { signDelegation, verifyDelegation } from '../../src/protocol/delegation.js';
import { buildSignedMessage, HEADER, nowNs, verifyRequest } from '../../src/protocol/signing.js';
import { sealForRequester } from '../../src/agent/seal.js';
import { LOOSE_QUOTAS, OFFERING, party, SSH_KEY, type Party } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

/** The eight small-order points, their non-canonical encodings, an off-curve value and a mixed-order key. */
function weakKeys(): string[] {
  const small = [
    '0100000000000000000000000000000000000000000000000000000000000000',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0000000000000000000000000000000000000000000000000000000000000080',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  ];
  const nonCanonical = [
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', // -1 with the sign bit set
    '0100000000000000000000000000000000000000000000000000000000000080', // identity with the sign bit set
  ];
  const offCurve = '0200000000000000000000000000000000000000000000000000000000000000';
  const strong = ed25519.Point.fromBytes(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
  const torsion = ed25519.Point.fromBytes(Buffer.from(small[4]!, 'hex'));
  const mixed = bytesToHex(strong.add(torsion).toBytes());
  return [...small, ...nonCanonical, offCurve, mixed];
}

/** Headers for a request "signed" by a weak key: R = the key, S = 0 (what verifies for any message under lax rules). */
function forged(key: string, role: 'provider' | 'agent'): Record<string, string> {
  return {
    [role === 'agent' ? HEADER.agentPubkey : HEADER.publicKey]: key,
    [HEADER.timestamp]: String(nowNs()),
    [HEADER.nonce]: randomUUID(),
    [HEADER.signature]: key + '00'.repeat(32),
  };
}

describe('weak keys at the protocol level', () => {
  it('every weak or non-canonical key is named as such, and strong keys pass', () => {
    for (const key of weakKeys()) assert.ok(weakKeyReason(key), `${key} must be refused`);
    for (let i = 0; i < 20; i++) assert.equal(isStrongPublicKey(generateKeyPair().publicKey), true);
  });

  it('asking again gives the same answer: strong keys are remembered in any case, weak ones never', () => {
    const strong = generateKeyPair().publicKey;
    for (let round = 0; round < 2; round++) {
      assert.equal(weakKeyReason(strong), null);
      assert.equal(weakKeyReason(strong.toUpperCase()), null);
      for (const key of weakKeys()) assert.ok(weakKeyReason(key), `${key} must be refused when asked again`);
    }
  });

  it('verifyRequest refuses the forged signature of every weak key', () => {
    for (const key of weakKeys()) {
      const headers = forged(key, 'provider');
      const v = verifyRequest({ headers, method: 'POST', path: '/api/v1/contracts', body: '{}' });
      assert.equal(v.ok, false, key);
      assert.ok(!v.ok && (v.reason === 'weak_key' || v.reason === 'malformed'), key);
    }
    // The message is irrelevant to the forgery: show it is refused whatever is signed.
    assert.ok(buildSignedMessage('1', 'n', 'GET', '/', '').length > 0);
  });

  it('an agent does not seal credentials to a weak requester key (it would be readable by anyone)', () => {
    const details = { external_id: 'vm-1', root_password: 'hunter2-hunter2' };
    for (const key of weakKeys().slice(0, 4)) {
      const out = sealForRequester(details, { contract_id: 'ab'.repeat(32), requester_pubkey: key });
      assert.equal(out.sealed_credentials, undefined, key);
    }
  });

  it('delegation proofs: only the delegated key signing for this provider verifies', () => {
    const provider = generateKeyPair();
    const agent = generateKeyPair();
    const proof = signDelegation(agent.secretKey, provider.publicKey, agent.publicKey);
    assert.equal(verifyDelegation(provider.publicKey, agent.publicKey, proof), true);
    assert.equal(verifyDelegation(generateKeyPair().publicKey, agent.publicKey, proof), false, 'bound to its provider');
    assert.equal(verifyDelegation(provider.publicKey, agent.publicKey, signDelegation(provider.secretKey, provider.publicKey, agent.publicKey)), false);
    for (const key of weakKeys()) assert.equal(verifyDelegation(provider.publicKey, key, key + '00'.repeat(32)), false, key);
  });
});

for (const backend of await backends()) {
  describe(`weak keys and delegation proofs over HTTP on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    let provider: Party;
    let offeringId: string;
    const keys = new Tally('weak-keys', backend.name);
    const delegations = new Tally('delegation-proof', backend.name);

    before(async () => {
      s = await serve(backend, { quotas: LOOSE_QUOTAS });
      provider = party(s.server.url);
      offeringId = (await provider.client.addOffering(OFFERING)).offering_id;
    });
    after(async () => {
      console.log(keys.summary());
      console.log(delegations.summary());
      await s?.close();
    });

    it('refuses contracts, offerings and agent calls signed by weak keys (401), and weak keys in paths (400)', async () => {
      const body = JSON.stringify({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      for (const key of weakKeys()) {
        const create = await fetch(`${s.server.url}/api/v1/contracts`, { method: 'POST', headers: { ...forged(key, 'provider'), 'content-type': 'application/json' }, body });
        keys.status(`create contract as ${key.slice(0, 8)}`, create.status, [401]);
        const offer = await fetch(`${s.server.url}/api/v1/providers/${key}/offerings`, { method: 'POST', headers: { ...forged(key, 'provider'), 'content-type': 'application/json' }, body: JSON.stringify(OFFERING) });
        keys.status(`publish offering as ${key.slice(0, 8)}`, offer.status, [400, 401]);
        const poll = await fetch(`${s.server.url}/api/v1/providers/${provider.publicKey}/contracts/pending-provision`, { headers: forged(key, 'agent') });
        keys.status(`poll as agent ${key.slice(0, 8)}`, poll.status, [401]);
        const listing = await fetch(`${s.server.url}/api/v1/providers/${key}/offerings`);
        keys.status(`list offerings of ${key.slice(0, 8)}`, listing.status, [400]);
      }
      const contracts = await s.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM cp_contracts');
      assert.equal(Number(contracts[0]!.n), 0, 'no contract exists without a real key');
      assert.equal(keys.rejected, keys.sent, keys.summary());
    });

    it('refuses delegations of weak keys, without proof, with a proof for another provider, or squatting another party\'s key', async () => {
      const register = (p: Party, body: object) => p.client.registerAgent(body as never).then(() => 200, (e: { status?: number }) => e.status ?? 0);
      for (const key of weakKeys()) {
        delegations.status(`weak agent key ${key.slice(0, 8)}`, await register(provider, { agentPubkey: key, agentSignature: key + '00'.repeat(32) }), [400]);
      }
      const agent = generateKeyPair();
      delegations.status('no proof', await register(provider, { agentPubkey: agent.publicKey }), [400]);
      delegations.status('proof signed by the provider', await register(provider, { agentPubkey: agent.publicKey, agentSignature: signDelegation(provider.secretKey, provider.publicKey, agent.publicKey) }), [400]);
      const other = party(s.server.url);
      delegations.status('proof for another provider', await register(provider, { agentPubkey: agent.publicKey, agentSignature: signDelegation(agent.secretKey, other.publicKey, agent.publicKey) }), [400]);
      // Squatting: another provider registers a key it saw (the requester's own, or this provider's agent) with a replayed proof.
      const requester = party(s.server.url);
      delegations.status("a party's own key delegated elsewhere", await register(other, { agentPubkey: requester.publicKey, agentSignature: '00'.repeat(64) }), [400]);
      const proof = signDelegation(agent.secretKey, provider.publicKey, agent.publicKey);
      await provider.client.registerAgent({ agentPubkey: agent.publicKey, agentSignature: proof });
      delegations.status('replayed proof by a squatter', await register(other, { agentPubkey: agent.publicKey, agentSignature: proof }), [400]);
      assert.equal(delegations.rejected, delegations.sent, delegations.summary());
      const rows = await s.db.query<{ agent_pubkey: string; provider_pubkey: string }>('SELECT agent_pubkey, provider_pubkey FROM cp_agent_delegations');
      assert.deepEqual(rows.map((r) => [r.agent_pubkey, r.provider_pubkey]), [[agent.publicKey, provider.publicKey]]);
    });
  });
}
