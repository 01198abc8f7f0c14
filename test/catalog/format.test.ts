import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/core/index.js';
import { RANKING_RATES, convertForRanking, formatMoney, formatOfferRow, formatPrice } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

test('prices carry their currency symbol and unit', () => {
  assert.equal(formatPrice(0.00893, 'USD'), '$0.0089/h');
  assert.equal(formatPrice(0.0077, 'EUR'), '€0.0077/h');
  assert.equal(formatPrice(3.39, 'USD'), '$3.39/h');
  assert.equal(formatPrice(3.79, 'EUR', 'mo'), '€3.79/mo');
  assert.equal(formatPrice(12, 'CHF', 'mo'), '12.00 CHF/mo');
});

test('amounts use the same format without a period, and an unknown currency is said, never taken for USD', () => {
  assert.equal(formatMoney(12.345, 'EUR'), '€12.35');
  assert.equal(formatMoney(3, 'chf'), '3.00 CHF');
  assert.equal(formatMoney(3, 'unknown'), '3.00 (currency unknown)');
  assert.equal(formatPrice(0.01, null), '0.0100 (currency unknown)/h');
});

test('an offer row shows the offer in its own currency', () => {
  const row = formatOfferRow(offer({ memoryGb: 0.5, gpu: 'H100', gpuCount: 8 }));
  assert.deepEqual(row, {
    provider: 'hetzner',
    plan: 'cx22',
    region: 'fsn1',
    vcpus: '2',
    memory: '0.5 GB',
    disk: '40 GB',
    gpu: '8× H100',
    hourly: '€0.0060/h',
    monthly: '€3.79/mo',
    kind: 'cloud',
    source: 'live',
  });
  assert.equal(formatOfferRow(offer({ bareMetal: true, leadTimeHours: 24 })).kind, 'bare metal, 24h lead');
});

test('ranking conversion uses the one documented table and is symmetric', () => {
  assert.match(RANKING_RATES.asOf, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(convertForRanking(1, 'EUR', 'USD'), RANKING_RATES.usdPer.EUR);
  assert.ok(Math.abs(convertForRanking(convertForRanking(2.5, 'EUR', 'USD'), 'USD', 'EUR') - 2.5) < 1e-12);
  assert.equal(convertForRanking(7, 'usd', 'USD'), 7);
  assert.throws(() => convertForRanking(1, 'XYZ', 'USD'), (e: unknown) => e instanceof UserError && /no exchange rate for XYZ .*; supported: USD, EUR, GBP/.test(e.message));
});
