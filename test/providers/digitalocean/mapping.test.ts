import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec } from '../../../src/core/index.js';
import { nextPage } from '../../../src/providers/digitalocean/client.js';
import {
  dropletToInstance,
  imageFromDo,
  imageSlugOf,
  mapStatus,
  offersFromSizes,
  parseDoError,
  sizeFromDo,
  snapshotFromDo,
} from '../../../src/providers/digitalocean/mapping.js';
import type { DoDroplet, DoImage, DoSize, DoSnapshot } from '../../../src/providers/digitalocean/schema.js';
import { labelsToTags, tagsToLabels } from '../../../src/providers/digitalocean/tags.js';
import { fixture } from './fixtures.js';

test('droplet from the spec example maps to an instance with its public addresses', () => {
  const { droplet } = fixture<{ droplet: DoDroplet }>('droplet-get');
  const i = dropletToInstance(droplet);
  assert.deepEqual(i, {
    provider: 'digitalocean',
    id: '3164444',
    name: 'example.com',
    status: { state: 'active', raw: 'active' },
    ipv4: '192.241.165.154',
    ipv6: '2604:a880:0:1010::18a:a001',
    region: 'nyc3',
    size: 's-1vcpu-1gb',
    image: 'ubuntu-20-04-x64',
    labels: { web: '', env: 'prod' },
    createdAt: '2020-07-21T18:37:44Z',
  });
});

test('a freshly created droplet (spec example) has no address yet and is new', () => {
  const { droplet } = fixture<{ droplet: DoDroplet }>('droplet-create');
  const i = dropletToInstance(droplet);
  assert.equal(i.status.state, 'new');
  assert.equal(i.ipv4, null);
});

test('status table covers every documented status and falls back to unknown with the raw word', () => {
  for (const s of ['new', 'active', 'off', 'archive'] as const) assert.equal(mapStatus(s).state, s);
  assert.deepEqual(mapStatus('migrating'), { state: 'unknown', raw: 'migrating' });
  assert.deepEqual(mapStatus('constructor'), { state: 'unknown', raw: 'constructor' });
});

test('labels round-trip through tags, with "." and "_" escaped into the DO tag charset', () => {
  const labels = { 'managed-by': 'ferry', 'ferry-create-id': '0f8e-11', 'app.tier': 'web_1', empty: '' };
  const tags = labelsToTags(labels);
  assert.ok(tags.includes('managed-by:ferry'));
  for (const t of tags) assert.match(t, /^[a-zA-Z0-9_\-:]+$/);
  assert.deepEqual(tagsToLabels(tags), labels);
  assert.deepEqual(tagsToLabels(['web', 'a_b:c']), { web: '', 'a_b:c': '' });
});

test('image specs map to DigitalOcean slugs and ids', () => {
  assert.equal(imageSlugOf(parseImageSpec('ubuntu-24.04')), 'ubuntu-24-04-x64');
  assert.equal(imageSlugOf(parseImageSpec('debian-12')), 'debian-12-x64');
  assert.equal(imageSlugOf(parseImageSpec('snapshot:6372321')), 6372321);
  assert.equal(imageSlugOf(parseImageSpec('rockylinux-9-x64')), 'rockylinux-9-x64');
});

test('sizes, GPU sizes and offers from the spec example', () => {
  const gpu = fixture<{ droplets: DoDroplet[] }>('droplets-gpu').droplets[0]!.size as DoSize;
  const s = sizeFromDo(gpu);
  assert.equal(s.gpu, 'nvidia_h100');
  assert.equal(s.gpuCount, 1);
  assert.equal(s.memoryGb, 240);
  assert.equal(s.currency, 'USD');
  const basic = fixture<{ droplet: DoDroplet }>('droplet-get').droplet.size;
  const offers = offersFromSizes([basic, gpu, { ...basic, slug: 'gone', available: false }], '2026-01-01T00:00:00Z');
  assert.equal(offers.length, basic.regions!.length + gpu.regions!.length);
  const o = offers.find((x) => x.plan === 's-1vcpu-1gb' && x.region === 'fra1')!;
  assert.deepEqual(
    { vcpus: o.vcpus, memoryGb: o.memoryGb, diskGb: o.diskGb, priceMonthly: o.priceMonthly, bareMetal: o.bareMetal, source: o.source },
    { vcpus: 1, memoryGb: 1, diskGb: 25, priceMonthly: 5, bareMetal: false, source: 'live' },
  );
});

test('distribution images carry their version; snapshots strip ferry\'s name prefix', () => {
  const img = fixture<{ images: DoImage[] }>('images-distribution').images[0]!;
  assert.deepEqual(imageFromDo(img), { id: 'ubuntu-20-04-x64', name: '20.04 (LTS) x64', distribution: 'Ubuntu', version: '20.04' });
  const snap = fixture<{ snapshots: DoSnapshot[] }>('snapshots-droplets').snapshots[0]!;
  assert.deepEqual(snapshotFromDo({ ...snap, name: 'ferry:nightly' }), {
    provider: 'digitalocean',
    id: '6372321',
    name: 'nightly',
    createdAt: '2020-07-28T16:47:44Z',
    sizeGb: 2.34,
    instanceId: '200776916',
  });
});

test('error bodies: droplet limit is quota, unavailable size is capacity, others keep the status mapping', () => {
  const errors = fixture<Record<string, { id: string; message: string }>>('errors');
  assert.deepEqual(parseDoError(401, errors.unauthorized), { message: 'Unable to authenticate you.', code: 'unauthorized' });
  assert.equal(parseDoError(422, errors.unprocessable_entity).kind, undefined);
  assert.equal(parseDoError(422, { id: 'unprocessable_entity', message: 'creating this/these droplet(s) will exceed your droplet limit' }).kind, 'quota');
  assert.equal(parseDoError(422, { id: 'unprocessable_entity', message: 'Size is not available in this region.' }).kind, 'capacity');
  assert.equal(parseDoError(502, '<html>bad gateway</html>').message, '<html>bad gateway</html>');
});

test('next page comes from links.pages.next, else from meta.total', () => {
  assert.equal(nextPage({ pages: { next: 'https://api.digitalocean.com/v2/droplets?page=3&per_page=2', last: 'x' } }, { total: 9 }, 2, 2, 2), 3);
  assert.equal(nextPage({ pages: { first: 'a', prev: 'b' } }, { total: 9 }, 5, 2, 1), undefined);
  assert.equal(nextPage(undefined, { total: 5 }, 1, 2, 2), 2);
  assert.equal(nextPage(undefined, { total: 4 }, 2, 2, 2), undefined);
});
