import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { contractAad, openCredentials, sealCredentials, type SealedCredentials } from '../../src/protocol/sealed-credentials.js';
import { generateKeyPair, hexToBytes } from '../../src/protocol/keys.js';

const flip = (b64: string, at = 0): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64');
};

describe('sealed credentials', () => {
  const requester = generateKeyPair();
  const contractId = 'ab'.repeat(32);

  it('round-trips v2 (AAD = contract id) and v1, with Decent Cloud\'s JSON shape', () => {
    const v2 = sealCredentials('s3cret-root-pw', requester.publicKey, contractAad(contractId));
    assert.deepEqual(Object.keys(v2).sort(), ['aad', 'ciphertext', 'ephemeral_pubkey', 'nonce', 'version']);
    assert.equal(v2.version, 2);
    assert.equal(Buffer.from(v2.nonce, 'base64').length, 24);
    assert.equal(Buffer.from(v2.ephemeral_pubkey, 'base64').length, 32);
    assert.equal(openCredentials(JSON.stringify(v2), requester.secretKey, contractAad(contractId)), 's3cret-root-pw');
    const v1 = sealCredentials('pw', requester.publicKey);
    assert.equal(v1.version, 1);
    assert.equal(openCredentials(v1, requester.secretKey), 'pw');
  });

  it('never repeats ciphertext for the same input (fresh ephemeral key and nonce)', () => {
    const a = sealCredentials('same', requester.publicKey);
    const b = sealCredentials('same', requester.publicKey);
    assert.notEqual(a.ciphertext, b.ciphertext);
    assert.notEqual(a.ephemeral_pubkey, b.ephemeral_pubkey);
  });

  it('detects tampering, a wrong key and a wrong contract', () => {
    const sealed = sealCredentials('pw', requester.publicKey, contractAad(contractId));
    const attempts: [string, SealedCredentials, string, string][] = [
      ['ciphertext', { ...sealed, ciphertext: flip(sealed.ciphertext) }, requester.secretKey, contractId],
      ['tag', { ...sealed, ciphertext: flip(sealed.ciphertext, Buffer.from(sealed.ciphertext, 'base64').length - 1) }, requester.secretKey, contractId],
      ['nonce', { ...sealed, nonce: flip(sealed.nonce) }, requester.secretKey, contractId],
      ['ephemeral key', { ...sealed, ephemeral_pubkey: flip(sealed.ephemeral_pubkey, 3) }, requester.secretKey, contractId],
      ['other key', sealed, generateKeyPair().secretKey, contractId],
      ['other contract', sealed, requester.secretKey, 'cd'.repeat(32)],
    ];
    for (const [what, s, secret, id] of attempts) {
      assert.throws(() => openCredentials(s, secret, contractAad(id)), /sealed credentials/, what);
    }
  });

  it('derives keys exactly as Decent Cloud: X25519 scalar = clamp(SHA-512(seed)[0..32]), key = SHA-512(label ‖ shared)[0..32]', () => {
    // Decent Cloud's ed25519_secret_to_x25519, written out independently of noble's toMontgomerySecret.
    const scalar = sha512(hexToBytes(requester.secretKey)).slice(0, 32);
    scalar[0]! &= 248;
    scalar[31]! &= 127;
    scalar[31]! |= 64;
    assert.deepEqual(x25519.getPublicKey(scalar), ed25519.utils.toMontgomery(hexToBytes(requester.publicKey)));
    const sealed = sealCredentials('pw', requester.publicKey);
    const shared = x25519.getSharedSecret(scalar, new Uint8Array(Buffer.from(sealed.ephemeral_pubkey, 'base64')));
    const label = new TextEncoder().encode('credential-encryption-v1');
    const key = sha512(new Uint8Array([...label, ...shared])).slice(0, 32);
    return import('@noble/ciphers/chacha.js').then(({ xchacha20poly1305 }) => {
      const plain = xchacha20poly1305(key, new Uint8Array(Buffer.from(sealed.nonce, 'base64'))).decrypt(new Uint8Array(Buffer.from(sealed.ciphertext, 'base64')));
      assert.equal(new TextDecoder().decode(plain), 'pw');
    });
  });
});
