/** A fleet on Vultr: the creates of one burst share one stock read per region. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { provisionFleet } from '../../../src/core/index.js';
import { assertConformant, startVultr, UBUNTU } from './support.js';

test('fleet: 12 servers in one region read its stock once, not once a server', async (t) => {
  const h = await startVultr(t);
  const p = h.provider();
  const requests = Array.from({ length: 12 }, (_, i) => ({ name: `fleet-${i}`, region: 'ams', size: 'vc2-1c-1gb', image: UBUNTU }));
  const { ready, failed } = await provisionFleet(p, requests);
  assert.deepEqual([ready.length, failed.length], [12, 0]);
  assert.equal(h.requests('POST', '/v2/instances').length, 12);
  assert.equal(h.requests('GET', '/v2/regions/:id/availability').length, 1);
  assertConformant(h);
});
