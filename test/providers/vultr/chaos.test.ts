/**
 * Chaos on Vultr alone (seeded): a fleet of 20 while the emulator injects 10% 5xx, 5% 429, 3%
 * connection resets after the change was applied. Each server keeps its create id across the
 * caller's retries; the fleet must converge with no duplicate and no leak, and every exchange
 * (injected answers included) must match the official description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, isAmbiguousCreateFailure, parseImageSpec, ProviderError, type Instance } from '../../../src/core/index.js';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { createProvider } from '../../../src/providers/vultr/index.js';
import { target } from './contract-target.js';

const FLEET = 20;

test(`chaos: a Vultr fleet of ${FLEET} (cloud and bare metal) converges under injected faults with no duplicate and no leak`, async (t) => {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({
    providers: ['vultr'],
    timeScale: 1000,
    bootMs: 4_000,
    seed: 424242,
    faults: { error5xx: 0.1, rate429: 0.05, resetAfterCommit: 0.2 },
    observe: (x) => exchanges.push(x),
  });
  t.after(() => emu.close());
  const p = createProvider({
    credentials: target.credentials(target.secret),
    endpoint: emu.urls.vultr!,
    timeouts: { pollIntervalMs: 2, instanceReadyMs: 120_000, actionCompleteMs: 120_000, httpRequestMs: 10_000 },
    http: { timeScale: 1000, backoffMs: () => 0, budgets: new Map() },
  });
  const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(ProviderError.is(err) && (err.retryable || isAmbiguousCreateFailure(err))) || attempt >= 10) throw err;
      }
    }
  };
  const fleet = Array.from({ length: FLEET }, (_, i) => ({
    name: `chaos-${i}`,
    region: 'ewr',
    size: i % 5 === 0 ? 'vbm-4c-32gb' : 'vc2-1c-1gb',
    image: parseImageSpec('ubuntu-24.04'),
    createId: `c4a05000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  }));
  const made: Instance[] = await Promise.all(
    fleet.map(async (req) => {
      const inst = await retrying(() => p.createInstance(req));
      return retrying(() => p.waitReady(inst.id));
    }),
  );
  const found = await retrying(() => p.listInstances({ all: true }));
  assert.equal(found.length, FLEET);
  assert.deepEqual(found.map((i) => i.labels[CREATE_ID_KEY]).sort(), fleet.map((r) => r.createId).sort(), 'each create id once');
  assert.deepEqual(new Set(found.map((i) => i.id)), new Set(made.map((i) => i.id)), 'the ids returned are the ones that exist');
  assert.equal(found.filter((i) => i.size === 'vbm-4c-32gb').length, 4);
  await Promise.all(made.map((i) => retrying(() => p.destroyInstance(i.id))));
  assert.deepEqual(await retrying(() => p.listInstances({ all: true })), []);
  const injected = { e5xx: exchanges.filter((x) => x.status === 503).length, e429: exchanges.filter((x) => x.status === 429).length, resets: exchanges.filter((x) => x.reset).length };
  t.diagnostic(`${exchanges.length} requests; injected ${JSON.stringify(injected)}`);
  assert.ok(injected.e5xx > 0 && injected.e429 > 0 && injected.resets > 0, `every kind of fault was injected: ${JSON.stringify(injected)}`);
  const spec = target.spec();
  if ('missing' in spec) return t.diagnostic(spec.missing);
  const errors = exchanges.flatMap((x) => spec.check(x));
  assert.deepEqual(errors.slice(0, 10), [], `${errors.length} problems`);
});
