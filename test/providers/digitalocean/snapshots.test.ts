import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec } from '../../../src/core/index.js';
import { assertConformant, createForeignDroplet, requests } from './conformance.js';
import { startHarness, TOKEN } from './harness.js';

test('snapshot via the droplet action: waits out the boot, polls the action, finds the image; list is ferry\'s; delete is idempotent', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  const inst = await p.createInstance({ name: 'db-1', region: 'lon1', size: 's-2vcpu-4gb', image: parseImageSpec('ubuntu-24.04') });
  assert.equal(p.supportsSnapshots(), true);

  // Right after the create the droplet is locked by its create event: the driver waits, then snapshots.
  const snap = await p.createSnapshot(inst.id, 'before-upgrade');
  assert.equal(snap.name, 'before-upgrade');
  assert.equal(snap.instanceId, inst.id);
  assert.match(snap.id, /^\d+$/);
  const actions = requests(h, 'POST', `/v2/droplets/${inst.id}/actions`);
  assert.deepEqual(actions.at(-1)!.body, { type: 'snapshot', name: 'ferry:before-upgrade' });
  assert.ok(requests(h, 'GET', /^\/v2\/actions\/\d+$/).length >= 1, 'the action was polled');

  // A snapshot somebody else took of another droplet is not ferry's.
  const foreign = await createForeignDroplet(h, 'other');
  const until = Date.now() + 5_000;
  for (;;) {
    const res = await fetch(`${h.emu.urls.digitalocean}/v2/droplets/${foreign}/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'snapshot', name: 'manual' }),
    });
    if (res.status === 201) break;
    assert.equal(res.status, 422);
    assert.ok(Date.now() < until, 'foreign droplet never accepted a snapshot');
    await new Promise((r) => setImmediate(r));
  }

  const listed = await p.listSnapshots();
  assert.deepEqual(listed.map((s) => [s.id, s.name]), [[snap.id, 'before-upgrade']]);
  assert.ok(requests(h, 'GET', '/v2/snapshots').every((r) => new URLSearchParams(r.query).get('resource_type') === 'droplet'));

  await p.deleteSnapshot(snap.id);
  await p.deleteSnapshot(snap.id);
  assert.deepEqual(await p.listSnapshots(), []);

  // A snapshot can seed a new droplet.
  const snap2 = await p.createSnapshot(inst.id, 'golden');
  const clone = await p.createInstance({ name: 'db-2', region: 'lon1', size: 's-2vcpu-4gb', image: parseImageSpec(`snapshot:${snap2.id}`) });
  assert.equal(requests(h, 'POST', '/v2/droplets').at(-1)!.body.image, Number(snap2.id));
  assert.equal(clone.image, snap2.id);
  assertConformant(t, h);
});
