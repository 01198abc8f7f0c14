import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/core/index.js';
import { loadAllBundledOffers, missesOf, selectOffers } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

const cx22 = offer();
const cx42 = offer({ plan: 'cx42', vcpus: 8, memoryGb: 16, diskGb: 160, priceHourly: 0.0263, priceMonthly: 16.4 });
const cx42hel = { ...cx42, region: 'hel1' };
const s2 = offer({ provider: 'digitalocean', plan: 's-2vcpu-4gb', region: 'fra1', vcpus: 2, memoryGb: 4, priceHourly: 0.03571, priceMonthly: 24, currency: 'USD' });
const h100 = offer({ provider: 'digitalocean', plan: 'gpu-h100x1-80gb', region: 'tor1', vcpus: 20, memoryGb: 240, gpu: 'H100', gpuCount: 1, priceHourly: 3.39, priceMonthly: 2278.08, currency: 'USD' });
const h100x8 = { ...h100, plan: 'gpu-h100x8-640gb', vcpus: 160, memoryGb: 1920, gpuCount: 8, priceHourly: 23.92, priceMonthly: 16074.24 };
const l40s = offer({ provider: 'digitalocean', plan: 'gpu-l40sx1-48gb', region: 'tor1', vcpus: 8, memoryGb: 64, gpu: 'L40S', gpuCount: 1, priceHourly: 1.57, priceMonthly: 1055.04, currency: 'USD' });
const metal = offer({ provider: 'hetzner-robot', plan: 'ax41', region: 'fsn1', vcpus: 12, memoryGb: 64, priceHourly: 0.07, priceMonthly: 44, bareMetal: true, leadTimeHours: 24 });
const all = [h100x8, h100, l40s, metal, s2, cx42hel, cx42, cx22];

const plans = (os: { plan: string; region: string }[]) => os.map((o) => `${o.plan}@${o.region}`);

test('filters by cpu and memory and sorts by hourly price across currencies', () => {
  assert.deepEqual(plans(selectOffers(all, { minCpu: 2, minMemoryGb: 4, gpu: false, bareMetal: false })), ['cx22@fsn1', 'cx42@fsn1', 'cx42@hel1', 's-2vcpu-4gb@fra1']);
  assert.deepEqual(plans(selectOffers(all, { minCpu: 8, gpu: false })), ['cx42@fsn1', 'cx42@hel1', 'ax41@fsn1']);
});

test('EUR prices are ranked through the conversion table, displayed prices untouched', () => {
  // Raw numbers say 0.032 < 0.0357, but €0.032 is about $0.036 at the ranking rate, so it ranks second.
  const eur = offer({ plan: 'eur', priceHourly: 0.032, priceMonthly: 20 }); // ≈ $0.0365
  const usd = offer({ provider: 'digitalocean', plan: 'usd', priceHourly: 0.0357, priceMonthly: 24, currency: 'USD' });
  const picked = selectOffers([eur, usd], { hours: 1 });
  assert.deepEqual(picked.map((o) => o.plan), ['usd', 'eur']);
  assert.equal(picked[1]?.priceHourly, 0.032);
  assert.equal(picked[1]?.currency, 'EUR');
});

test('ties break on monthly price, then fewer vCPUs, then provider/plan/region', () => {
  const a = offer({ plan: 'b', priceMonthly: 4 });
  const b = offer({ plan: 'a', priceMonthly: 3.5 });
  const c = offer({ plan: 'c', priceMonthly: 3.5, vcpus: 1 });
  const d = offer({ plan: 'a', priceMonthly: 3.5, region: 'nbg1' });
  assert.deepEqual(plans(selectOffers([a, d, b, c], {})), ['c@fsn1', 'a@fsn1', 'a@nbg1', 'b@fsn1']);
});

