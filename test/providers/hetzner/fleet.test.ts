/** Tearing down a fleet on Hetzner Cloud, which deletes one server per request. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { destroyFleet, FLEET_KEY, parseImageSpec, provisionFleet } from '../../../src/core/index.js';
import { startHetzner } from './support.js';

test('destroyFleet without a batch API: one listing checks the fleet, then one DELETE per server and no read of each', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const requests = Array.from({ length: 12 }, (_, i) => ({ name: `gone-${i}`, region: 'fsn1', size: 'cx22', image: parseImageSpec('ubuntu-24.04') }));
  const { ready } = await provisionFleet(p, requests);
  assert.equal(ready.length, 12);
  const from = h.exchanges.length;
  const res = await destroyFleet(p, ready);
  assert.deepEqual([res.destroyed.length, res.gone.length, res.failed.length], [12, 0, 0]);
  const sent = h.exchanges.slice(from).map((x) => `${x.method} ${x.path.replace(/\d+$/, ':id')}`);
  assert.deepEqual(sent.filter((s) => s !== 'DELETE /v1/servers/:id'), ['GET /v1/servers'], 'one listing, no server read one by one');
  assert.equal(sent.length, 13);
  assert.deepEqual(await p.listInstances({ labels: { [FLEET_KEY]: ready[0]!.labels[FLEET_KEY]! } }), []);
  assert.deepEqual(h.violations, []);
});
