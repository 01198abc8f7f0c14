/**
 * Chaos (seeded): a fleet of 50 across the three emulated providers while the emulator injects
 * 10% 5xx, 5% 429, 2% connection resets after the change was applied and 5% slow answers.
 * Creates go through each driver's createInstance (which looks its create id up after an
 * ambiguous failure); the caller retries retryable failures the way a user's tool would, each
 * logical server keeping its create id across attempts. The fleet must converge with no
 * duplicate and no leaked server, and destroying it must leave nothing labelled managed-by=ferry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CREATE_ID_KEY,
  isAmbiguousCreateFailure,
  MANAGED_BY_KEY,
  parseImageSpec,
  ProviderError,
  type Instance,
  type InstanceRequest,
  type Provider,
} from '../../src/core/index.js';
import { startEmulator, type Exchange, type FaultSpec } from '../../src/emulator/index.js';
import { withDefaults } from '../../src/providers/registry.js';
import { allTargets } from '../contract/all-targets.js';
import type { ContractTarget } from '../contract/targets.js';

const TARGETS = await allTargets();

const FLEET = 50;
const SEED = 20_260_101;
const TIME_SCALE = 1000;
const FAULTS: FaultSpec = { error5xx: 0.1, rate429: 0.05, resetAfterCommit: 0.05, slow: 0.05, slowMs: 30 };
/** Attempts a caller makes of one operation before giving up. */
const CALLER_ATTEMPTS = 10;

interface Server {
  target: ContractTarget;
  provider: Provider;
  request: InstanceRequest & { createId: string };
  created?: Instance;
}

/**
 * The engine injects its 5xx as 503 (no emulated handler answers 503) and its 429s with the
 * API's own body; the accounts' real limits (DigitalOcean 5,000, Hetzner 3,600 requests in the
 * bucket) are far from reached by this fleet (checked below), so every 429 seen is injected.
 */
const injected5xx = (x: Exchange) => x.status === 503;
const injected429 = (x: Exchange) => x.status === 429;
const BUCKET: Record<string, number> = { digitalocean: 5000, hetzner: 3600 };

