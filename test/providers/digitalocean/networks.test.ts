import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, requests } from './conformance.js';
import { startHarness } from './harness.js';

test('network: find-or-create twice is one VPC in the vpcRegion option\'s region; by name across pages; delete twice', async (t) => {
  const h = await startHarness(t, { pageSize: 2, options: { vpcRegion: 'ams3' } });
  const p = h.provider;
  assert.equal(p.capabilities.networks.supported, true);
  for (const name of ['other-a', 'other-b', 'other-c']) await p.findOrCreateNetwork(name);
  assert.equal(await p.getNetworkByName('backend'), null);

  const net = await p.findOrCreateNetwork('backend');
  assert.equal(net.name, 'backend');
  assert.match(net.ipRange ?? '', /^10\.\d+\.\d+\.0\/20$/);
  assert.deepEqual(await p.findOrCreateNetwork('backend'), net, 'the second call finds the first VPC');
  const creates = requests(h, 'POST', '/v2/vpcs');
  assert.equal(creates.length, 4, 'one create per name');
  assert.deepEqual(creates.at(-1)!.body, { name: 'backend', region: 'ams3' });
  assert.ok(requests(h, 'GET', '/v2/vpcs').some((r) => new URLSearchParams(r.query).get('page') === '2'), 'the lookup read past page 1');
  assert.equal(new Set([net.ipRange, ...(await Promise.all(['other-a', 'other-b'].map((n) => p.getNetworkByName(n)))).map((x) => x?.ipRange)]).size, 3, 'ranges do not overlap');

  assert.deepEqual(await p.getNetworkByName('backend'), net);
  await p.deleteNetwork(net.id);
  assert.equal(await p.getNetworkByName('backend'), null);
  await p.deleteNetwork(net.id); // again: success
  await p.deleteNetwork('1'); // wrong shape: nothing sent
  assert.equal(requests(h, 'DELETE', /^\/v2\/vpcs\//).length, 2);
  assertConformant(t, h);
});

test('network: without vpcRegion, findOrCreate is a UserError naming the option, before any request; lookups still work', async (t) => {
  const h = await startHarness(t);
  const p = h.provider;
  await assert.rejects(p.findOrCreateNetwork('backend'), (e) => {
    assert.ok(UserError.is(e), `expected a UserError, got ${String(e)}`);
    assert.match(`${e.message} ${e.hint}`, /vpcRegion/);
    assert.match(e.hint ?? '', /DIGITALOCEAN_VPC_REGION/);
    return true;
  });
  await assert.rejects(p.findOrCreateNetwork('bad name'), (e) => UserError.is(e) && /VPC name/.test(e.message));
  assert.equal(h.exchanges.length, 0, 'nothing was sent');
  assert.equal(await p.getNetworkByName('backend'), null);

  const wrong = (await startHarness(t, { options: { vpcRegion: 'atlantis9' } })).provider;
  await assert.rejects(wrong.findOrCreateNetwork('backend'), (e) => UserError.is(e) && /atlantis9/.test(e.message) && /fra1/.test(e.hint ?? ''));

  const bad = h.withToken('invalid-token');
  const auth = (e: unknown) => ProviderError.is(e, 'authentication') && e.status === 401;
  await assert.rejects(bad.getNetworkByName('backend'), auth);
  await assert.rejects(bad.deleteNetwork('7f2b5a8e-1c2d-4e5f-a6b7-c8d9e0f1a2b3'), auth);
  assertConformant(t, h);
});
