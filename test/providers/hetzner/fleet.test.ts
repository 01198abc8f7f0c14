/** Tearing down a fleet on Hetzner Cloud, which deletes one server per request. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, destroyFleet, FLEET_KEY, parseImageSpec, provisionFleet } from '../../../src/core/index.js';
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

test('beforeSend hears every create id before the first create; each server carries its own, and no create looks it up first', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const requests = Array.from({ length: 6 }, (_, i) => ({ name: `journaled-${i}`, region: 'fsn1', size: 'cx22', image: parseImageSpec('ubuntu-24.04') }));
  let heard: string[] = [];
  const { ready } = await provisionFleet(p, requests, {
    beforeSend: async (planned) => {
      assert.equal(h.requests('POST', '/v1/servers').length, 0, 'nothing sent yet');
      heard = planned.map((r) => r.createId);
    },
  });
  assert.deepEqual(ready.map((i) => i.labels[CREATE_ID_KEY]).sort(), [...heard].sort());
  const lookups = h.requests('GET', '/v1/servers').filter((x) => new URLSearchParams(x.query).get('label_selector')?.includes(CREATE_ID_KEY));
  assert.deepEqual(lookups, [], 'a fresh create id is not looked up before its first send');
});
