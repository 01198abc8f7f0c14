import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  findOrCreate,
  ignoreNotFound,
  labelsToTags,
  mapLimit,
  md5Fingerprint,
  orNull,
  parsePublicKey,
  ProviderError,
  sha256Fingerprint,
  statusTable,
  tagsToLabels,
  TtlCache,
} from '../../src/core/index.js';

// Made with `ssh-keygen -t ecdsa -b 256 -C me`; the fingerprints are what `ssh-keygen -l` printed.
const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEkEXOt4hdpEyfgus18Wal3KeQdVdbdTi3OLEIfDMWgWp5WcTkPONioPidi00Wl0kB9CwvBmnqnxc/2/7JETKYA= me';

const err = (kind: 'not_found' | 'conflict' | 'authentication') => new ProviderError({ kind, message: kind });

test('status table: known words map, anything else is unknown with the raw word kept', () => {
  const map = statusTable({ running: 'active', off: 'off' });
  assert.deepEqual(map('running'), { state: 'active', raw: 'running' });
  assert.deepEqual(map('migrating'), { state: 'unknown', raw: 'migrating' });
  assert.deepEqual(map(undefined), { state: 'unknown', raw: 'unknown' });
  assert.deepEqual(map('constructor'), { state: 'unknown', raw: 'constructor' }, 'no prototype keys');
});

test('orNull and ignoreNotFound swallow not_found only; an auth failure is never "gone"', async () => {
  assert.equal(await orNull(Promise.reject(err('not_found'))), null);
  assert.equal(await orNull(Promise.resolve(3)), 3);
  await assert.rejects(orNull(Promise.reject(err('authentication'))), /authentication/);
  await ignoreNotFound(Promise.reject(err('not_found')));
  await assert.rejects(ignoreNotFound(Promise.reject(err('authentication'))), /authentication/);
});

test('findOrCreate finds first, creates once, and survives losing a create race', async () => {
  let made = 0;
  assert.equal(await findOrCreate(async () => 'old', async () => `new${++made}`), 'old');
  assert.equal(await findOrCreate(async () => null, async () => `new${++made}`), 'new1');
  let finds = 0;
  const raced = await findOrCreate(
    async () => (finds++ === 0 ? null : 'theirs'),
    async () => {
      throw err('conflict');
    },
  );
  assert.equal(raced, 'theirs');
  await assert.rejects(findOrCreate(async () => null, async () => Promise.reject(err('authentication'))), /authentication/);
});

test('TtlCache reads once per TTL and forgets failures', async () => {
  let t = 0;
  let loads = 0;
  const c = new TtlCache(async () => ++loads, 100, () => t);
  assert.equal(await c.get(), 1);
  assert.equal(await c.get(), 1);
  t = 101;
  assert.equal(await c.get(), 2);
  let fail = true;
  const f = new TtlCache(async () => (fail ? Promise.reject(new Error('x')) : 'ok'), 1_000, () => 0);
  await assert.rejects(f.get());
  fail = false;
  assert.equal(await f.get(), 'ok');
});

test('SSH public keys: parsed with their embedded type checked, fingerprinted as ssh-keygen does', () => {
  const k = parsePublicKey(`  ${ECDSA}  `);
  assert.equal(k?.type, 'ecdsa-sha2-nistp256');
  assert.equal(k?.comment, 'me');
  assert.equal(md5Fingerprint(ECDSA), '0d:8f:89:83:1b:5c:ab:7b:75:6d:d4:49:6c:ef:82:77');
  assert.equal(sha256Fingerprint(ECDSA), 'SHA256:b0JSoVFcsBk33hgaY9M3bkWgKsdpNiMm3KkwU+rIdkc');
  assert.equal(parsePublicKey(ECDSA.replace('ecdsa-sha2-nistp256', 'ssh-ed25519')), null, 'a blob under the wrong type name');
  for (const other of ['123', 'my-laptop', '0d:8f:89:83:1b:5c:ab:7b:75:6d:d4:49:6c:ef:82:77', 'ssh-ed25519 AAAA']) assert.equal(parsePublicKey(other), null, other);
});

test('tag codec round-trips labels with dots and underscores; foreign tags stay visible', () => {
  const tags = labelsToTags({ 'managed-by': 'ferry', 'ferry-create-id': 'a_b.c' });
  assert.deepEqual(tags, ['managed-by:ferry', 'ferry-create-id:a__b_dc']);
  assert.deepEqual(tagsToLabels(tags), { 'managed-by': 'ferry', 'ferry-create-id': 'a_b.c' });
  assert.deepEqual(tagsToLabels(['prod', 'x:y_z']), { prod: '', 'x:y_z': '' });
});

test('mapLimit keeps order and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
    peak = Math.max(peak, ++running);
    await new Promise((ok) => setImmediate(ok));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
});