test('GPU matching: any GPU, a model by case-insensitive substring, a minimum count, or none', () => {
  assert.deepEqual(selectOffers(all, { gpu: true }).map((o) => o.plan), ['gpu-l40sx1-48gb', 'gpu-h100x1-80gb', 'gpu-h100x8-640gb']);
  assert.deepEqual(selectOffers(all, { gpu: 'h100' }).map((o) => o.plan), ['gpu-h100x1-80gb', 'gpu-h100x8-640gb']);
  assert.deepEqual(selectOffers(all, { gpu: 'H100', minGpuCount: 8 }).map((o) => o.plan), ['gpu-h100x8-640gb']);
  assert.ok(selectOffers(all, { gpu: false }).every((o) => o.gpu === null));
});

test('budget, region, provider and bare-metal filters', () => {
  // €0.0263 is about $0.030 at the ranking rate: inside a $0.031 budget, outside $0.029.
  // Over one hour the budget meets the hourly price; over a month (the default) the monthly cap.
  assert.deepEqual(plans(selectOffers(all, { maxHourly: 0.029, hours: 1 })), ['cx22@fsn1']);
  assert.deepEqual(plans(selectOffers(all, { maxHourly: 0.031, hours: 1 })), ['cx22@fsn1', 'cx42@fsn1', 'cx42@hel1']);
  assert.deepEqual(plans(selectOffers(all, { maxHourly: 0.03, currency: 'EUR', hours: 1 })), ['cx22@fsn1', 'cx42@fsn1', 'cx42@hel1']);
  // €16.40 a month is €0.0225/h over 730 h: inside a €0.023 budget for a month, not for an hour.
  assert.deepEqual(plans(selectOffers(all, { maxHourly: 0.023, currency: 'EUR' })), ['cx22@fsn1', 'cx42@fsn1', 'cx42@hel1']);
  assert.deepEqual(plans(selectOffers(all, { regions: ['HEL1', 'fra1'] })), ['cx42@hel1', 's-2vcpu-4gb@fra1']);
  assert.deepEqual(plans(selectOffers(all, { providers: ['digitalocean'], gpu: false })), ['s-2vcpu-4gb@fra1']);
  assert.deepEqual(plans(selectOffers(all, { bareMetal: true })), ['ax41@fsn1']);
});

test('invalid constraints are UserErrors raised before looking at offers', () => {
  const bad = [
    { minCpu: -1 },
    { minMemoryGb: Number.NaN },
    { maxHourly: Number.POSITIVE_INFINITY },
    { minGpuCount: -2 },
    { gpu: '  ' },
    { gpu: false, minGpuCount: 1 },
    { regions: [] },
    { providers: [''] },
    { currency: 'XYZ', maxHourly: 1 },
  ];
  for (const c of bad) assert.throws(() => selectOffers([], c), UserError, JSON.stringify(c));
  assert.throws(() => selectOffers(all, { providers: ['hetzner', 'linodee'] }, { knownProviders: ['hetzner', 'linode'] }), /unknown provider linodee; known: hetzner, linode/);
});

test('an empty catalog is an error, never "no offers"', () => {
  assert.throws(() => selectOffers([], {}), /empty catalog/);
});

test('when nothing matches, the error names the nearest offers and what each misses', () => {
  let err: unknown;
  assert.throws(() => {
    try {
      selectOffers(all, { minMemoryGb: 16, maxHourly: 0.02, currency: 'EUR', gpu: false });
    } catch (e) {
      err = e;
      throw e;
    }
  }, UserError);
  assert.ok(err instanceof UserError);
  const lines = err.message.split('\n');
  assert.match(lines[0]!, /^no offer matches \(≥16 GB memory, no GPU, ≤€0.0200\/h\); the nearest misses one constraint:$/);
  // Nearest first: 32% over budget beats 12 GB short of 16; cx42 in hel1 misses the same way as in fsn1, so it is listed once.
  assert.deepEqual(lines.slice(1), [
    '  hetzner cx42 in fsn1 at €0.0263/h is over the budget of €0.0200/h',
    '  hetzner cx22 in fsn1 at €0.0060/h has 4 GB memory, need 16',
    '  hetzner-robot ax41 in fsn1 at €0.0700/h is over the budget of €0.0200/h',
  ]);
  assert.match(err.hint ?? '', /ferry offers/);
});

