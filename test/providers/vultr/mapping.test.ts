/** Mapping on fixtures in Vultr's wire format (complete, pending, sparse with nulls), the status table, tags, errors. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseVultrError } from '../../../src/providers/vultr/errors.js';
import { machineStatus, machineToInstance, metalPlanOffers, planOffers, planToSize, STATUS_TABLE } from '../../../src/providers/vultr/mapping.js';
import { ferrySnapshotName, labelsToTags, markSnapshot, tagsToLabels } from '../../../src/providers/vultr/tags.js';
import { loadOpenApi } from '../../support/openapi.js';
import { VULTR_SPEC } from './contract-target.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/vultr');
const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8')) as T;
const AT = '2026-12-01T00:00:00.000Z';

test('mapping: a running instance with ferry\'s tags, addresses and date', () => {
  const i = machineToInstance(fixture('get-instance').instance);
  assert.deepEqual(i, {
    provider: 'vultr',
    id: 'cb676a46-66fd-4dfb-b839-443f2e6c0b60',
    name: 'web-1',
    status: { state: 'active', raw: 'active/running/ok' },
    ipv4: '192.0.2.123',
    ipv6: '2001:db8:1112:18fb:200:ff:fe00:0',
    region: 'ewr',
    size: 'vc2-1c-1gb',
    image: 'Ubuntu 24.04 LTS x64',
    labels: { 'managed-by': 'ferry', 'ferry-create-id': '0f6c1d7e-2a5b-4c3d-9e8f-1a2b3c4d5e6f', app: 'shop', legacy: '' },
    createdAt: '2026-11-10T01:56:20.000Z',
  });
});

test('mapping: a pending instance has no address yet ("0.0.0.0" and "" are none); the label falls back to the hostname', () => {
  const i = machineToInstance(fixture('create-instance-pending').instance);
  assert.equal(i.status.state, 'new');
  assert.equal(i.status.raw, 'pending/running/none');
  assert.equal(i.ipv4, null);
  assert.equal(i.ipv6, null);
  assert.equal(i.name, 'my_hostname');
});

test('mapping: nulls and missing fields never crash', () => {
  const i = machineToInstance(fixture('get-instance-sparse').instance);
  assert.equal(i.status.state, 'off');
  assert.equal(i.ipv4, null);
  assert.equal(i.image, null);
  assert.deepEqual(i.labels, {});
  assert.equal(i.createdAt, new Date(0).toISOString());
  assert.equal(i.name, 'sparse');
});

test('mapping: bare metal (status alone, string ram and disk) reads as an instance', () => {
  const i = machineToInstance(fixture('get-bare-metal').bare_metal);
  assert.equal(i.status.state, 'active');
  assert.equal(i.status.raw, 'active');
  assert.equal(i.size, 'vbm-4c-32gb');
  assert.deepEqual(i.labels, { 'managed-by': 'ferry', role: 'db' });
});

test('mapping: the status table, and an explicit unknown for anything else', () => {
  const cases: [Record<string, string | undefined>, string][] = [
    [{ status: 'pending', power_status: 'running', server_status: 'none' }, 'new'],
    [{ status: 'active', power_status: 'running', server_status: 'locked' }, 'new'],
    [{ status: 'active', power_status: 'running', server_status: 'installingbooting' }, 'new'],
    [{ status: 'active', power_status: 'running', server_status: 'ok' }, 'active'],
    [{ status: 'active', power_status: 'stopped', server_status: 'ok' }, 'off'],
    [{ status: 'suspended', power_status: 'stopped' }, 'off'],
    [{ status: 'resizing', power_status: 'running', server_status: 'locked' }, 'new'],
    [{ status: 'active' }, 'active'],
    [{ status: 'closed' }, 'unknown'],
    [{ status: 'active', power_status: 'rebooting', server_status: 'ok' }, 'unknown'],
    [{}, 'unknown'],
  ];
  for (const [wire, state] of cases) assert.equal(machineStatus(wire).state, state, JSON.stringify(wire));
  assert.equal(machineStatus({ status: 'closed', power_status: 'x' }).raw, 'closed/x');
  assert.ok(STATUS_TABLE.length >= 8);
});

test('mapping: plans become sizes and offers; GPU model, count and memory per GPU; hourly as given or monthly/672', () => {
  const plans = fixture('list-plans').plans;
  const [v6, vhf, l40s, a100, h100, broken] = plans;
  assert.deepEqual(planToSize(v6), { id: 'vc2-1c-0.5gb-v6', vcpus: 1, memoryGb: 0.5, diskGb: 10, gpu: null, gpuCount: 0, regions: ['ewr', 'ams'], priceHourly: 0.004, priceMonthly: 2.5, currency: 'USD' });
  assert.equal(planToSize(vhf).priceHourly, 0.009, 'no hourly_cost: monthly / 672');
  const [l40sOffer] = planOffers(l40s, AT);
  assert.equal(l40sOffer!.gpu, 'NVIDIA L40S');
  assert.equal(l40sOffer!.gpuCount, 1);
  assert.equal(l40sOffer!.gpuMemoryGb, 48);
  assert.equal(l40sOffer!.priceHourly, 1.671);
  const [a100Offer] = planOffers(a100, AT);
  assert.deepEqual([a100Offer!.gpu, a100Offer!.gpuCount, a100Offer!.gpuMemoryGb], ['NVIDIA A100', 1, 4], 'a fractional GPU is one GPU with its slice');
  assert.deepEqual(planOffers(h100, AT), [], 'no locations: no offers');
  assert.equal(planToSize(h100).gpuCount, 2, 'two H100 of 80 GB');
  assert.equal(planToSize(broken).vcpus, 0);
  assert.deepEqual(planOffers(v6, AT).map((o) => [o.region, o.bareMetal, o.billing, o.pricesIncludeVat, o.source]), [
    ['ewr', false, 'hourly', false, 'live'],
    ['ams', false, 'hourly', false, 'live'],
  ]);
});

test('mapping: bare-metal plans count threads, both disks, a lead time and no setup fee', () => {
  const [plan] = fixture('list-plans-metal').plans_metal;
  const offers = metalPlanOffers(plan, AT);
  assert.equal(offers.length, 2);
  assert.deepEqual({ ...offers[0], fetchedAt: undefined }, {
    provider: 'vultr', plan: 'vbm-4c-32gb', region: 'ewr', vcpus: 8, memoryGb: 32, diskGb: 480, gpu: null, gpuCount: 0,
    priceHourly: 0.179, priceMonthly: 120, currency: 'USD', bareMetal: true, leadTimeHours: 1, source: 'live', fetchedAt: undefined,
    arch: 'x86', pricesIncludeVat: false, billing: 'hourly', minimumTermMonths: 0, setupFee: 0,
  });
});

test('tags: labels ↔ "key=value" tags round-trip; foreign tags become empty labels', () => {
  const labels = { 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee00-0000-4000-8000-00000000c0de', 'a.b_c': 'x.y-z', empty: '' };
  assert.deepEqual(tagsToLabels(labelsToTags(labels)), labels);
  assert.deepEqual(labelsToTags({ app: 'shop' }), ['app=shop']);
  assert.deepEqual(tagsToLabels(['web', 'a=b=c', '=x', null as unknown as string]), { web: '', a: 'b=c', '=x': '' });
  assert.deepEqual(tagsToLabels(null), {});
});

test('tags: ferry\'s snapshot descriptions carry the mark; others are not ferry\'s', () => {
  assert.equal(ferrySnapshotName(markSnapshot('snap-one')), 'snap-one');
  assert.equal(ferrySnapshotName('hand-made-snapshot'), undefined);
  assert.equal(ferrySnapshotName(null), undefined);
});

test('errors: Vultr\'s body → kinds; out of stock is capacity, an account limit is quota, both with a code', () => {
  assert.deepEqual(parseVultrError(400, fixture('error-invalid-plan')), { message: 'Invalid plan.' });
  assert.deepEqual(parseVultrError(400, fixture('error-out-of-stock')), {
    message: 'Server add failed: Plan vc2-1c-1gb is out of stock in fra.', kind: 'capacity', code: 'out_of_stock', retryable: false,
  });
  assert.equal(parseVultrError(400, fixture('error-limit')).kind, 'quota');
  assert.equal(parseVultrError(400, fixture('error-limit')).code, 'account_limit');
  assert.deepEqual(parseVultrError(401, fixture('error-unauthorized')), { message: 'Invalid API token.' });
  assert.deepEqual(parseVultrError(502, '<html>bad gateway</html>'), { message: '<html>bad gateway</html>' });
  assert.deepEqual(parseVultrError(500, undefined), { message: 'HTTP 500' });
  assert.deepEqual(parseVultrError(500, { error: { nested: true } }), { message: 'HTTP 500' });
});

test('fixtures: the response fixtures match the official description', (t) => {
  const spec = loadOpenApi(VULTR_SPEC);
  if ('missing' in spec) return t.skip(spec.missing);
  const ops: [string, string, string, number][] = [
    ['get-instance', 'GET', '/instances/x', 200],
    ['create-instance-pending', 'POST', '/instances', 202],
    ['get-bare-metal', 'GET', '/bare-metals/x', 200],
    ['list-plans-metal', 'GET', '/plans-metal', 200],
  ];
  for (const [name, method, path, status] of ops) assert.deepEqual(spec.validateResponse(method, path, status, fixture(name)), [], name);
});
