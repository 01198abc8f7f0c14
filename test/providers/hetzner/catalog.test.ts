import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConformant, PUBLIC_KEY_MD5, PUBLIC_KEY, startHetzner } from './support.js';

test('regions, sizes, images and net EUR offers per server type and location', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  assert.deepEqual((await p.listRegions()).map((r) => r.id), ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin']);

  const sizes = await p.listSizes();
  const cx22 = sizes.find((s) => s.id === 'cx22')!;
  assert.deepEqual(cx22, { id: 'cx22', vcpus: 2, memoryGb: 4, diskGb: 40, gpu: null, gpuCount: 0, regions: ['fsn1', 'nbg1', 'hel1'], priceHourly: 0.006, priceMonthly: 3.79, currency: 'EUR' });
  for (const name of ['cx22', 'cx52', 'cax11', 'cax41', 'cpx11', 'cpx51', 'ccx13', 'ccx63']) assert.ok(sizes.some((s) => s.id === name), name);
  assert.equal(sizes.length, 19);

  const offers = await p.listOffers();
  const cpx11 = offers.filter((o) => o.plan === 'cpx11');
  assert.deepEqual(cpx11.map((o) => o.region), ['fsn1', 'nbg1', 'hel1', 'ash', 'hil', 'sin']);
  assert.ok(cpx11.every((o) => o.currency === 'EUR' && o.source === 'live' && !o.bareMetal));
  assert.equal(cpx11[0]!.priceMonthly, 4.35, 'net, not gross (which adds VAT)');
  assert.ok(cpx11.find((o) => o.region === 'sin')!.priceHourly > cpx11[0]!.priceHourly, 'Singapore costs more');
  assert.equal(offers.length, sizes.reduce((n, s) => n + s.regions.length, 0), 'one offer per size and region');

  const images = await p.listImages();
  assert.deepEqual(images.map((i) => i.id).sort(), ['debian-12', 'ubuntu-22.04', 'ubuntu-24.04'], 'one entry per name across architectures');
  assertConformant(h);
});

test('SSH keys: the account\'s keys with their fingerprints', async (t) => {
  const h = await startHetzner(t);
  await h.api('POST', '/v1/ssh_keys', { name: 'laptop', public_key: PUBLIC_KEY });
  const keys = await h.provider().getSshKeys();
  assert.deepEqual(keys.map((k) => [k.name, k.fingerprint, k.publicKey]), [['laptop', PUBLIC_KEY_MD5, PUBLIC_KEY]]);
  assertConformant(h);
});
