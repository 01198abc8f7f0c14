import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { OfferCache, defaultOfferCacheDir, DEFAULT_OFFER_TTL_MS } from '../../src/catalog/index.js';
import { offer } from './offers.fixture.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-offer-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'offers');
}

test('miss, then a fresh hit marked cache, then stale after the TTL', async (t) => {
  let now = Date.parse('2026-03-01T12:00:00Z');
  const cache = new OfferCache({ dir: tempDir(t), ttlMs: 60_000, now: () => now });
  assert.equal(await cache.read('hetzner'), null);

  await cache.write('hetzner', [offer()]);
  const hit = await cache.read('hetzner');
  assert.ok(hit);
  assert.equal(hit.fresh, true);
  assert.equal(hit.writtenAt, '2026-03-01T12:00:00.000Z');
  assert.equal(hit.offers[0]?.source, 'cache');
  assert.equal(hit.offers[0]?.fetchedAt, '2026-01-01T00:00:00.000Z');

  now += 59_999;
  assert.equal((await cache.read('hetzner'))?.fresh, true);
  now += 1;
  const stale = await cache.read('hetzner');
  assert.equal(stale?.fresh, false);
  assert.equal(stale?.offers.length, 1);
});

test('files are mode 0600, written whole with no temp files left behind', async (t) => {
  const dir = tempDir(t);
  const cache = new OfferCache({ dir });
  await cache.write('digitalocean', [offer({ provider: 'digitalocean' })]);
  await cache.write('digitalocean', [offer({ provider: 'digitalocean', plan: 's-1vcpu-1gb' })]);
  assert.deepEqual(readdirSync(dir), ['digitalocean.json']);
  assert.equal(statSync(join(dir, 'digitalocean.json')).mode & 0o777, 0o600);
  assert.equal((await cache.read('digitalocean'))?.offers[0]?.plan, 's-1vcpu-1gb');
});

test('a damaged or foreign cache file reads as a miss', async (t) => {
  const dir = tempDir(t);
  const cache = new OfferCache({ dir });
  await cache.write('hetzner', [offer()]);
  writeFileSync(cache.path('hetzner'), '{"version":1,"provider":"hetzner","writtenAt":"2026-01-01T00:00:00Z","offers":[{"plan":1}]}');
  assert.equal(await cache.read('hetzner'), null);
  writeFileSync(cache.path('hetzner'), 'not json');
  assert.equal(await cache.read('hetzner'), null);
});

test('provider names that could escape the cache directory are refused', () => {
  const cache = new OfferCache({ dir: '/nonexistent' });
  assert.throws(() => cache.path('../etc/passwd'), /invalid provider name/);
  assert.throws(() => cache.path(''), /invalid provider name/);
});

test('the default directory follows XDG_CACHE_HOME, else ~/.cache; the default TTL is 6 hours', () => {
  assert.equal(defaultOfferCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }), '/var/cache/u/ferry/offers');
  assert.equal(defaultOfferCacheDir({}), join(homedir(), '.cache', 'ferry', 'offers'));
  assert.equal(defaultOfferCacheDir({ XDG_CACHE_HOME: 'relative' }), join(homedir(), '.cache', 'ferry', 'offers'));
  assert.equal(DEFAULT_OFFER_TTL_MS, 6 * 3600 * 1000);
  assert.equal(new OfferCache({ dir: '/x' }).ttlMs, DEFAULT_OFFER_TTL_MS);
});
