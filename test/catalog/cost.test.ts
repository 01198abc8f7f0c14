import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/core/index.js';
import { expectedCost, place, selectOffers } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('hourly billing is capped at the monthly price month by month; extras and setup fees are added', () => {
  const cloud = offer({ priceHourly: 0.01, priceMonthly: 5, currency: 'USD' });
  close(expectedCost(cloud, 10), 0.1);
  close(expectedCost(cloud, 730), 5);
  close(expectedCost(cloud, 1460 + 100), 11);
  const withIp = { ...cloud, extras: [{ what: 'primary IPv4 address', priceHourly: 0.001, priceMonthly: 0.5 }] };
  close(expectedCost(withIp, 10), 0.11);
  close(expectedCost({ ...cloud, setupFee: 20 }, 10), 20.1);
});

test('monthly-only offers are paid by the started month and the minimum term', () => {
  const metal = offer({ priceHourly: 0.1, priceMonthly: 73, billing: 'monthly', currency: 'USD' });
  close(expectedCost(metal, 1), 73);
  close(expectedCost(metal, 731), 146);
  close(expectedCost({ ...metal, minimumTermMonths: 12 }, 24), 876);
});

test('a monthly server is not ranked by a made-up hourly price: over a day the hourly cloud server wins, over a year the dedicated one', () => {
  const cloud = offer({ plan: 'cloud', priceHourly: 0.2, priceMonthly: 146, currency: 'USD' });
  const metal = offer({ plan: 'metal', priceHourly: 0.11, priceMonthly: 80, billing: 'monthly', setupFee: 50, currency: 'USD', bareMetal: true });
  assert.deepEqual(selectOffers([cloud, metal], { hours: 24 }).map((o) => o.plan), ['cloud', 'metal']);
  assert.deepEqual(selectOffers([cloud, metal], { hours: 8760 }).map((o) => o.plan), ['metal', 'cloud']);
});

test('extras count in the ranking', () => {
  const a = offer({ plan: 'a', priceHourly: 0.01, priceMonthly: 6, currency: 'USD', extras: [{ what: 'primary IPv4 address', priceHourly: 0.002, priceMonthly: 1.2 }] });
  const b = offer({ plan: 'b', priceHourly: 0.011, priceMonthly: 6.5, currency: 'USD' });
  assert.deepEqual(selectOffers([a, b], {}).map((o) => o.plan), ['b', 'a']);
});

test('placement never picks arm unless asked; offers in a currency the rate table lacks are a UserError', async () => {
  const arm = offer({ plan: 'cax11', arch: 'arm', priceHourly: 0.001, priceMonthly: 0.5 });
  const x86 = offer({ plan: 'cx22' });
  const tried: string[] = [];
  const r = await place([arm, x86], {}, async (o) => tried.push(o.plan));
  assert.equal(r.offer.plan, 'cx22');
  assert.equal((await place([arm, x86], { arch: 'arm' }, async (o) => o.plan)).offer.plan, 'cax11');
  assert.throws(() => selectOffers([offer({ currency: 'XYZ' }), x86], {}), (e: unknown) => e instanceof UserError && /no exchange rate for XYZ/.test(e.message));
  assert.throws(() => selectOffers([x86], { maxHourly: -1 }), (e: unknown) => e instanceof UserError && e.message === '--budget must be ≥ 0, got -1');
  assert.throws(() => selectOffers([x86], { currency: 'XYZ' }), (e: unknown) => e instanceof UserError && /--currency XYZ is not in the rate table/.test(e.message));
});
