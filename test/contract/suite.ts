/**
 * The shared contract suite (DESIGN.md conventions 5, 7, 10): the same behaviour asked of
 * every driver, each created through withDefaults().create() against its emulated API.
 * Every request a test causes and every response the emulator gives is checked against the
 * provider's official description; a missing description skips loudly.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  CREATE_ID_KEY,
  FEATURES,
  MANAGED_BY_KEY,
  parseImageSpec,
  ProviderError,
  UserError,
  destroyOwned,
  ensureOwned,
  powerOwned,
  reinstallIpxeOwned,
  type Feature,
  type Instance,
  type Provider,
} from '../../src/core/index.js';
import { startEmulator, type Emulator, type Exchange } from '../../src/emulator/index.js';
import { withDefaults } from '../../src/providers/registry.js';
import type { ContractTarget, RawApi } from './targets.js';

const TIME_SCALE = 1000;

export interface ContractHarness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  provider: Provider;
  /** The same driver with another secret (e.g. one the emulator refuses). */
  withSecret(secret: string): Promise<Provider>;
  raw: RawApi;
  /** A subtest: every exchange so far matches the official description (skipped loudly without it). */
  assertConformant(): Promise<void>;
}

/**
 * A fresh emulator of one API and the driver pointed at it. The behaviour is checked whether or
 * not the official description is on this machine; without it, the conformance subtest skips loudly.
 */
export async function contractHarness(t: TestContext, target: ContractTarget): Promise<ContractHarness> {
  const exchanges: Exchange[] = [];
  const apis = target.fixture ? { [target.provider]: target.fixture.createApi } : undefined;
  const emu = await startEmulator({ providers: [target.provider], timeScale: TIME_SCALE, seed: 11, observe: (x) => exchanges.push(x), ...(apis ? { apis } : {}) });
  const registry = withDefaults();
  if (target.fixture) registry.register(target.fixture.descriptor);
  t.after(() => emu.close());
  const url = emu.urls[target.provider]!;
  const make = (secret: string) =>
    registry.create(target.provider, {
      credentials: target.credentials(secret),
      endpoint: url,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: 30_000, actionCompleteMs: 30_000, httpRequestMs: 5_000 },
      http: { timeScale: TIME_SCALE, backoffMs: () => 0, budgets: new Map() },
      ...(target.options ? { options: target.options } : {}),
    });
  return {
    emu,
    url,
    exchanges,
    provider: await make(target.secret),
    withSecret: make,
    raw: target.raw(url, target.secret),
    async assertConformant() {
      assert.ok(exchanges.length > 0, 'the test made no requests');
      const seen = [...exchanges];
      await t.test(`every request and response (${seen.length}) matches the official ${target.provider} description`, (st) => {
        const spec = target.spec();
        if ('missing' in spec) {
          console.warn(`\n*** CONTRACT SUITE (${target.provider}): ${spec.missing} ***\n`);
          st.skip(spec.missing);
          return;
        }
        const errors = seen.flatMap((x) => spec.check(x));
        assert.deepEqual(errors.slice(0, 20), [], `${errors.length} problems`);
      });
    },
  };
}

const LABELS = { app: 'shop', tier: 'front' };

function request(target: ContractTarget, name: string, extra: { labels?: Record<string, string>; createId?: string } = {}) {
  return { name, region: target.valid.region, size: target.valid.size, image: parseImageSpec(target.valid.image), ...extra };
}

const isKind = (kind: string, also?: (e: ProviderError) => boolean) => (e: unknown) => {
  assert.ok(ProviderError.is(e), `expected a ProviderError, got ${String(e)}`);
  assert.equal(e.kind, kind, `expected kind ${kind}: ${e.message}`);
  if (also) assert.ok(also(e), `unexpected error: ${e.message}`);
  return true;
};

