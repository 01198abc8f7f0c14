import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  firewallFromWire,
  imageParam,
  imageRef,
  imageToImage,
  imageToSnapshot,
  ipv6Address,
  locationToRegion,
  mapStatus,
  networkFromWire,
  serverToInstance,
  serverTypeOffers,
  serverTypeToSize,
  sshKeyFromWire,
  volumeFromWire,
} from '../../../src/providers/hetzner/mapping.js';
import type { HcServer } from '../../../src/providers/hetzner/schema.js';
import { loadOpenApi } from '../../support/openapi.js';
import { fixture, FIXTURE_OPERATIONS, fixtureNames } from './fixtures.js';
import { SPEC } from './support.js';

test('every fixture is a response the spec allows for its operation', (t) => {
  const spec = loadOpenApi(SPEC);
  if ('missing' in spec) return t.skip(spec.missing);
  const names = fixtureNames();
  assert.deepEqual(names.filter((n) => !FIXTURE_OPERATIONS[n]), [], 'every fixture names its operation');
  for (const name of names) {
    const [method, path, status] = FIXTURE_OPERATIONS[name]!;
    assert.deepEqual(spec.validateResponse(method, path, status, fixture(name)), [], name);
  }
  // The check has teeth: a status outside the documented enum is caught.
  const broken = fixture('list-servers');
  broken.servers[0].status = 'bogus';
  assert.notDeepEqual(spec.validateResponse('GET', '/servers', 200, broken), []);
});

test('status table: every documented server status, and an explicit unknown fallback', () => {
  const expected: Record<string, string> = {
    initializing: 'new',
    starting: 'new',
    rebuilding: 'new',
    migrating: 'new',
    running: 'active',
    stopping: 'off',
    off: 'off',
    deleting: 'archive',
    unknown: 'unknown',
  };
  for (const [raw, state] of Object.entries(expected)) assert.deepEqual(mapStatus(raw), { state, raw }, raw);
  assert.deepEqual(mapStatus('hibernating'), { state: 'unknown', raw: 'hibernating' });
  assert.deepEqual(mapStatus('constructor'), { state: 'unknown', raw: 'constructor' }, 'no prototype keys leak into the table');
});

test('servers: addresses, location, size, image and labels from a list page', () => {
  const [running, fresh] = fixture<{ servers: HcServer[] }>('list-servers').servers;
  const a = serverToInstance(running!);
  assert.deepEqual(a, {
    provider: 'hetzner',
    id: '42',
    name: 'my-resource',
    status: { state: 'active', raw: 'running' },
    ipv4: '1.2.3.4',
    ipv6: '2001:db8::1',
    region: 'fsn1',
    size: 'cpx22',
    image: 'ubuntu-24.04',
    labels: { environment: 'prod', 'example.com/my': 'label', 'just-a-key': '' },
    createdAt: '2016-01-30T23:55:00Z',
  });
  const b = serverToInstance(fresh!);
  assert.equal(b.ipv4, null, 'no address yet');
  assert.equal(b.ipv6, null);
  assert.deepEqual(b.status, { state: 'new', raw: 'initializing' });
  assert.equal(b.image, 'snapshot:4712', 'snapshot images have no name: ferry names them by id');
});

test('servers: the create response and a single get map the same way', () => {
  const created = serverToInstance(fixture('create-server').server);
  assert.equal(created.id, '42');
  assert.equal(created.name, 'my-server');
  assert.equal(created.region, 'fsn1');
  const got = serverToInstance(fixture('get-server').server);
  assert.equal(got.region, 'fsn1');
  // Older responses have no top-level location: the datacenter's is used.
  const old = fixture('get-server').server;
  delete old.location;
  old.datacenter.location.name = 'nbg1';
  assert.equal(serverToInstance(old).region, 'nbg1');
});

test('ipv6: the server address is the first of its /64', () => {
  assert.equal(ipv6Address('2a01:4f8:c0c:7501::/64'), '2a01:4f8:c0c:7501::1');
  assert.equal(ipv6Address('2001:db8::1'), '2001:db8::1');
  assert.equal(ipv6Address(null), null);
});

