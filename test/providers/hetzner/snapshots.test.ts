import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConformant, startHetzner, UBUNTU } from './support.js';

test('snapshots: create waits for the action, list shows only ferry\'s, delete is idempotent', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  assert.equal(p.supportsSnapshots(), true);
  const inst = await p.createInstance({ name: 'golden', region: 'fsn1', size: 'cax11', image: UBUNTU });
  const snap = await p.createSnapshot(inst.id, 'golden-v1');
  assert.equal(snap.name, 'golden-v1');
  assert.equal(snap.instanceId, inst.id);
  assert.ok((snap.sizeGb ?? 0) > 0, 'the size is known once the image is available');

  const [post] = h.requests('POST', '/v1/servers/:id/actions/create_image');
  assert.deepEqual(post!.requestBody, { type: 'snapshot', description: 'golden-v1', labels: { 'managed-by': 'ferry' } });
  // The driver waited for the action: the last word on it (the create's answer, or the last poll) is success.
  const seen = [post!, ...h.requests('GET', '/v1/actions/:id')].map((r) => (r.responseBody as { action: { status: string } }).action.status);
  assert.equal(seen.at(-1), 'success', `the create_image action was waited for (seen: ${seen.join(', ')})`);

  // A snapshot someone made by hand is not ferry's.
  await h.api('POST', `/v1/servers/${inst.id}/actions/create_image`, { type: 'snapshot', description: 'manual' });
  assert.deepEqual((await p.listSnapshots()).map((s) => s.id), [snap.id]);
  const q = new URLSearchParams(h.requests('GET', '/v1/images').at(-1)!.query);
  assert.deepEqual([q.getAll('type'), q.get('label_selector')], [['snapshot'], 'managed-by=ferry']);

  // A server can boot from it (an arm snapshot needs an arm size).
  const clone = await p.createInstance({ name: 'clone', region: 'fsn1', size: 'cax21', image: { kind: 'snapshot', id: snap.id } });
  assert.equal(clone.image, `snapshot:${snap.id}`);

  await p.deleteSnapshot(snap.id);
  await p.deleteSnapshot(snap.id);
  assert.deepEqual(await p.listSnapshots(), []);
  // The second delete re-reads ferry's snapshots, finds it gone and sends nothing.
  assert.deepEqual(h.requests('DELETE', '/v1/images/:id').map((x) => x.status), [204]);
  assertConformant(h);
});

test('a snapshot of a missing server is not_found', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  await assert.rejects(p.createSnapshot('999999', 'nothing'), (e: unknown) => (e as { kind?: string }).kind === 'not_found');
  assertConformant(h);
});
