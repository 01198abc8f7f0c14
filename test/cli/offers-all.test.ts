/**
 * One offer space on the emulators with every implemented provider configured: live prices from
 * each emulated API, Proxmox at its declared price, the user's price file, the rate
 * table, and every provider not in the ranking named with its reason.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Offer } from '../../src/core/index.js';
import { DRIVERS, withDefaults } from '../../src/providers/registry.js';
import { parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

interface OffersJson {
  offers: (Offer & { rank: { amount: number; currency: string; hours: number } })[];
  ranking: { hours: number; currency: string; rates: { asOf: string } };
  sources: { provider: string; source: string }[];
  unpriced: { provider: string; reason: string }[];
}

describe('ferry offers across every implemented provider', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    const all = DRIVERS.map((d) => d.name);
    t = await testEmulator({ providers: all });
    env = { ...box.env, ...t.env };
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('--min-cpu 4 --min-memory 8 ranks all of them in one list, currencies shown, the rest named with a reason', async () => {
    const r = await runCli(['offers', '--min-cpu', '4', '--min-memory', '8', '--json', '--limit', '5000'], env);
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<OffersJson>(r.stdout);
    assert.deepEqual(new Set(data.offers.map((o) => o.provider)), new Set(DRIVERS.map((d) => d.name)));
    const expected = DRIVERS.map((d) => `${d.name}:${d.prices && 'none' in d.prices ? 'custom' : 'live'}`).sort();
    assert.deepEqual(data.sources.map((s) => `${s.provider}:${s.source}`).sort(), expected, 'every provider, live from its emulated API');
    assert.ok(['USD', 'EUR'].every((c) => data.offers.some((o) => o.currency === c)), 'both currencies in one ranking');
    const ranks = data.offers.map((o) => o.rank.amount);
    assert.ok(ranks.every((x, i) => i === 0 || x >= ranks[i - 1]!), 'one ranking, cheapest first');
    assert.equal(data.offers[0]!.provider, 'proxmox', 'declared at zero by default, own hardware ranks first');
    const unpriced = new Map(data.unpriced.map((u) => [u.provider, u.reason]));
    assert.match(unpriced.get('equinix-metal') ?? '', /retired/);
    for (const d of withDefaults().descriptors().filter((x) => !x.load && !x.retired)) assert.match(unpriced.get(d.name) ?? '', /not implemented/);
    const table = await runCli(['offers', '--min-cpu', '4', '--min-memory', '8', '--limit', '5000'], env);
    assert.match(table.stdout, /^PROVIDER\s+PLAN\s+REGION\s+ARCH\s+VCPUS\s+MEMORY\s+DISK\s+GPU\s+HOURLY\s+MONTHLY\s+730H IN USD\s+TAX\s+SOURCE\s+NOTES/);
    assert.match(table.stdout, /^hetzner\s.*€[\d.]+\/h\s+€[\d.]+\/mo\s+≈\$[\d.]+\s+net\s+(live|cache)\s+\+ primary IPv4 address €0\.50\/mo/m);
    assert.match(table.stdout, /^digitalocean\s.*\$[\d.]+\/h\s+\$[\d.]+\/mo\s+≈\$[\d.]+\s+net\s+(live|cache)/m);
    assert.match(table.stdout, /^hetzner\s+cax\d+\s+\S+\s+arm\s/m, 'live plans take their architecture from the bundled file');
    assert.match(table.stderr, /not in this ranking: .*equinix-metal \(retired on/);
    // The AWS SDK's notice about its own future Node requirement is not the user's business (ferry pins the SDK).
    assert.doesNotMatch(r.stderr + table.stderr, /NodeVersionSupportWarning/);
  });

  it('--max-lead-time 1h weighs cloud and bare-metal offers together and deploys the cheapest that is ready in time', async () => {
    const filters = ['--min-cpu', '8', '--min-memory', '32', '--max-lead-time', '1h', '--arch', 'x86'];
    for (const p of DRIVERS.filter((d) => d.name !== 'proxmox')) filters.push('--provider', p.name);
    const r = await runCli(['offers', ...filters, '--json', '--limit', '5000'], env);
    assert.equal(r.code, 0, r.stderr);
    const offers = parseJson<OffersJson>(r.stdout).offers;
    assert.ok(offers.some((o) => o.bareMetal) && offers.some((o) => !o.bareMetal), 'bare metal and cloud in one ranking');
    assert.ok(offers.every((o) => o.leadTimeHours <= 1 && o.stock !== 0 && o.vcpus >= 8 && o.memoryGb >= 32));
    const slow = await runCli(['offers', '--min-cpu', '8', '--max-lead-time', '0', '--json', '--limit', '5000'], env);
    assert.ok(parseJson<OffersJson>(slow.stdout).offers.every((o) => o.leadTimeHours === 0));
    const bad = await runCli(['offers', '--max-lead-time', 'soon'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-lead-time must be a duration such as 30m, 1h or 2d/);
    const deployed = await runCli(['deploy', ...filters, '--name', 'lead-time-1', '--json'], { ...env, FERRY_READY_TIMEOUT_MS: '600000' });
    assert.equal(deployed.code, 0, deployed.stderr);
    const out = parseJson<{ provider: string; size: string }>(deployed.stdout);
    assert.equal(`${out.provider} ${out.size}`, `${offers[0]!.provider} ${offers[0]!.plan}`, 'the cheapest offer ready within the hour');
  });

  it('--gpu lists GPU offers with normalised models; --gpu a100 suggests the nearest GPUs, not CPU servers', async () => {
    const r = await runCli(['offers', '--gpu', '--json', '--limit', '500'], env);
    assert.equal(r.code, 0, r.stderr);
    const gpus = parseJson<OffersJson>(r.stdout).offers;
    assert.ok(gpus.length > 0 && gpus.every((o) => o.gpuCount > 0));
    const table = await runCli(['offers', '--gpu', 'h100'], env);
    assert.match(table.stdout, /1× H100 SXM 80GB/);
    const miss = await runCli(['offers', '--gpu', 'a100:80gb'], env);
    assert.equal(miss.code, 2);
    const suggestions = miss.stderr.split('\n').filter((l) => /^\s+\S+ \S+ in /.test(l));
    assert.ok(suggestions.length > 0 && suggestions.every((l) => /has \d+× /.test(l)), miss.stderr);
  });

  it('the price file declares Proxmox\'s cost and a negotiated discount; offers and --compare use them', async () => {
    const file = join(box.dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ declared: { proxmox: { priceHourly: 0.01, currency: 'EUR' } }, discounts: [{ provider: 'hetzner', percent: 50 }] }));
    const base = parseJson<OffersJson>((await runCli(['offers', '--provider', 'hetzner', '--json', '--limit', '1'], env)).stdout).offers[0]!;
    const withFile = { ...env, FERRY_PRICES: file };
    const discounted = parseJson<OffersJson>((await runCli(['offers', '--provider', 'hetzner', '--json', '--limit', '1'], withFile)).stdout).offers[0]!;
    assert.equal(discounted.plan, base.plan);
    assert.ok(Math.abs(discounted.priceHourly - base.priceHourly / 2) < 1e-9);
    const pve = parseJson<OffersJson>((await runCli(['offers', '--provider', 'proxmox', '--min-cpu', '4', '--json', '--limit', '1'], withFile)).stdout).offers[0]!;
    assert.deepEqual([pve.currency, pve.priceHourly], ['EUR', 0.04]);
    const compare = await runCli(['offers', '--min-cpu', '4', '--compare'], withFile);
    assert.equal(compare.code, 0, compare.stderr);
    const rows = compare.stdout.split('\n').filter((l) => /^(digitalocean|hetzner|proxmox)\s/.test(l));
    assert.deepEqual(rows.map((l) => l.split(/\s+/)[0]).sort(), ['digitalocean', 'hetzner', 'proxmox']);
    assert.match(rows[0]!, /×1\.00$/);
    const badFile = await runCli(['offers'], { ...env, FERRY_PRICES: join(box.dir, 'missing.json') });
    assert.equal(badFile.code, 2);
    assert.match(badFile.stderr, /cannot read the price file/);
  });

  it('--rates installs a newer rate table that later runs keep using; a bad table or currency is a usage error', async () => {
    const rates = join(box.dir, 'rates.json');
    writeFileSync(rates, JSON.stringify({ asOf: '2026-11-30', source: 'test table', usdPer: { USD: 1, EUR: 2 } }));
    const r = await runCli(['offers', '--provider', 'hetzner', '--json', '--limit', '1', '--rates', rates], env);
    assert.equal(r.code, 0, r.stderr);
    const first = parseJson<OffersJson>(r.stdout);
    assert.equal(first.ranking.rates.asOf, '2026-11-30');
    const later = parseJson<OffersJson>((await runCli(['offers', '--provider', 'hetzner', '--json', '--limit', '1'], env)).stdout);
    assert.equal(later.ranking.rates.asOf, '2026-11-30');
    const o = later.offers[0]!;
    assert.ok(o.rank.amount > o.priceMonthly * 1.9, 'ranked at 2 USD per EUR');
    writeFileSync(rates, JSON.stringify({ asOf: 'now', source: 'x', usdPer: { USD: 1 } }));
    const bad = await runCli(['offers', '--rates', rates], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /asOf must be YYYY-MM-DD/);
    const cur = await runCli(['offers', '--currency', 'GBP'], env);
    assert.equal(cur.code, 2);
    assert.match(cur.stderr, /--currency GBP is not in the rate table of 2026-11-30[\s\S]*supported: USD, EUR/);
  });

  it('a configured Proxmox that cannot be reached is left out with a note, never fatal', async () => {
    const r = await runCli(['offers', '--min-cpu', '2', '--json'], { ...env, FERRY_PROXMOX_ENDPOINT: 'http://127.0.0.1:9' });
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<OffersJson>(r.stdout);
    assert.ok(!data.offers.some((o) => o.provider === 'proxmox'));
    assert.ok(data.unpriced.some((u) => u.provider === 'proxmox'));
  });
});