test('images: ferry image specs become names or ids for POST /servers', () => {
  assert.equal(imageParam({ kind: 'ubuntu', version: '24.04' }), 'ubuntu-24.04');
  assert.equal(imageParam({ kind: 'debian', version: '12' }), 'debian-12');
  assert.equal(imageParam({ kind: 'snapshot', id: '4711' }), '4711');
  assert.equal(imageParam({ kind: 'custom', id: 'docker-ce' }), 'docker-ce');
  const img = fixture('get-image').image;
  assert.equal(imageRef(img), 'snapshot:42', 'the spec example is of type snapshot');
  assert.deepEqual(imageToImage({ ...img, type: 'system' }), { id: 'ubuntu-24.04', name: 'Ubuntu 24.04 Standard 64 bit', distribution: 'ubuntu', version: '24.04' });
  assert.equal(imageToImage({ ...img, os_flavor: 'unknown' }).distribution, null);
});

test('snapshots: the description is the name, created_from the instance', () => {
  assert.deepEqual(imageToSnapshot(fixture('create-image').image), {
    provider: 'hetzner',
    id: '4711',
    name: 'my image',
    createdAt: '2016-01-30T23:50:00Z',
    sizeGb: 2.3,
    instanceId: '1',
  });
  const listed = fixture('list-images').images.map(imageToSnapshot);
  assert.equal(listed.length, 1);
  assert.equal(listed[0].id, '42');
});

test('sizes: net EUR prices of the cheapest orderable location; deprecated locations are left out', () => {
  const [current] = fixture('list-server-types').server_types;
  assert.deepEqual(serverTypeToSize(current), {
    id: 'cpx22',
    vcpus: 2,
    memoryGb: 4,
    diskGb: 80,
    gpu: null,
    gpuCount: 0,
    regions: ['fsn1', 'ash'],
    priceHourly: 0.0121,
    priceMonthly: 7.55,
    currency: 'EUR',
  });
});

test('offers: one per type and location, net prices; a deprecated type offers nothing', () => {
  const [current, deprecated] = fixture('list-server-types').server_types;
  const at = '2026-01-01T00:00:00.000Z';
  const offers = serverTypeOffers(current, at);
  assert.deepEqual(
    offers.map((o) => [o.plan, o.region, o.priceHourly, o.priceMonthly]),
    [
      ['cpx22', 'fsn1', 0.0121, 7.55],
      ['cpx22', 'ash', 0.0145, 9.06],
    ],
  );
  assert.deepEqual(
    { ...offers[0], plan: undefined, region: undefined, priceHourly: undefined, priceMonthly: undefined },
    {
      provider: 'hetzner',
      plan: undefined,
      region: undefined,
      vcpus: 2,
      memoryGb: 4,
      diskGb: 80,
      gpu: null,
      gpuCount: 0,
      priceHourly: undefined,
      priceMonthly: undefined,
      currency: 'EUR',
      bareMetal: false,
      leadTimeHours: 0,
      source: 'live',
      fetchedAt: at,
      arch: 'x86',
      pricesIncludeVat: false,
    },
  );
  assert.deepEqual(serverTypeOffers(deprecated, at), []);
  assert.equal(serverTypeToSize(deprecated).priceHourly, null);
});

test('locations, ssh keys, networks, firewalls and volumes', () => {
  assert.deepEqual(locationToRegion(fixture('list-locations').locations[0]), {
    id: 'fsn1',
    name: 'Falkenstein, DE (Falkenstein DC Park 1)',
    available: true,
  });
  assert.deepEqual(sshKeyFromWire(fixture('create-ssh-key').ssh_key), {
    id: '42',
    name: 'my-resource',
    fingerprint: 'b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f',
    publicKey: 'ssh-rsa AAAjjk76kgf...Xt',
  });
  assert.deepEqual(networkFromWire(fixture('create-network').network), { id: '4711', name: 'mynet', ipRange: '10.0.0.0/16' });
  const fw = fixture('list-firewalls').firewalls[0];
  assert.deepEqual(firewallFromWire(fw), { id: '42', name: fw.name });
  const vol = fixture('get-volume').volume;
  assert.deepEqual(volumeFromWire(vol), {
    id: '42',
    name: vol.name,
    sizeGb: vol.size,
    region: 'fsn1',
    status: vol.status,
    instanceId: vol.server === null ? null : String(vol.server),
    devicePath: '/dev/disk/by-id/scsi-0HC_Volume_4711',
  });
  assert.equal(volumeFromWire({ ...vol, server: null }).instanceId, null);
});
