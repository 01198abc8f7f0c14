/**
 * A 100-Linode fleet through the driver against the emulator at Linode's real create limit
 * (20 per 15 s, fixed windows): the driver paces its creates, so the emulator never answers 429
 * and no rate-limit error reaches the caller. The emulated clock runs 25× faster (the
 * 100 creates take a few seconds); the pacing holds whatever the latency, as it counts answers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageSpec, provisionFleet, ProviderError } from '../../../src/core/index.js';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { withDefaults } from '../../../src/providers/registry.js';

const SCALE = 25;
const FLEET = 100;

test(`${FLEET} creates through the driver: paced to 20 per 15 s, zero 429s`, async (t) => {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['linode'], timeScale: SCALE, seed: 5, bootMs: 30_000, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls.linode!;

  // The limit is live: a raw burst of 21 creates meets a 429 with its headers. At real time, so
  // a loaded machine cannot spread the burst over two windows.
  const live = await startEmulator({ providers: ['linode'], timeScale: 1, seed: 5 });
  t.after(() => live.close());
  const burst = await Promise.all(
    Array.from({ length: 21 }, (_, i) =>
      fetch(`${live.urls.linode}/v4/linode/instances`, {
        method: 'POST',
        headers: { authorization: 'Bearer burst-account', 'content-type': 'application/json' },
        body: JSON.stringify({ label: `burst-${i}`, region: 'us-east', type: 'g6-nanode-1' }),
      }),
    ),
  );
  const refused = burst.filter((r) => r.status === 429);
  assert.equal(refused.length, 1, 'the 21st create in a window is refused');
  assert.equal(refused[0]!.headers.get('x-ratelimit-limit'), '20');
  assert.equal(refused[0]!.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(refused[0]!.headers.get('retry-after')) >= 1);

  const provider = await withDefaults().create('linode', {
    credentials: { token: 'fleet-token-linode' },
    endpoint: url,
    timeouts: { pollIntervalMs: 20, instanceReadyMs: 120_000, actionCompleteMs: 60_000, httpRequestMs: 10_000 },
    http: { timeScale: SCALE, budgets: new Map() },
  });
  const requests = Array.from({ length: FLEET }, (_, i) => ({ name: `fleet-${i}`, region: 'us-east', size: 'g6-nanode-1', image: parseImageSpec('ubuntu-24.04') }));
  const started = Date.now();
  const result = await provisionFleet(provider, requests);
  const elapsedMs = Date.now() - started;

  const creates = exchanges.filter((x) => x.method === 'POST' && x.path === '/v4/linode/instances');
  const seen429 = exchanges.filter((x) => x.status === 429).length;
  const surfaced429 = result.failed.filter((f) => ProviderError.is(f.error, 'rate_limited')).length;
  t.diagnostic(`requests ${exchanges.length} (creates ${creates.length}), 429s answered ${seen429}, 429s surfaced ${surfaced429}, failed ${result.failed.length}, ${elapsedMs} ms real = ${(elapsedMs * SCALE) / 1000} s emulated`);

  assert.deepEqual(result.failed.map((f) => String(f.error)), [], 'every create succeeded');
  assert.equal(result.ready.length, FLEET, 'all ready');
  assert.equal(creates.length, FLEET, 'one create request per Linode');
  assert.equal(seen429, 0, 'the emulator never had to refuse a request');
  assert.equal(surfaced429, 0);
  // 100 creates at 20 per 15 s need at least four more windows after the first.
  assert.ok(elapsedMs * SCALE >= 4 * 15_000, `paced over at least 60 s of emulated time (took ${(elapsedMs * SCALE) / 1000} s)`);
  assert.equal((await provider.listInstances()).length, FLEET);
});
