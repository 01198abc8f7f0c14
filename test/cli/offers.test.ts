import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Offer } from '../../src/core/index.js';
import { parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

interface OffersJson {
  offers: (Offer & { rank: { amount: number } })[];
  total: number;
  sources: { provider: string; source: string; fetchedAt: string }[];
  warnings: string[];
}

describe('ferry offers', () => {
  let box: Sandbox;
  let t: TestEmulator;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['digitalocean', 'hetzner'] });
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('offline: bundled prices, filtered, cheapest first, with their date', async () => {
    const r = await runCli(['offers', '--offline', '--min-cpu', '4', '--min-memory', '8', '--budget', '0.2', '--json', '--limit', '500'], box.env);
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<OffersJson>(r.stdout);
    assert.ok(data.offers.length > 0);
    for (const o of data.offers) {
      assert.ok(o.vcpus >= 4 && o.memoryGb >= 8, `${o.plan} is too small`);
      assert.equal(o.source, 'bundled');
    }
    assert.ok(data.sources.every((s) => s.source === 'bundled' && /^\d{4}-\d{2}-\d{2}/.test(s.fetchedAt)));
    const table = await runCli(['offers', '--offline', '--min-cpu', '4', '--provider', 'hetzner', '--region', 'fsn1'], box.env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Prices: hetzner: bundled prices of \d{4}-\d{2}-\d{2}/);
    assert.ok(table.stdout.split('\n').filter((l) => /^hetzner\s/.test(l)).every((l) => /\sfsn1\s/.test(l)));
  });

  it('live from the providers when credentials are set', async () => {
    const r = await runCli(['offers', '--min-cpu', '2', '--min-memory', '4', '--json'], { ...box.env, ...t.env });
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<OffersJson>(r.stdout);
    const live = data.sources.filter((s) => s.source === 'live').map((s) => s.provider);
    assert.deepEqual(live.sort(), ['digitalocean', 'hetzner'], 'the configured providers answer live');
    assert.ok(data.sources.every((s) => live.includes(s.provider) || s.source === 'bundled'), 'the others fall back to their bundled prices');
    assert.ok(data.offers.filter((o) => live.includes(o.provider)).every((o) => o.source === 'live'));
    // Ranked by what a month costs in one currency (monthly terms, setup fees and extras included).
    const ranks = data.offers.map((o) => o.rank.amount);
    assert.ok(ranks.every((p, i) => i === 0 || p >= ranks[i - 1]!), 'cheapest first');
  });

  it('--gpu keeps GPU offers only', async () => {
    const r = await runCli(['offers', '--offline', '--gpu', '--json', '--limit', '500'], box.env);
    assert.equal(r.code, 0, r.stderr);
    const data = parseJson<OffersJson>(r.stdout);
    assert.ok(data.offers.length > 0 && data.offers.every((o) => o.gpuCount > 0 || o.gpu));
  });

  it('without credentials each provider says "no credentials: bundled prices of <date>"; bad flags are named', async () => {
    const r = await runCli(['offers', '--min-cpu', '2', '--limit', '3'], box.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: hetzner: no credentials: bundled prices of \d{4}-\d{2}-\d{2}$/m);
    assert.match(r.stderr, /^note: digitalocean: no credentials: bundled prices of \d{4}-\d{2}-\d{2}$/m);
    assert.doesNotMatch(r.stderr, /offline/);
    const cases: [string[], RegExp][] = [
      [['--limit', '0'], /^error: --limit must be a whole number ≥ 1, got 0$/m],
      [['--budget', '-1'], /^error: --budget must be ≥ 0, got -1$/m],
      [['--arch', 'sparc'], /^error: --arch must be x86 or arm, got sparc$/m],
      [['--gpu', 'z80'], /^error: --gpu: unknown GPU model "z80"$/m],
      [['--sort', 'cheap'], /^error: --sort must be one of price, price-per-vcpu, price-per-gb, got cheap$/m],
      [['--group-by', 'colour'], /^error: --group-by must be one of provider, region, gpu, got colour$/m],
      [['--hours', '0'], /^error: --hours must be > 0, got 0$/m],
    ];
    for (const [flags, message] of cases) {
      const bad = await runCli(['offers', ...flags], box.env);
      assert.equal(bad.code, 2, `${flags.join(' ')}: ${bad.stderr}`);
      assert.match(bad.stderr, message);
    }
  });

  it('nothing matching is a usage error naming the nearest offers', async () => {
    const r = await runCli(['offers', '--offline', '--min-cpu', '4096'], box.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: no offer matches/m);
    assert.match(r.stderr, /has \d+ vCPUs, need 4096/);
  });
});
