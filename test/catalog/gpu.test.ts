import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/core/index.js';
import { gpuMatches, normaliseGpu, parseGpuFilter, selectOffers } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

test('provider GPU strings normalise to one model and memory', () => {
  const cases: [string, number | null, string, number | null][] = [
    ['NVIDIA H100 80GB HBM3', null, 'H100 SXM', 80],
    ['h100-pcie', null, 'H100 PCIe', 80],
    ['H100 NVL', null, 'H100 NVL', 94],
    ['NVIDIA A100-SXM4-80GB', null, 'A100 80GB', 80],
    ['A100 40GB', null, 'A100 40GB', 40],
    ['A100', 80, 'A100 80GB', 80],
    ['L40S', null, 'L40S', 48],
    ['NVIDIA L4', null, 'L4', 24],
    ['A10', null, 'A10', 24],
    ['A40', null, 'A40', 48],
    ['Tesla T4', null, 'T4', 16],
    ['RTX 4000 Ada', null, 'RTX 4000 Ada', 20],
    ['RTX 6000 Ada', null, 'RTX 6000 Ada', 48],
    ['NVIDIA RTX A6000', null, 'RTX A6000', 48],
    ['GeForce RTX 4090', null, 'RTX 4090', 24],
    ['Quadro RTX 6000', null, 'RTX 6000 (Turing)', 24],
    ['AMD Instinct MI300X', null, 'MI300X', 192],
  ];
  for (const [raw, mem, name, memoryGb] of cases) assert.deepEqual([normaliseGpu(raw, mem).name, normaliseGpu(raw, mem).memoryGb], [name, memoryGb], raw);
  assert.equal(normaliseGpu('Acme X1').id, null, 'an unknown model keeps its own name');
});

test('filters take model, memory and count; unknown models and bad parts are UserErrors naming the choices', () => {
  assert.deepEqual(parseGpuFilter('a100:80gb:2'), { model: 'a100', memoryGb: 80, count: 2 });
  assert.deepEqual(parseGpuFilter('H100'), { model: 'h100' });
  assert.deepEqual(parseGpuFilter('h100-pcie'), { model: 'h100-pcie' });
  assert.deepEqual(parseGpuFilter('l4::4'), { model: 'l4', count: 4 });
  assert.throws(() => parseGpuFilter('z999'), (e: unknown) => e instanceof UserError && /unknown GPU model "z999"/.test(e.message) && /h100, a100/.test(e.hint ?? ''));
  assert.throws(() => parseGpuFilter('a100:lots'), /memory "lots" is not a size in GB/);
  assert.throws(() => parseGpuFilter('a100:80:0'), /count "0" must be a whole number ≥ 1/);
});

test('a family matches every variant; a variant, memory or count narrows it', () => {
  assert.ok(gpuMatches('H100 PCIe', 1, null, { model: 'h100' }));
  assert.ok(!gpuMatches('H100 PCIe', 1, null, { model: 'h100-sxm' }));
  assert.ok(gpuMatches('A100', 2, 80, { model: 'a100', memoryGb: 80, count: 2 }));
  assert.ok(!gpuMatches('A100 40GB', 2, null, { model: 'a100', memoryGb: 80 }));
  assert.ok(!gpuMatches('A100', 1, 80, { model: 'a100', count: 2 }));
  assert.ok(!gpuMatches(null, 0, null, { model: 'a100' }));
});

test('--gpu a100 with no A100 anywhere suggests the nearest GPU offers, not CPU servers', () => {
  const cpu = offer({ plan: 'cheap-cpu', priceHourly: 0.001, priceMonthly: 0.5 });
  const h100 = offer({ provider: 'digitalocean', plan: 'gpu-h100x1-80gb', gpu: 'H100', gpuCount: 1, priceHourly: 3.39, priceMonthly: 2278, currency: 'USD' });
  assert.throws(
    () => selectOffers([cpu, h100], { gpu: 'a100' }),
    (e: unknown) => e instanceof UserError && /nearest misses one constraint:\n  digitalocean gpu-h100x1-80gb .* has 1× H100 SXM, need A100$/.test(e.message),
  );
});
