import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { buildSignedMessage, HEADER, signMessage, signRequest, SIGN_CONTEXT, verifyRequest } from '../../src/protocol/signing.js';
import { generateKeyPair, hexToBytes, publicKeyOf } from '../../src/protocol/keys.js';

const SEED = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const SEED_PUB = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';

describe('Decent Cloud signing vectors', () => {
  // decent-stuff/decent-cloud api/src/auth/tests.rs test_cross_platform_signature_vector
  it('reproduces Decent Cloud\'s cross-platform vector (seed 0..31, raw message)', () => {
    assert.equal(publicKeyOf(SEED), SEED_PUB);
    const sig = signMessage(SEED, new TextEncoder().encode('test message for cross-platform verification'));
    assert.equal(sig, 'a2aca8ef6760241fc2b254447b9320f03fffaaa11f60365b33455b5d664abc0172627ce2258cdbde7e2eddbe20bda46e008f8041ffb61515e7f4e5a8fdab3f0f');
  });

  // decent-stuff/decent-cloud api/src/auth/tests.rs test_actual_failing_signature_from_curl: a request signed by their client
  it('verifies a request signed by Decent Cloud\'s own client', () => {
    const v = verifyRequest({
      headers: {
        'X-Public-Key': '4f16b64a096a48252fc4d9a11393778d84e95fcf6868b72b9d2b344d4b103386',
        'X-Signature': 'e6cd8399dffffbf4971415fcb3e27600b1377b20d3fcfee6ac6a16cf47129ce63ebb38b7a8f9e73e231a1af1aa48261a34218461d533087a50ae927ebc88ce09',
        'X-Timestamp': '1763841226767000000',
        'X-Nonce': '613a7ce4-e8b7-45d2-9b6d-04f6208f6093',
      },
      method: 'GET',
      path: '/api/v1/provider/rental-requests/pending',
      body: '',
      now: 1763841226767000000n,
    });
    assert.deepEqual(v.ok && [v.key, v.role], ['4f16b64a096a48252fc4d9a11393778d84e95fcf6868b72b9d2b344d4b103386', 'provider']);
  });

  const FIXED = {
    path: `/api/v1/providers/${SEED_PUB}/heartbeat`,
    body: '{"activeContracts":0}',
    timestampNs: '1763841226767000000',
    nonce: '613a7ce4-e8b7-45d2-9b6d-04f6208f6093',
    signature: '66db52d05997243ea2487eed4c3d7c704d56164a1ab8247103f34afe6261b5b4539525500178fedf0845d8248e7efa4621e91381e5293727c66332d1e13cc80a',
  };

  it('signs a fixed request to a fixed signature (ferry vector, sign direction)', () => {
    const headers = signRequest(SEED, 'POST', FIXED.path, FIXED.body, { timestampNs: FIXED.timestampNs, nonce: FIXED.nonce });
    assert.deepEqual(headers, {
      [HEADER.publicKey]: SEED_PUB,
      [HEADER.timestamp]: FIXED.timestampNs,
      [HEADER.nonce]: FIXED.nonce,
      [HEADER.signature]: FIXED.signature,
    });
  });

  it('verifies the fixed signature independently of signRequest (verify direction)', () => {
    const message = new TextEncoder().encode(`${FIXED.timestampNs}${FIXED.nonce}POST${FIXED.path}${FIXED.body}`);
    assert.deepEqual(buildSignedMessage(FIXED.timestampNs, FIXED.nonce, 'POST', FIXED.path, FIXED.body), message);
    assert.equal(ed25519ph.verify(hexToBytes(FIXED.signature), message, hexToBytes(SEED_PUB), { context: SIGN_CONTEXT }), true);
    // Without the "decent-cloud" context the same bytes do not verify: the context is part of the scheme.
    assert.equal(ed25519ph.verify(hexToBytes(FIXED.signature), message, hexToBytes(SEED_PUB)), false);
  });

  it('uses the raw concatenation with no separators, as Decent Cloud\'s build_signed_message', () => {
    assert.equal(new TextDecoder().decode(buildSignedMessage('111', 'N', 'GET', '/p', 'body')), '111NGET/pbody');
  });
});

describe('verifyRequest rejections', () => {
  const key = generateKeyPair();
  const now = 1_700_000_000_000_000_000n;
  const base = (over: { body?: string; path?: string; ts?: bigint; method?: string } = {}) => {
    const headers = signRequest(key.secretKey, 'POST', '/api/v1/x', '{"a":1}', { timestampNs: over.ts ?? now });
    return verifyRequest({ headers, method: over.method ?? 'POST', path: over.path ?? '/api/v1/x', body: over.body ?? '{"a":1}', now });
  };

  it('accepts the untouched request and signs the path without its query', () => {
    assert.equal(base().ok, true);
    assert.equal(base({ path: '/api/v1/x?wait=25' }).ok, true);
  });
  it('rejects a tampered body, another path, another method', () => {
    assert.deepEqual([base({ body: '{"a":2}' }), base({ path: '/api/v1/y' }), base({ method: 'PUT' })].map((v) => !v.ok && v.reason), ['bad_signature', 'bad_signature', 'bad_signature']);
  });
  it('rejects timestamps more than 5 minutes old or ahead, accepts just inside', () => {
    const min = 60_000_000_000n;
    assert.equal((base({ ts: now - 5n * min - 1n }) as { reason?: string }).reason, 'expired');
    assert.equal((base({ ts: now + 5n * min + 1n }) as { reason?: string }).reason, 'future');
    assert.equal(base({ ts: now - 5n * min }).ok, true);
  });
  it('rejects missing headers and malformed nonces', () => {
    const headers = signRequest(key.secretKey, 'GET', '/p', '', { timestampNs: now, nonce: 'not-a-uuid' });
    assert.equal((verifyRequest({ headers, method: 'GET', path: '/p', body: '', now }) as { reason?: string }).reason, 'malformed');
    assert.equal((verifyRequest({ headers: {}, method: 'GET', path: '/p', body: '', now }) as { reason?: string }).reason, 'missing_header');
  });
  it('reports the agent role for X-Agent-Pubkey', () => {
    const headers = signRequest(key.secretKey, 'GET', '/p', '', { timestampNs: now, role: 'agent' });
    assert.ok(HEADER.agentPubkey in headers && !(HEADER.publicKey in headers));
    const v = verifyRequest({ headers, method: 'GET', path: '/p', body: '', now });
    assert.deepEqual(v.ok && [v.role, v.key], ['agent', key.publicKey]);
  });
});
