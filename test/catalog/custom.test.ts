import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/core/index.js';
import { applyCustomPrices, Catalog, declaredOffers, OfferCache, parseCustomPrices } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

test('custom offers replace the catalog row of the same plan and region; discounts lower matching rows only', () => {
  const custom = parseCustomPrices(
    {
      currency: 'EUR',
      offers: [{ provider: 'hetzner', plan: 'cx22', region: 'fsn1', vcpus: 2, memoryGb: 4, priceMonthly: 3 }, { provider: 'proxmox', plan: '4c-8g', region: 'pve1', vcpus: 4, memoryGb: 8, priceHourly: 0.01 }],
      discounts: [{ provider: 'digitalocean', percent: 20, plans: ['s-2vcpu-4gb'] }],
    },
    'prices.json',
    '2026-12-01T00:00:00.000Z',
  );
  const rows = applyCustomPrices([offer(), offer({ region: 'nbg1' }), offer({ provider: 'digitalocean', plan: 's-2vcpu-4gb', priceHourly: 0.05, priceMonthly: 24, currency: 'USD' }), offer({ provider: 'digitalocean', plan: 'other', currency: 'USD' })], custom);
  const by = (p: string, plan: string, region = 'fsn1') => rows.find((o) => o.provider === p && o.plan === plan && o.region === region)!;
  assert.deepEqual([by('hetzner', 'cx22').source, by('hetzner', 'cx22').billing, by('hetzner', 'cx22').priceMonthly], ['custom', 'monthly', 3]);
  assert.equal(by('hetzner', 'cx22', 'nbg1').source, 'live');
  assert.equal(by('digitalocean', 's-2vcpu-4gb').priceMonthly, 24 * 0.8);
  assert.equal(by('digitalocean', 'other').priceHourly, 0.006);
  assert.equal(by('proxmox', '4c-8g', 'pve1').priceMonthly, 7.3);
  assert.equal(rows.length, 5);
});

test('a malformed price file is a UserError naming the field', () => {
  assert.throws(() => parseCustomPrices({ offers: [{ provider: 'x', plan: 'p', region: 'r', vcpus: 1, memoryGb: 1 }] }, 'f.json', ''), (e: unknown) => e instanceof UserError && /f\.json: offers\[0\] needs priceHourly or priceMonthly/.test(e.message));
  assert.throws(() => parseCustomPrices({ discounts: [{ provider: 'x', percent: 120 }] }, 'f.json', ''), /discounts\[0\]\.percent must be between 0 and 100/);
  assert.throws(() => parseCustomPrices({ declared: { proxmox: { priceHourly: 1, currency: 'euro' } } }, 'f.json', ''), /declared\.proxmox\.currency must be a three-letter currency code/);
});

test('declared offers price each size by its vCPUs in every region', () => {
  const rows = declaredOffers('proxmox', [{ id: 'small', vcpus: 1, memoryGb: 2, diskGb: 0, gpu: null, gpuCount: 0 }, { id: 'large', vcpus: 4, memoryGb: 8, diskGb: 0, gpu: null, gpuCount: 0 }], ['pve1', 'pve2'], { priceHourly: 0.01, currency: 'EUR' }, 't');
  assert.deepEqual(rows.map((o) => `${o.plan}@${o.region}:${o.priceHourly}`), ['small@pve1:0.01', 'small@pve2:0.01', 'large@pve1:0.04', 'large@pve2:0.04']);
});

test('live rows take architecture, VAT and extras from the bundled file for plans it knows; what the driver says wins', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-enrich-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bundledRow = offer({ plan: 'cax11', arch: 'arm', pricesIncludeVat: false, extras: [{ what: 'primary IPv4 address', priceHourly: 0.0008, priceMonthly: 0.5 }], source: 'bundled' });
  const catalog = new Catalog({ cache: new OfferCache({ dir }), bundled: async () => ({ snapshotDate: '2025-06-01', offers: [bundledRow] }) });
  const live = [offer({ plan: 'cax11' }), offer({ plan: 'cx22', arch: 'x86' }), offer({ plan: 'cax11', region: 'nbg1', extras: [] })];
  const r = await catalog.offers([{ name: 'hetzner', listOffers: async () => live }]);
  assert.deepEqual(r.offers.map((o) => [o.plan, o.region, o.arch, o.extras?.length]), [['cax11', 'fsn1', 'arm', 1], ['cx22', 'fsn1', 'x86', undefined], ['cax11', 'nbg1', 'arm', 0]]);
});