test('misses are reported per constraint', () => {
  assert.deepEqual(
    missesOf(cx22, { minCpu: 4, gpu: 'h100', regions: ['nbg1'], providers: ['digitalocean'], bareMetal: true }).map((m) => m.message),
    ['has 2 vCPUs, need 4', 'has no GPU, need H100', 'is not in nbg1', 'is not from digitalocean', 'is a cloud server, need bare metal'],
  );
  assert.deepEqual(missesOf(l40s, { gpu: 'h100' }).map((m) => m.message), ['has 1× L40S, need H100']);
});

test('the bundled snapshot answers a typical request', async () => {
  const all = (await loadAllBundledOffers()).flatMap((b) => b.offers);
  const [best] = selectOffers(all, { minCpu: 4, minMemoryGb: 8, maxHourly: 0.1 });
  assert.ok(best);
  assert.ok(best.vcpus >= 4 && best.memoryGb >= 8);
  assert.equal(best.provider, 'hetzner');
});

test('with no offer one constraint away, the nearest are those missing the fewest', () => {
  assert.throws(
    () => selectOffers([cx22], { minCpu: 4, minMemoryGb: 8 }),
    (e: unknown) => e instanceof UserError && e.message.endsWith('the nearest miss 2 constraints:\n  hetzner cx22 in fsn1 at €0.0060/h has 2 vCPUs, need 4; has 4 GB memory, need 8'),
  );
});

test('the nearest offers to an impossible size are the biggest, not the cheapest', () => {
  const small = offer({ plan: 'small', memoryGb: 4, priceHourly: 0.01 });
  const big = offer({ plan: 'big', memoryGb: 512, priceHourly: 2 });
  const huge = offer({ plan: 'huge', memoryGb: 1920, priceHourly: 20 });
  assert.throws(
    () => selectOffers([small, big, huge], { minMemoryGb: 4000 }, { nearest: 2 }),
    (e: unknown) => e instanceof UserError && /\n  hetzner huge .*1920 GB.*\n  hetzner big .*512 GB/.test(e.message) && !/small/.test(e.message),
  );
});

test('--max-lead-time keeps bare metal ready soon enough and every cloud server; a sold-out site is never picked', () => {
  const metalFast = offer({ provider: 'latitude', plan: 'c2-small-x86', region: 'SAO2', vcpus: 8, memoryGb: 32, bareMetal: true, leadTimeHours: 0.1, priceHourly: 0.22, priceMonthly: 160.6, currency: 'USD' });
  const metalSlow = { ...metalFast, provider: 'hivelocity', plan: '640', leadTimeHours: 2, priceHourly: 0.2, priceMonthly: 146 };
  const soldOut = { ...metalFast, region: 'SAN3', priceHourly: 0.01, priceMonthly: 7.3, stock: 0 };
  const cloud = { ...cx42, vcpus: 8, memoryGb: 32 };
  const picked = selectOffers([metalSlow, metalFast, soldOut, cloud], { minCpu: 8, minMemoryGb: 32, maxLeadTimeHours: 1 });
  assert.deepEqual(picked.map((o) => `${o.provider}/${o.region}`).sort(), ['hetzner/fsn1', 'latitude/SAO2']);
  assert.match(missesOf(metalSlow, { maxLeadTimeHours: 1 })[0]!.message, /2 h after the order, need 1 h at most/);
  assert.match(missesOf(soldOut, {})[0]!.message, /out of stock in SAN3/);
  assert.throws(() => selectOffers([cloud], { maxLeadTimeHours: -1 }), (e: Error) => e instanceof UserError && /--max-lead-time must be ≥ 0/.test(e.message));
});