/** Each optional feature's calls, for the not_supported checks. */
const FEATURE_CALLS: Record<Feature, ((p: Provider) => Promise<unknown>)[]> = {
  instances: [],
  snapshots: [(p) => p.createSnapshot('101', 'snap-one'), (p) => p.listSnapshots(), (p) => p.deleteSnapshot('101')],
  sshKeys: [(p) => p.getSshKeys()],
  networks: [(p) => p.findOrCreateNetwork('net-a'), (p) => p.getNetworkByName('net-a'), (p) => p.deleteNetwork('1')],
  firewalls: [(p) => p.findOrCreateFirewall('fw-a'), (p) => p.getFirewallByName('fw-a'), (p) => p.deleteFirewall('1')],
  volumes: [
    (p) => p.createVolume({ name: 'vol-a', sizeGb: 10, region: 'r' }),
    (p) => p.getVolume('1'),
    (p) => p.getVolumeByName('vol-a'),
    (p) => p.attachVolume('1', '101'),
    (p) => p.detachVolume('1'),
    (p) => p.deleteVolume('1'),
  ],
  power: [(p) => p.startInstance('101'), (p) => p.stopInstance('101'), (p) => p.rebootInstance('101')],
  validation: [(p) => p.validateCredentials(), (p) => p.validateRegion('r'), (p) => p.validateInstanceType('s')],
  offers: [(p) => p.listOffers()],
  reinstallIpxe: [(p) => p.reinstallIpxe('101', 'http://127.0.0.1:9/boot.ipxe')],
  batchCreate: [(p) => p.createBatch([{ name: 'batch-a', region: 'r', size: 's', image: { kind: 'ubuntu', version: '24.04' } }])],
  batchDestroy: [(p) => p.destroyBatch({ fleet: 'f' }, [])],
};

/** An unsupported service refuses every call with its reason and sends nothing. */
async function assertRefused(h: ContractHarness, feature: Feature): Promise<void> {
  const cap = h.provider.capabilities[feature];
  assert.ok(!cap.supported);
  for (const call of FEATURE_CALLS[feature]) await assert.rejects(call(h.provider), isKind('not_supported', (e) => e.message.includes(cap.reason)));
  assert.equal(h.exchanges.length, 0, 'an unsupported call sends nothing');
}