test(`chaos: a fleet of ${FLEET} across the emulated providers converges under injected faults, with no duplicate and no leak`, async (t) => {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({
    providers: TARGETS.map((x) => x.provider),
    timeScale: TIME_SCALE,
    seed: SEED,
    faults: FAULTS,
    observe: (x) => exchanges.push(x),
  });
  t.after(() => emu.close());

  const providers = new Map<string, Provider>();
  for (const target of TARGETS) {
    providers.set(
      target.provider,
      await withDefaults().create(target.provider, {
        credentials: target.credentials(target.secret),
        endpoint: emu.urls[target.provider]!,
        timeouts: { pollIntervalMs: 2, instanceReadyMs: 120_000, actionCompleteMs: 120_000, httpRequestMs: 10_000 },
        http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map() },
      }),
    );
  }

  let callerRetries = 0;
  /** A user's tool: retry what the error says is retryable (or an ambiguous create), a bounded number of times. */
  async function retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const again = ProviderError.is(err) && (err.retryable || isAmbiguousCreateFailure(err));
        if (!again || attempt >= CALLER_ATTEMPTS) {
          throw new Error(`${what} failed after ${attempt} attempt(s): ${String(err)}`, { cause: err });
        }
        callerRetries++;
        await new Promise((ok) => setTimeout(ok, 2));
      }
    }
  }

  const fleet: Server[] = Array.from({ length: FLEET }, (_, i) => {
    const target = TARGETS[i % TARGETS.length]!;
    const region = target.provider === 'proxmox' ? (i % 2 ? 'pve2' : 'pve1') : target.valid.region;
    return {
      target,
      provider: providers.get(target.provider)!,
      request: {
        name: `fleet-${String(i).padStart(2, '0')}`,
        region,
        size: target.valid.size,
        image: parseImageSpec(target.valid.image),
        labels: { fleet: 'chaos' },
        createId: `f1ee7000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      },
    };
  });

  // Create all at once, then wait for every one to be ready.
  await Promise.all(
    fleet.map(async (s) => {
      s.created = await retrying(`create ${s.request.name}`, () => s.provider.createInstance(s.request));
      const ready = await retrying(`waitReady ${s.request.name}`, () => s.provider.waitReady(s.created!.id));
      assert.equal(ready.status.state, 'active');
      assert.ok(ready.ipv4 || ready.ipv6, `${s.request.name} has an address`);
    }),
  );

  // Everything in every account, read with retries (the faults stay on).
  const everything = async () => {
    const lists = await Promise.all(TARGETS.map((target) => retrying(`list ${target.provider}`, () => providers.get(target.provider)!.listInstances({ all: true }))));
    return lists.flat();
  };
  const found = await everything();
  const wanted = new Map(fleet.map((s) => [s.request.createId, s]));
  const leaked = found.filter((i) => !wanted.has(i.labels[CREATE_ID_KEY] ?? ''));
  assert.deepEqual(leaked.map((i) => `${i.provider}/${i.id} ${i.name}`), [], 'every instance found is one we asked for');
  assert.ok(found.every((i) => i.labels[MANAGED_BY_KEY] === 'ferry'), 'every instance is labelled managed-by=ferry');
  assert.equal(found.length, FLEET, `exactly ${FLEET} instances across the providers`);
  const createIds = found.map((i) => i.labels[CREATE_ID_KEY]!);
  assert.equal(new Set(createIds).size, FLEET, 'no two instances share a create id (no duplicate)');
  assert.equal(new Set(found.map((i) => i.name)).size, FLEET, 'no two instances share a name');
  assert.deepEqual([...createIds].sort(), [...wanted.keys()].sort(), 'every create id accounted for');
  for (const i of found) {
    const s = wanted.get(i.labels[CREATE_ID_KEY]!)!;
    assert.equal(i.provider, s.target.provider, `${i.name} is on the provider it was asked of`);
    assert.equal(i.name, s.request.name);
    assert.equal(i.id, s.created!.id, `${i.name}: the id createInstance returned is the one that exists`);
    assert.equal(i.labels.fleet, 'chaos');
  }
  const perProvider = Object.fromEntries(TARGETS.map((x) => [x.provider, found.filter((i) => i.provider === x.provider).length]));

  // Destroy all, then nothing managed (or anything at all) is left on any provider.
  await Promise.all(fleet.map((s) => retrying(`destroy ${s.request.name}`, () => s.provider.destroyInstance(s.created!.id))));
  const left = await everything();
  assert.deepEqual(left.map((i) => `${i.provider}/${i.id} ${i.name}`), [], 'nothing is left after destroying the fleet');
  for (const target of TARGETS) {
    assert.deepEqual(await retrying(`list managed ${target.provider}`, () => providers.get(target.provider)!.listInstances()), []);
  }

  const count = (f: (x: Exchange) => boolean) => exchanges.filter(f).length;
  const faults = {
    requests: exchanges.length,
    e5xx: count(injected5xx),
    e429: count(injected429),
    resets: count((x) => x.reset),
    createResets: count((x) => x.reset && TARGETS.some((tg) => tg.isCreate(x))),
    createPosts: count((x) => TARGETS.some((tg) => tg.isCreate(x))),
  };
  console.log(
    `chaos fleet (seed ${SEED}): ${FLEET} servers (${Object.entries(perProvider).map(([k, v]) => `${k} ${v}`).join(', ')}) created, ready and destroyed; ` +
      `${faults.requests} requests, injected ${faults.e5xx} 5xx, ${faults.e429} 429, ${faults.resets} resets after commit (${faults.createResets} of them on the ${faults.createPosts} create requests) ` +
      `(slow answers are not observable); ${callerRetries} caller-level retries; 0 duplicates, 0 leaked`,
  );
  for (const [api, capacity] of Object.entries(BUCKET)) {
    assert.ok(count((x) => x.api === api) < capacity, `${api}: fewer requests than its rate-limit bucket, so its 429s are the injected ones`);
  }
  // Under faults too, every request and every answer (injected ones included) is per the official descriptions.
  for (const target of TARGETS) {
    const seen = exchanges.filter((x) => x.api === target.provider);
    await t.test(`${target.provider}: all ${seen.length} exchanges match the official description`, (st) => {
      const spec = target.spec();
      if ('missing' in spec) {
        console.warn(`\n*** CHAOS (${target.provider}): ${spec.missing} ***\n`);
        st.skip(spec.missing);
        return;
      }
      const errors = seen.flatMap((x) => spec.check(x));
      assert.deepEqual(errors.slice(0, 20), [], `${errors.length} problems`);
    });
  }
  assert.ok(faults.e5xx > 0 && faults.e429 > 0 && faults.resets > 0, 'faults of every kind were injected');
});
