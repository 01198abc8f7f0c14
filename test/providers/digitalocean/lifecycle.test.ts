import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, ProviderError } from '../../../src/core/index.js';
import { assertConformant, createForeignDroplet, requests } from './conformance.js';
import { startHarness } from './harness.js';

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb7bZ2wq0k9Yf0v8m3hJqkq3c1Zr0yQmJ0cI4x2nW1d ops@example';

test('create → waitReady → list → destroy, with tags, raw user data and a registered SSH key', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  const userData = '#cloud-config\nruncmd:\n  - touch /ferry\n';
  const created = await p.createInstance({
    name: 'web-1',
    region: 'fra1',
    size: 's-1vcpu-1gb',
    image: parseImageSpec('ubuntu-24.04'),
    userData,
    sshKeys: [PUBLIC_KEY],
    labels: { app: 'shop', 'tier.role': 'front_end' },
    createId: 'c0ffee00-0000-4000-8000-000000000001',
  });
  assert.equal(created.status.state, 'new');
  assert.deepEqual(created.labels, {
    app: 'shop',
    'tier.role': 'front_end',
    'managed-by': 'ferry',
    'ferry-create-id': 'c0ffee00-0000-4000-8000-000000000001',
  });
  const [post] = requests(h, 'POST', '/v2/droplets');
  assert.equal(post!.body.user_data, userData, 'user data is sent raw');
  assert.equal(post!.body.image, 'ubuntu-24-04-x64');
  assert.ok(post!.body.tags.includes('managed-by:ferry'));
  assert.equal(requests(h, 'POST', '/v2/account/keys').length, 1, 'the public key is registered');
  const keys = await p.getSshKeys();
  assert.equal(keys.length, 1);
  assert.deepEqual(post!.body.ssh_keys, [Number(keys[0]!.id)]);

  const ready = await p.waitReady(created.id);
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(ready.region, 'fra1');
  assert.equal(ready.size, 's-1vcpu-1gb');

  // A second create with the same key reuses it (matched by fingerprint).
  const second = await p.createInstance({ name: 'web-2', region: 'fra1', size: 's-1vcpu-1gb', image: parseImageSpec('debian-12'), sshKeys: [PUBLIC_KEY] });
  assert.equal(requests(h, 'POST', '/v2/account/keys').length, 1);

  await createForeignDroplet(h, 'not-ours');
  const mine = await p.listInstances();
  assert.deepEqual(mine.map((i) => i.name).sort(), ['web-1', 'web-2']);
  assert.ok(requests(h, 'GET', '/v2/droplets').some((r) => new URLSearchParams(r.query).get('tag_name') === 'managed-by:ferry'));
  assert.deepEqual((await p.listInstances({ labels: { app: 'shop' } })).map((i) => i.name), ['web-1']);
  assert.equal((await p.listInstances({ all: true })).length, 3);

  await p.destroyInstance(created.id);
  await p.destroyInstance(created.id);
  await p.destroyInstance(second.id);
  assert.equal(await p.getInstance(created.id), null);
  assert.deepEqual(await p.listInstances(), []);
  assertConformant(t, h);
});

test('listInstances follows every page', async (t) => {
  const h = await startHarness(t, { pageSize: 2 });
  const p = h.provider;
  for (let n = 1; n <= 5; n++) {
    await p.createInstance({ name: `node-${n}`, region: 'ams3', size: 's-1vcpu-512mb-10gb', image: parseImageSpec('debian-12') });
  }
  const listed = await p.listInstances();
  assert.deepEqual(listed.map((i) => i.name).sort(), ['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
  const pages = requests(h, 'GET', '/v2/droplets').map((r) => new URLSearchParams(r.query).get('page'));
  assert.deepEqual(pages, ['1', '2', '3']);
  assertConformant(t, h);
});

test('an ambiguous create (connection cut after the droplet was made) is found by its create id, not sent twice', async (t) => {
  const h = await startHarness(t, { faults: { resetAfterCommit: 1 } });
  const got = await h.provider.createInstance({ name: 'once', region: 'nyc3', size: 's-1vcpu-1gb', image: parseImageSpec('ubuntu-24.04') });
  assert.equal(got.name, 'once');
  assert.equal(requests(h, 'POST', '/v2/droplets').length, 1);
  assert.equal((await h.provider.listInstances()).length, 1);
  assertConformant(t, h);
});

test('missing droplets: get is null, destroy succeeds, snapshot is not_found', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  assert.equal(await p.getInstance('123456'), null);
  assert.equal(await p.getInstance('not-a-number'), null);
  await p.destroyInstance('123456');
  await assert.rejects(p.createSnapshot('123456', 'x'), (e) => ProviderError.is(e, 'not_found'));
  assertConformant(t, h);
});

test('a rejected token is an authentication error everywhere, never "gone"', async (t) => {
  const h = await startHarness(t);
  const bad = h.withToken('invalid-token-123');
  const isAuth = (e: unknown) => ProviderError.is(e, 'authentication') && !String((e as Error).message).includes('invalid-token-123');
  await assert.rejects(bad.validateCredentials(), isAuth);
  await assert.rejects(bad.getInstance('123'), isAuth);
  await assert.rejects(bad.destroyInstance('123'), isAuth);
  await assert.rejects(bad.listInstances(), isAuth);
  const denied = h.exchanges.find((x) => x.status === 401);
  assert.deepEqual(
    { id: (denied?.responseBody as any)?.id, message: (denied?.responseBody as any)?.message },
    { id: 'Unauthorized', message: 'Unable to authenticate you' },
  );
  await h.provider.validateCredentials();
  assertConformant(t, h);
});
