import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { ProviderRegistry, type ProviderDescriptor } from '../../src/core/index.js';
import { bundledProviders, loadAllBundledOffers, loadBundledOffers, offersFromFile, priceAvailability } from '../../src/catalog/index.js';
import { withDefaults } from '../../src/providers/registry.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'src', 'catalog', 'bundled-offers.schema.json'), 'utf8')) as object;

test('every implemented provider declares bundled prices or the reason it has none; retired ones never contribute', () => {
  for (const d of withDefaults().descriptors()) {
    const a = priceAvailability(d);
    if (d.retired) assert.equal(a.bundled, false, `${d.name} is retired`);
    else if (d.load) assert.ok(d.prices, `${d.name} declares prices: { bundled } or { none: reason }`);
    if (!a.bundled) assert.ok(a.reason.length > 5, `${d.name} says why it has no prices`);
  }
});

test('every provider file in the registry is valid against bundled-offers.schema.json and consistent', async () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  const registry = withDefaults();
  const names = await bundledProviders(registry);
  assert.ok(names.includes('digitalocean') && names.includes('hetzner'), names.join(','));
  for (const d of registry.descriptors()) {
    if (!d.prices || !('bundled' in d.prices)) continue;
    const raw = ((await d.prices.bundled()) as { default: unknown }).default;
    assert.ok(validate(raw), `${d.name}/bundled-offers.json: ${JSON.stringify(validate.errors)}`);
    const b = (await loadBundledOffers(d.name))!;
    assert.ok(b.offers.length > 0);
    const keys = new Set<string>();
    for (const o of b.offers) {
      const where = `${d.name} ${o.plan} ${o.region}`;
      assert.equal(o.provider, d.name);
      assert.equal(o.source, 'bundled');
      assert.equal(o.fetchedAt, b.snapshotDate);
      assert.equal(o.currency, b.file.currency);
      assert.equal(o.gpuCount > 0, o.gpu !== null, `${where}: gpu name and count agree`);
      if (o.billing !== 'monthly') {
        // The monthly price caps the hourly bill somewhere within a month (DigitalOcean at 672 h,
        // Hetzner at ~624 h, Vultr and Linode per plan, as their rounded hourly prices fall):
        // never beyond a month's hours, never so early that a column or a unit is wrong.
        const hours = o.priceMonthly / o.priceHourly;
        assert.ok(hours >= 500 && hours <= 745 && hours <= b.file.hoursPerMonth * 1.02, `${where}: monthly/hourly = ${hours.toFixed(1)} hours, cap rule ${b.file.hoursPerMonth}`);
      }
      // A plan may be sold on two billing cycles (Cherry: hourly and monthly), one row each.
      const key = `${o.plan}@${o.region}@${o.billing ?? "hourly"}`;
      assert.ok(!keys.has(key), `${where} listed twice`);
      keys.add(key);
    }
  }
});

test('the shipped DigitalOcean and Hetzner files carry architecture, GPU memory, VAT and extras', async () => {
  const all = (await loadAllBundledOffers()).flatMap((b) => b.offers);
  const plans = new Map(all.map((o) => [`${o.provider}/${o.plan}`, o]));
  for (const p of ['digitalocean/s-1vcpu-1gb', 'digitalocean/gpu-h100x1-80gb', 'hetzner/cx22', 'hetzner/cax11', 'hetzner/ccx63']) assert.ok(plans.has(p), `missing ${p}`);
  assert.equal(plans.get('hetzner/cax11')?.arch, 'arm');
  assert.equal(plans.get('hetzner/cx22')?.arch, 'x86');
  assert.equal(plans.get('hetzner/cx22')?.pricesIncludeVat, false);
  assert.deepEqual(plans.get('hetzner/cx22')?.extras?.map((e) => e.what), ['primary IPv4 address']);
  assert.equal(plans.get('digitalocean/gpu-h100x1-80gb')?.gpuMemoryGb, 80);
  assert.equal(plans.get('digitalocean/gpu-h100x1-80gb')?.gpuCount, 1);
});

test('a provider not in the registry, or without a file, has no bundled offers; files load lazily through the descriptor', async () => {
  assert.equal(await loadBundledOffers('no-such-provider'), null);
  assert.equal(await loadBundledOffers('proxmox'), null);
  let loads = 0;
  const file = { snapshotDate: '2026-01-02', currency: 'CHF', hoursPerMonth: 730, pricesIncludeVat: true, source: 'a test price list', plans: [{ plan: 'm1', vcpus: 2, memoryGb: 4, diskGb: 50, arch: 'x86', gpu: null, bareMetal: true, billing: 'monthly', setupFee: 99, minimumTermMonths: 12, prices: [{ regions: ['zrh'], monthly: 73, stock: 3 }] }] };
  const d: ProviderDescriptor = { name: 'acme', title: 'Acme', kind: 'bare-metal', credentials: [], defaultEndpoint: 'https://acme.invalid', apiReference: 'x', load: async () => { throw new Error('not loaded'); }, prices: { bundled: async () => { loads++; return { default: file }; } } };
  const registry = new ProviderRegistry().register(d);
  assert.equal(loads, 0);
  const b = (await loadBundledOffers('acme', registry))!;
  assert.equal(loads, 1);
  assert.deepEqual(b.offers.map((o) => [o.region, o.billing, o.setupFee, o.minimumTermMonths, o.stock, o.priceMonthly, o.pricesIncludeVat]), [['zrh', 'monthly', 99, 12, 3, 73, true]]);
  assert.equal(b.offers[0]!.priceHourly, 0.1, 'a monthly-only plan shows its month spread over the hours');
  assert.deepEqual(await bundledProviders(registry), ['acme']);
  assert.deepEqual(await bundledProviders(new ProviderRegistry().register({ ...d, retired: { date: '2026-01-01', alternatives: 'x' } })), []);
});

test('a malformed file is refused with the field that is wrong', () => {
  assert.throws(() => offersFromFile('x', { snapshotDate: '2026-01-01', currency: 'USD', hoursPerMonth: 730, pricesIncludeVat: false, source: 'somewhere', plans: [{ plan: 'a', vcpus: 1, memoryGb: 1, diskGb: 1, arch: 'x86', gpu: null, bareMetal: false, prices: [{ regions: ['r'], monthly: 5 }] }] }), /plans\[0\]\.prices\[0\]\.hourly is required unless billing is monthly/);
  assert.throws(() => offersFromFile('x', { snapshotDate: 'June', currency: 'USD' }), /snapshotDate must be YYYY-MM-DD/);
});