/** Registers the contract tests of one driver. */
export function contractSuite(target: ContractTarget): void {
  const name = (what: string) => `${target.provider}: ${what}`;

  test(name('create with labels → get → list (managed only; all includes the rest) → waitReady → destroy twice'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    const createId = 'c0ffee00-0000-4000-8000-00000000c0de';
    const created = await p.createInstance(request(target, 'contract-1', { labels: LABELS, createId }));
    assert.equal(created.provider, target.provider);
    assert.equal(created.name, 'contract-1');
    assert.deepEqual(created.labels, { ...LABELS, [MANAGED_BY_KEY]: 'ferry', [CREATE_ID_KEY]: createId });
    assert.equal(h.exchanges.filter(target.isCreate).length, 1, 'one create request');

    const got = await p.getInstance(created.id);
    assert.ok(got, 'getInstance finds the new instance');
    assert.deepEqual(pick(got), pick(created));
    assert.equal(await p.getInstance(target.missingId), null);

    const foreignId = await target.rawUnmanaged(h.raw, 'hand-made');
    const managed = await p.listInstances();
    assert.deepEqual(managed.map((i) => i.id), [created.id], 'only the managed instance is listed');
    assert.ok(managed.every((i) => i.labels[MANAGED_BY_KEY] === 'ferry'));
    const all = await p.listInstances({ all: true });
    assert.deepEqual(all.map((i) => i.id).sort(), [created.id, foreignId].sort(), '{ all: true } includes the unmanaged one');
    assert.deepEqual((await p.listInstances({ labels: { app: 'shop' } })).map((i) => i.id), [created.id]);
    assert.deepEqual(await p.listInstances({ labels: { app: 'other' } }), []);

    const ready = await p.waitReady(created.id);
    assert.equal(ready.id, created.id);
    assert.equal(ready.status.state, 'active');
    assert.ok(ready.ipv4 || ready.ipv6, 'a ready instance has an address');
    if (ready.ipv4) assert.match(ready.ipv4, /^\d{1,3}(\.\d{1,3}){3}$/);
    assert.deepEqual(ready.labels, created.labels);

    await p.destroyInstance(created.id);
    assert.equal(await p.getInstance(created.id), null, 'gone after destroy');
    assert.deepEqual(await p.listInstances(), []);
    await p.destroyInstance(created.id); // again: success
    await p.destroyInstance(target.missingId); // never existed: success
    assert.equal(await p.getInstance('not-an-id'), null, 'an id of the wrong shape is not found');
    await p.destroyInstance('not-an-id');
    await assert.rejects(p.waitReady(created.id), isKind('not_found'), 'waiting for a destroyed instance fails at once');
    assert.deepEqual((await p.listInstances({ all: true })).map((i) => i.id), [foreignId], 'the unmanaged instance is untouched');
    await h.assertConformant();
  });

  test(name('a create repeated by the caller with the same create id returns the instance it made; nothing is created twice'), async (t) => {
    // What a user's tool does when a create's outcome is unknown (its answer, or the driver's own
    // lookup after an ambiguous failure, was lost): call again with the same create id.
    const h = await contractHarness(t, target);
    const p = h.provider;
    const req = request(target, 'again-1', { labels: LABELS, createId: 'c0ffee00-0000-4000-8000-0000000a6a17' });
    const first = await p.createInstance(req);
    const again = await p.createInstance(req).catch((e: unknown) => e);
    const sent = h.exchanges.filter(target.isCreate).length;
    const listed = await p.listInstances();
    assert.ok(!(again instanceof Error), `the repeated create failed instead of returning the instance it made: ${String(again)}`);
    assert.equal((again as Instance).id, first.id, 'the same instance comes back');
    assert.equal(sent, 1, 'one create request in all');
    assert.deepEqual(listed.map((i) => i.id), [first.id], 'one instance carries the create id');
    await h.assertConformant();
  });

  test(name('a stale id that now names another server is refused on destroy, stop and reinstall; the server survives'), async (t) => {
    // A record ferry kept (create id, name) whose id now names a server made behind ferry's back,
    // or a ferry server of another create: every state-changing call re-reads and refuses.
    const h = await contractHarness(t, target);
    const p = h.provider;
    const stale = { createId: 'c0ffee00-0000-4000-8000-0000000057a1', name: 'web' };
    const foreignId = await target.rawUnmanaged(h.raw, 'someone-else');
    const other = await p.createInstance(request(target, 'other-1', { createId: 'c0ffee00-0000-4000-8000-00000000a7e2' }));
    await p.waitReady(other.id);
    const notOwned = (id: string, name: string) => isKind('conflict', (e) => e.code === 'not_owned' && e.message.includes(stale.createId) && e.message.includes(name) && e.subject === id);
    for (const [id, label] of [[foreignId, 'someone-else'], [other.id, 'other-1']] as const) {
      // The refusal names what the id now is, as the provider reports it (Robot and OVH name their servers themselves).
      const found = await p.getInstance(id);
      assert.ok(found, `${label} exists`);
      const foundName = found.name;
      const before = found.status.state;
      await assert.rejects(ensureOwned(p, id, stale), notOwned(id, foundName));
      await assert.rejects(destroyOwned(p, id, stale), notOwned(id, foundName), 'destroy');
      if (p.capabilities.power.supported) await assert.rejects(powerOwned(p, id, 'stop', stale), notOwned(id, foundName), 'stop');
      else await assert.rejects(powerOwned(p, id, 'stop', stale), isKind('not_supported'));
      if (p.capabilities.reinstallIpxe.supported) await assert.rejects(reinstallIpxeOwned(p, id, 'http://127.0.0.1:9/boot.ipxe', stale), notOwned(id, foundName), 'reinstall');
      else await assert.rejects(reinstallIpxeOwned(p, id, 'http://127.0.0.1:9/boot.ipxe', stale), isKind('not_supported'));
      const survivor = await p.getInstance(id);
      assert.ok(survivor, `${label} survives`);
      assert.equal(survivor.status.state, before, `${label} was not stopped`);
    }
    // The record that matches is acted on; one whose id is gone is 'gone', never an error.
    const mine = { createId: other.labels[CREATE_ID_KEY]!, name: 'other-1', createdAt: other.createdAt };
    assert.equal((await ensureOwned(p, other.id, mine)).id, other.id);
    assert.equal(await destroyOwned(p, other.id, mine), 'destroyed');
    assert.equal(await destroyOwned(p, other.id, mine), 'gone');
    assert.ok(await p.getInstance(foreignId), 'the hand-made server is untouched');
  });

  test(name('listInstances returns every instance, following every page where the API pages'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    // An API that lists everything in one answer still has to return all of them, and only ferry's.
    const count = (target.pageSize ?? 2) + 1;
    const names = Array.from({ length: count }, (_, i) => `page-${i}`);
    await inBatches(names, 10, (n) => p.createInstance(request(target, n)));
    const foreignId = await target.rawUnmanaged(h.raw, 'hand-made');
    h.exchanges.length = 0;

    const managed = await p.listInstances();
    assert.deepEqual(managed.map((i) => i.name).sort(), [...names].sort());
    assert.equal(new Set(managed.map((i) => i.id)).size, count, 'no instance twice across pages');
    assert.ok(!managed.some((i) => i.id === foreignId));
    if (target.pageSize !== null) {
      const pages = h.exchanges.map(target.listPage).filter((n): n is number => n !== null);
      assert.ok(Math.max(...pages) >= 2, `more than one page was read (pages: ${pages.join(', ')})`);
    }
    const all = await p.listInstances({ all: true });
    assert.equal(all.length, count + 1);
    await h.assertConformant();
  });

  test(name('validateRequest only reads: with a new public key, nothing is created or registered'), async (t) => {
    const h = await contractHarness(t, target);
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl contract@ferry';
    await h.provider.validateRequest({ ...request(target, 'validate-1'), sshKeys: [key] });
    assert.ok(h.exchanges.length > 0, 'validation reads the provider\'s lists');
    assert.deepEqual([...new Set(h.exchanges.map((x) => x.method))], ['GET'], 'only GET requests');
  });

  test(name('power: stop reaches off, start and reboot reach active, on a missing instance not_found — or not_supported'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    if (!p.capabilities.power.supported) return assertRefused(h, 'power');
    const inst = await p.createInstance(request(target, 'power-1'));
    await p.waitReady(inst.id);
    assert.equal((await p.stopInstance(inst.id)).status.state, 'off');
    assert.equal((await p.getInstance(inst.id))?.status.state, 'off', 'off as read again');
    assert.equal((await p.startInstance(inst.id)).status.state, 'active');
    assert.equal((await p.rebootInstance(inst.id)).status.state, 'active');
    await assert.rejects(p.stopInstance(target.missingId), isKind('not_found'));
    await p.destroyInstance(inst.id);
    await h.assertConformant();
  });

  test(name('networks, firewalls: find-or-create twice gives one, get by name, delete twice — or not_supported'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    for (const [feature, make, byName, drop] of [
      ['networks', (n: string) => p.findOrCreateNetwork(n), (n: string) => p.getNetworkByName(n), (id: string) => p.deleteNetwork(id)],
      ['firewalls', (n: string) => p.findOrCreateFirewall(n), (n: string) => p.getFirewallByName(n), (id: string) => p.deleteFirewall(id)],
    ] as const) {
      if (!p.capabilities[feature].supported) {
        await assertRefused(h, feature);
        continue;
      }
      const a = await make(`ferry-${feature}-a`);
      const b = await make(`ferry-${feature}-a`);
      assert.equal(b.id, a.id, `${feature}: find-or-create twice gives one`);
      assert.equal((await byName(`ferry-${feature}-a`))?.id, a.id);
      assert.equal(await byName(`ferry-${feature}-missing`), null, `${feature}: a missing one is null`);
      await drop(a.id);
      await drop(a.id);
      assert.equal(await byName(`ferry-${feature}-a`), null, `${feature}: gone after delete`);
    }
    if (h.exchanges.length) await h.assertConformant();
  });

  test(name('volumes: create, get, attach, detach, delete twice; a missing one is null — or not_supported'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    if (!p.capabilities.volumes.supported) return assertRefused(h, 'volumes');
    const inst = await p.createInstance(request(target, 'vol-host'));
    const ready = await p.waitReady(inst.id);
    const vol = await p.createVolume({ name: 'ferry-vol-a', sizeGb: 10, region: ready.region });
    assert.equal((await p.getVolume(vol.id))?.name, 'ferry-vol-a');
    assert.equal((await p.getVolumeByName('ferry-vol-a'))?.id, vol.id);
    assert.equal((await p.attachVolume(vol.id, inst.id)).instanceId, inst.id);
    assert.equal((await p.detachVolume(vol.id)).instanceId, null);
    await p.deleteVolume(vol.id);
    await p.deleteVolume(vol.id);
    assert.equal(await p.getVolume(vol.id), null);
    await p.destroyInstance(inst.id);
    await h.assertConformant();
  });

  test(name('snapshots: create, list (ferry\'s only), delete, delete again — or not_supported with the reason'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    const cap = p.capabilities.snapshots;
    assert.equal(p.supportsSnapshots(), cap.supported);
    if (!cap.supported) {
      for (const call of FEATURE_CALLS.snapshots) {
        await assert.rejects(call(p), isKind('not_supported', (e) => e.message.includes(cap.reason)));
      }
      assert.equal(h.exchanges.length, 0, 'an unsupported call sends nothing');
      return;
    }
    const inst = await p.createInstance(request(target, 'snap-src'));
    const ready = await p.waitReady(inst.id);
    const handMade = await target.rawSnapshot(h.raw, inst.id, ready.region);

    const snap = await p.createSnapshot(inst.id, target.snapshotName);
    assert.equal(snap.provider, target.provider);
    assert.equal(snap.name, target.snapshotName);
    const rawNames = await target.rawSnapshotNames(h.raw, inst.id, ready.region);
    assert.ok(rawNames.includes(handMade), `the hand-made snapshot exists (${rawNames.join(', ')})`);

    const listed = await p.listSnapshots();
    assert.deepEqual(listed.map((s) => s.id), [snap.id], 'only ferry\'s snapshot is listed');
    assert.ok(!listed.some((s) => s.name === handMade));

    await p.deleteSnapshot(snap.id);
    assert.deepEqual(await p.listSnapshots(), []);
    await p.deleteSnapshot(snap.id); // again: success
    await p.deleteSnapshot(target.missingSnapshotId); // never existed: success
    const deletes = () => h.exchanges.filter((x) => x.method === 'DELETE' || /delete/i.test(x.path + x.query + JSON.stringify(x.requestBody ?? ''))).length;
    const sent = deletes();
    const ferrys = await p.createSnapshot(inst.id, target.snapshotName);
    // An id that names no snapshot of ferry's (someone else's, or gone) is re-read and left alone: nothing is deleted.
    await p.deleteSnapshot(`${ferrys.id}0`);
    assert.equal(deletes(), sent, 'no delete was sent for an id that is not ferry\'s');
    await p.deleteSnapshot(ferrys.id);
    await assert.rejects(p.createSnapshot(target.missingId, target.snapshotName), isKind('not_found'));
    assert.ok((await target.rawSnapshotNames(h.raw, inst.id, ready.region)).includes(handMade), 'the hand-made snapshot is untouched');
    await p.destroyInstance(inst.id);
    await h.assertConformant();
  });

  test(name('every capability declared unsupported rejects with not_supported naming its reason, sending nothing'), async (t) => {
    const h = await contractHarness(t, target);
    const p = h.provider;
    assert.deepEqual(Object.keys(p.capabilities).sort(), [...FEATURES].sort(), 'every feature is declared');
    assert.equal(p.capabilities.instances.supported, true);
    const unsupported = FEATURES.filter((f) => !p.capabilities[f].supported);
    for (const feature of unsupported) {
      const cap = p.capabilities[feature];
      assert.ok(!cap.supported && cap.reason.trim().length > 0, `${feature} has a reason`);
      for (const call of FEATURE_CALLS[feature]) {
        await assert.rejects(
          call(p),
          isKind('not_supported', (e) => e.message.includes(cap.reason) && e.subject === feature),
          `${feature} is not supported`,
        );
      }
    }
    assert.equal(h.exchanges.length, 0, 'unsupported calls reach no API');
    t.diagnostic(`${target.provider} unsupported: ${unsupported.join(', ') || 'none'}`);
  });

  test(name('a refused credential is an authentication error on get, list and destroy (never null, never success)'), async (t) => {
    const h = await contractHarness(t, target);
    const inst = await h.provider.createInstance(request(target, 'auth-1'));
    const badSecret = 'invalid-secret-0000-contract';
    const bad = await h.withSecret(badSecret);
    const auth = isKind('authentication', (e) => !e.message.includes(badSecret) && e.status === 401);
    await assert.rejects(bad.getInstance(inst.id), auth);
    await assert.rejects(bad.getInstance(target.missingId), auth);
    await assert.rejects(bad.listInstances(), auth);
    await assert.rejects(bad.listInstances({ all: true }), auth);
    await assert.rejects(bad.destroyInstance(inst.id), auth);
    await assert.rejects(bad.destroyInstance(target.missingId), auth);
    await assert.rejects(bad.waitReady(inst.id), auth);
    await assert.rejects(bad.createInstance(request(target, 'auth-2')), auth, 'a create with refused credentials is not a UserError');
    if (bad.supportsSnapshots()) {
      await assert.rejects(bad.listSnapshots(), auth);
      await assert.rejects(bad.deleteSnapshot(target.missingSnapshotId), auth);
    }
    if (bad.capabilities.validation.supported) await assert.rejects(bad.validateCredentials(), auth);
    assert.ok(await h.provider.getInstance(inst.id), 'the instance is still there');
    assert.ok(h.exchanges.some((x) => x.status === 401));
    await h.provider.destroyInstance(inst.id);
    await h.assertConformant();
  });

  test(name('an invalid name or label is a UserError before any request'), async (t) => {
    const h = await contractHarness(t, target);
    for (const req of [request(target, 'Not_A_Name'), request(target, 'ok-name', { labels: { team: 'two words' } })]) {
      await assert.rejects(h.provider.createInstance(req), (e: unknown) => UserError.is(e));
    }
    assert.equal(h.exchanges.length, 0, 'nothing was sent');
  });

  for (const field of ['region', 'size', 'image'] as const) {
    test(name(`an unknown ${field} is a UserError naming valid choices, and no create reaches the API`), async (t) => {
      const h = await contractHarness(t, target);
        const bad = target.invalid[field];
      const req = { ...request(target, `bad-${field}`), ...(field === 'image' ? { image: parseImageSpec(bad.value) } : { [field]: bad.value }) };
      await assert.rejects(h.provider.createInstance(req), (e: unknown) => {
        assert.ok(UserError.is(e), `expected a UserError, got ${String(e)}`);
        const text = `${e.message}\n${e.hint ?? ''}`;
        assert.ok(text.includes(bad.value), `the error names "${bad.value}": ${text}`);
        assert.match(text, bad.names, 'the error names valid choices');
        return true;
      });
      assert.equal(h.exchanges.filter(target.isCreate).length, 0, 'no create request was sent');
      assert.ok(h.exchanges.every((x) => x.method === 'GET'), 'only lookups were sent');
      assert.deepEqual(await h.provider.listInstances({ all: true }), []);
      await h.assertConformant();
    });
  }
}

function pick(i: Instance) {
  return { provider: i.provider, id: i.id, name: i.name, region: i.region, size: i.size, labels: i.labels, createdAt: i.createdAt };
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
