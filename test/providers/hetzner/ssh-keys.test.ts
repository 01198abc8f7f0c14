import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicKey, md5Fingerprint, UserError } from '../../../src/core/index.js';
import { registeredKeyName } from '../../../src/providers/hetzner/ssh-keys.js';
import { fingerprintOf } from '../../../src/emulator/hetzner/keys.js';
import { PUBLIC_KEY, PUBLIC_KEY_MD5 } from './support.js';

test('fingerprints are MD5 of the key blob, as ssh-keygen -E md5 prints them', () => {
  assert.equal(md5Fingerprint(PUBLIC_KEY), PUBLIC_KEY_MD5);
  assert.equal(md5Fingerprint(`  ${PUBLIC_KEY.split(' ').slice(0, 2).join(' ')}  `), PUBLIC_KEY_MD5, 'the comment does not count');
  assert.equal(fingerprintOf(PUBLIC_KEY), PUBLIC_KEY_MD5, 'the emulator agrees');
});

const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEkEXOt4hdpEyfgus18Wal3KeQdVdbdTi3OLEIfDMWgWp5WcTkPONioPidi00Wl0kB9CwvBmnqnxc/2/7JETKYA= me';

test('public keys are told apart from ids, names and fingerprints', () => {
  assert.equal(isPublicKey(PUBLIC_KEY), true);
  assert.equal(isPublicKey(ECDSA), true);
  assert.equal(isPublicKey('ecdsa-sha2-nistp256 AAAAE2VjZHNh me'), false, 'a truncated key is not a key');
  for (const other of ['123', 'my-laptop', PUBLIC_KEY_MD5]) assert.equal(isPublicKey(other), false, other);
  assert.throws(() => md5Fingerprint('my-laptop'), UserError);
});

test('a registered key gets a stable name from its fingerprint', () => {
  assert.equal(registeredKeyName(PUBLIC_KEY_MD5), 'ferry-42d86d01c5390cf8');
});
