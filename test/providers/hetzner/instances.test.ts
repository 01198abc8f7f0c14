import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CREATE_ID_KEY } from '../../../src/core/index.js';
import { assertConformant, PUBLIC_KEY, startHetzner, UBUNTU } from './support.js';

test('lifecycle: create with labels, user data and a raw SSH key; wait ready; destroy twice', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const inst = await p.createInstance({
    name: 'web-1',
    region: 'nbg1',
    size: 'cpx11',
    image: UBUNTU,
    userData: '#cloud-config\npackages: [nginx]\n',
    sshKeys: [PUBLIC_KEY],
    labels: { role: 'web' },
  });
  assert.equal(inst.status.state, 'new');
  assert.equal(inst.region, 'nbg1');
  assert.equal(inst.labels['managed-by'], 'ferry');
  assert.equal(inst.labels.role, 'web');
  assert.match(inst.labels[CREATE_ID_KEY]!, /^[0-9a-f-]{36}$/);

  const [post] = h.requests('POST', '/v1/servers');
  const keyId = h.requests('POST', '/v1/ssh_keys')[0]!.responseBody as { ssh_key: { id: number } };
  assert.deepEqual(post!.requestBody, {
    name: 'web-1',
    server_type: 'cpx11',
    location: 'nbg1',
    image: 'ubuntu-24.04',
    labels: { role: 'web', 'managed-by': 'ferry', [CREATE_ID_KEY]: inst.labels[CREATE_ID_KEY] },
    start_after_create: true,
    user_data: '#cloud-config\npackages: [nginx]\n',
    ssh_keys: [String(keyId.ssh_key.id)],
  });

  const ready = await p.waitReady(inst.id);
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4!, /^\d+\.\d+\.\d+\.\d+$/);
  assert.deepEqual(await p.getInstance(inst.id), ready);

  // The same key again is found by fingerprint, not registered twice.
  await p.createInstance({ name: 'web-2', region: 'nbg1', size: 'cpx11', image: UBUNTU, sshKeys: [PUBLIC_KEY] });
  assert.equal(h.requests('POST', '/v1/ssh_keys').length, 1);

  await p.destroyInstance(inst.id);
  await p.destroyInstance(inst.id);
  assert.equal(await p.getInstance(inst.id), null);
  assert.equal(await p.getInstance('not-a-number'), null);
  assert.deepEqual(h.requests('DELETE', '/v1/servers/:id').map((x) => x.status), [200, 404]);
  assertConformant(h);
});

test('listing: only managed servers, every page, with server-side label selectors', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  // 53 managed servers (two pages of 50) and one that is not ferry's.
  for (let i = 0; i < 53; i++) {
    const r = await h.api('POST', '/v1/servers', { name: `m-${i}`, server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: { 'managed-by': 'ferry', batch: i < 3 ? 'a' : 'b' } });
    assert.equal(r.status, 201);
  }
  assert.equal((await h.api('POST', '/v1/servers', { name: 'hand-made', server_type: 'cx22', location: 'fsn1', image: 'debian-12' })).status, 201);
  h.exchanges.length = 0;

  const managed = await p.listInstances();
  assert.equal(managed.length, 53);
  assert.equal(new Set(managed.map((i) => i.id)).size, 53, 'no server twice across pages');
  assert.ok(managed.every((i) => i.labels['managed-by'] === 'ferry'));
  const pages = h.requests('GET', '/v1/servers').map((x) => new URLSearchParams(x.query));
  assert.deepEqual(pages.map((q) => [q.get('page'), q.get('per_page'), q.get('label_selector')]), [
    ['1', '50', 'managed-by=ferry'],
    ['2', '50', 'managed-by=ferry'],
  ]);

  assert.equal((await p.listInstances({ all: true })).length, 54);
  const batchA = await p.listInstances({ labels: { batch: 'a' } });
  assert.deepEqual(batchA.map((i) => i.name).sort(), ['m-0', 'm-1', 'm-2']);
  assert.equal(new URLSearchParams(h.exchanges.at(-1)!.query).get('label_selector'), 'managed-by=ferry,batch=a');
  assertConformant(h);
});

test('an ambiguous create (connection cut after the server was made) is found by its create id, not sent again', async (t) => {
  const h = await startHetzner(t, { faults: { resetAfterCommit: 1 } });
  const p = h.provider();
  const inst = await p.createInstance({ name: 'lost-answer', region: 'hel1', size: 'cx22', image: UBUNTU });
  const posts = h.requests('POST', '/v1/servers');
  assert.equal(posts.length, 1, 'the create was not re-sent');
  assert.equal(posts[0]!.reset, true, 'the emulator cut the connection after creating');
  const lookup = h.requests('GET', '/v1/servers').map((x) => new URLSearchParams(x.query).get('label_selector'));
  assert.deepEqual(lookup, [`managed-by=ferry,${CREATE_ID_KEY}=${inst.labels[CREATE_ID_KEY]}`]);
  assert.equal(inst.name, 'lost-answer');
  assert.equal((await p.listInstances()).length, 1);
  assertConformant(h);
});
