import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundledProviders, bundledSnapshot, bundledSnapshotDate, loadBundledOffers } from '../../src/catalog/index.js';

test('the bundled snapshot loads rows for DigitalOcean and Hetzner, marked bundled with the snapshot date', () => {
  const offers = loadBundledOffers();
  assert.deepEqual(bundledProviders().sort(), ['digitalocean', 'hetzner']);
  assert.match(bundledSnapshotDate(), /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(offers.length > 100);
  for (const o of offers) {
    assert.equal(o.source, 'bundled');
    assert.equal(o.fetchedAt, bundledSnapshotDate());
  }
  const plans = new Set(offers.map((o) => o.plan));
  for (const p of ['s-1vcpu-1gb', 'g-2vcpu-8gb', 'c-2', 'm-2vcpu-16gb', 'gpu-h100x1-80gb', 'cx22', 'cpx11', 'cax11', 'ccx13', 'ccx63']) {
    assert.ok(plans.has(p), `missing plan ${p}`);
  }
});

test('every bundled row is well-formed and its monthly price follows the provider billing rule', () => {
  const snap = bundledSnapshot();
  assert.ok(snap.note.length > 20);
  for (const [name, p] of Object.entries(snap.providers)) {
    assert.ok(p.source.length > 20, `${name} names its price source`);
    const rows = loadBundledOffers(name);
    assert.ok(rows.length > 0);
    const keys = new Set<string>();
    for (const o of rows) {
      const where = `${name} ${o.plan} ${o.region}`;
      assert.equal(o.provider, name);
      assert.equal(o.currency, p.currency);
      assert.ok(Number.isInteger(o.vcpus) && o.vcpus > 0, where);
      assert.ok(o.memoryGb > 0 && o.diskGb > 0, where);
      assert.ok(o.priceHourly > 0 && o.priceMonthly > 0, where);
      assert.match(o.region, /^[a-z]+[0-9]*$/, where);
      assert.equal(o.gpuCount > 0, o.gpu !== null, `${where}: gpu name and count agree`);
      const hours = o.priceMonthly / o.priceHourly;
      assert.ok(Math.abs(hours - p.hoursPerMonth) / p.hoursPerMonth < 0.02, `${where}: monthly/hourly = ${hours.toFixed(1)}, rule ${p.hoursPerMonth}`);
      const key = `${o.plan}@${o.region}`;
      assert.ok(!keys.has(key), `${where} listed twice`);
      keys.add(key);
    }
  }
});

test('loadBundledOffers(provider) returns only that provider, and nothing for an unknown one', () => {
  assert.ok(loadBundledOffers('hetzner').every((o) => o.provider === 'hetzner' && o.currency === 'EUR'));
  assert.deepEqual(loadBundledOffers('vultr'), []);
});
