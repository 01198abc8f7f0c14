/** A fleet on Scaleway: readiness lists only the zones the fleet is in, and the image is resolved once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, provisionFleet } from '../../../src/core/index.js';
import { startScaleway, ZONE } from './support.js';

test('fleet: 12 servers in one zone list that zone only and look the image up once', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider();
  const requests = Array.from({ length: 12 }, (_, i) => ({ name: `fleet-${i}`, region: ZONE, size: 'DEV1-S', image: parseImageSpec('ubuntu-24.04') }));
  const { ready, failed } = await provisionFleet(p, requests);
  assert.deepEqual([ready.length, failed.length], [12, 0]);
  const listed = h.exchanges.filter((x) => x.method === 'GET' && /^\/(instance|baremetal)\/v1\/zones\/[^/]+\/servers$/.test(x.path));
  assert.ok(listed.length > 0, 'readiness was listed');
  assert.deepEqual([...new Set(listed.map((x) => x.path.split('/')[4]))], [ZONE], 'only the fleet\'s zone is listed');
  assert.equal(h.requests('GET', '/marketplace/v2/local-images').length, 1, 'one image lookup for the whole fleet');
  h.assertConformant();
});
