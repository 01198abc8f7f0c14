import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, requests } from './conformance.js';
import { startHarness } from './harness.js';

const req = (over: Record<string, unknown> = {}) => ({
  name: 'app-1',
  region: 'fra1',
  size: 's-1vcpu-1gb',
  image: parseImageSpec('ubuntu-24.04'),
  ...over,
});

test('unknown region, size, image and a size not sold in the region are UserErrors naming choices, with no create sent', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  const cases: [Record<string, unknown>, RegExp, RegExp][] = [
    [{ size: 's-64vcpu-1tb' }, /no size "s-64vcpu-1tb"/, /s-1vcpu-1gb/],
    [{ region: 'mars1' }, /no region "mars1"/, /fra1/],
    [{ image: parseImageSpec('ubuntu-18.04') }, /ubuntu-18\.04/, /ubuntu-24-04-x64/],
    [{ image: parseImageSpec('snapshot:999') }, /snapshot "999"/, /snapshot:<id>/],
    [{ size: 'gpu-h100x1-80gb' }, /not sold in region "fra1"/, /tor1/],
    [{ sshKeys: ['12345'] }, /SSH key "12345"/, /public key/],
  ];
  for (const [over, message, hint] of cases) {
    await assert.rejects(p.createInstance(req(over)), (e) => {
      assert.ok(UserError.is(e), `expected a UserError, got ${String(e)}`);
      assert.match(e.message, message);
      assert.match(e.hint ?? '', hint);
      return true;
    });
  }
  assert.equal(requests(h, 'POST', '/v2/droplets').length, 0, 'no create request was sent');
  assertConformant(t, h);
});

test('quota and capacity answers are typed errors and the create is not re-sent', async (t) => {
  const h = await startHarness(t, {
    faults: { quota: [{ provider: 'digitalocean', region: 'sgp1' }], capacity: [{ provider: 'digitalocean', region: 'fra1', size: 's-2vcpu-2gb' }] },
  });
  const p = h.provider;
  await assert.rejects(p.createInstance(req({ region: 'sgp1' })), (e) => ProviderError.is(e, 'quota') && /droplet limit/.test(e.message));
  await assert.rejects(p.createInstance(req({ size: 's-2vcpu-2gb' })), (e) => ProviderError.is(e, 'capacity') && e.status === 422);
  assert.equal(requests(h, 'POST', '/v2/droplets').length, 2);
  // Elsewhere the same size is fine.
  await p.createInstance(req({ size: 's-2vcpu-2gb', region: 'ams3' }));
  assertConformant(t, h);
});

test('unsupported features say why', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  await assert.rejects(p.reinstallIpxe('1', 'http://x/boot.ipxe'), (e) => ProviderError.is(e, 'not_supported') && /iPXE/.test(e.message));
  assert.equal(p.capabilities.reinstallIpxe.supported, false);
  assert.equal(h.exchanges.length, 0);
});
