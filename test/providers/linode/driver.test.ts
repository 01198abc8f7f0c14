/**
 * Linode-specific driver behaviour on the emulator: SSH keys and the one-time root password,
 * cloud-init user data, server-side X-Filter listings, booting from a snapshot, the firewall
 * option, credentials, live offers with region prices and GPUs, and the bundled price list.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { parseImageSpec, ProviderError, UserError, type Provider } from '../../../src/core/index.js';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { linodeDescriptor } from '../../../src/providers/linode/meta.js';
import { linodeSpec } from './contract-target.js';
import { withDefaults } from '../../../src/providers/registry.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKw1gdLvuvu1MiBVWQxZTRNdgvZ4NobQZfEh8JHUwcfd ops@example';
const OTHER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxVVbEHwcHg6S0h+7bJq9q5bFrO1fFzkxEwBNM6v1JK dev@example';

async function harness(t: TestContext, options: Record<string, string> = {}, timeScale = 1000) {
  const exchanges: Exchange[] = [];
  const filters: string[] = [];
  const emu = await startEmulator({ providers: ['linode'], timeScale, seed: 4, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls.linode!;
  const make = (token: string): Promise<Provider> =>
    withDefaults().create('linode', {
      credentials: { token },
      endpoint: url,
      options,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: 30_000, actionCompleteMs: 30_000 },
      http: {
        timeScale,
        budgets: new Map(),
        backoffMs: () => 0,
        fetch: (input, init) => {
          const f = new Headers(init?.headers).get('x-filter');
          if (f) filters.push(f);
          return fetch(input, init);
        },
      },
    });
  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: 'Bearer driver-token', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Every exchange so far against the official description. */
  const conformant = () => {
    const spec = linodeSpec();
    if ('missing' in spec) return t.diagnostic(spec.missing);
    assert.deepEqual(exchanges.flatMap((x) => spec.check(x)).slice(0, 10), []);
  };
  return { provider: await make('driver-token'), make, exchanges, filters, raw, conformant };
}

const req = (name: string, extra: Record<string, unknown> = {}) => ({ name, region: 'us-east', size: 'g6-nanode-1', image: parseImageSpec('ubuntu-24.04'), ...extra });
const creates = (xs: Exchange[]) => xs.filter((x) => x.method === 'POST' && x.path === '/v4/linode/instances');

test('keys: a profile key by label and a raw key go into authorized_keys; no root password comes back', async (t) => {
  const h = await harness(t);
  assert.equal((await h.raw('POST', '/v4/profile/sshkeys', { label: 'ops', ssh_key: KEY })).status, 200);
  const inst = await h.provider.createInstance(req('keys-1', { sshKeys: ['ops', OTHER_KEY], userData: '#cloud-config\nruncmd: [touch /ok]\n' }));
  assert.equal(inst.initialRootPassword, undefined);
  const sent = creates(h.exchanges)[0]!.requestBody as Record<string, any>;
  assert.deepEqual(sent.authorized_keys, [KEY, OTHER_KEY]);
  assert.equal(Buffer.from(sent.metadata.user_data, 'base64').toString(), '#cloud-config\nruncmd: [touch /ok]\n');
  assert.deepEqual((await h.provider.getSshKeys()).map((k) => [k.name, k.publicKey]), [['ops', KEY]]);
  h.conformant();
});

test('without keys the generated root password is returned once, and an unknown key is a UserError before any create', async (t) => {
  const h = await harness(t);
  const inst = await h.provider.createInstance(req('pass-1'));
  const sent = creates(h.exchanges)[0]!.requestBody as Record<string, any>;
  assert.ok(inst.initialRootPassword && inst.initialRootPassword.length >= 20);
  assert.equal(sent.root_pass, inst.initialRootPassword);
  const again = await h.provider.getInstance(inst.id);
  assert.equal(again?.initialRootPassword, undefined, 'never stored nor read back');
  await assert.rejects(h.provider.createInstance(req('pass-2', { sshKeys: ['nobody'] })), (e: unknown) => UserError.is(e) && /nobody/.test(e.message));
  assert.equal(creates(h.exchanges).length, 1);
  h.conformant();
});

test('a label too long for a Linode tag (50 characters) or a label Linode refuses is a UserError before any request', async (t) => {
  const h = await harness(t);
  await assert.rejects(h.provider.createInstance(req('tags-1', { labels: { team: 'x'.repeat(60) } })), (e: unknown) => UserError.is(e) && /50 characters/.test(e.message));
  await assert.rejects(h.provider.createInstance(req('9lives')), (e: unknown) => UserError.is(e) && /start with a letter/.test(`${e.message} ${e.hint}`));
  assert.equal(h.exchanges.length, 0);
});

test('listings and the create-id lookup filter on tags server-side with X-Filter', async (t) => {
  const h = await harness(t);
  const inst = await h.provider.createInstance(req('filter-1', { labels: { team: 'blue' }, createId: 'c0ffee00-0000-4000-8000-0000000f1173' }));
  assert.deepEqual((await h.provider.listInstances({ labels: { team: 'blue' } })).map((i) => i.id), [inst.id]);
  assert.deepEqual(await h.provider.listInstances({ labels: { team: 'red' } }), []);
  const parsed = h.filters.map((f) => JSON.parse(f));
  assert.ok(parsed.some((f) => JSON.stringify(f) === JSON.stringify({ '+and': [{ tags: 'managed-by:ferry' }, { tags: '_cid:c0ffee00-0000-4000-8000-0000000f1173' }] })), 'the create-id lookup');
  assert.ok(parsed.some((f) => JSON.stringify(f) === JSON.stringify({ '+and': [{ tags: 'managed-by:ferry' }, { tags: 'team:blue' }] })), 'the labelled listing');
  h.conformant();
});

test('a snapshot boots a new Linode; an image still being captured is refused before the create', async (t) => {
  const h = await harness(t);
  const src = await h.provider.createInstance(req('snap-src'));
  await h.provider.waitReady(src.id);
  const snap = await h.provider.createSnapshot(src.id, 'golden');
  assert.match(snap.id, /^private\/\d+$/);
  const clone = await h.provider.createInstance(req('from-snap', { image: parseImageSpec(`snapshot:${snap.id}`) }));
  assert.equal(clone.image, snap.id);
  h.conformant();
});

test('an image still being captured is refused before the create', async (t) => {
  // Real time: the capture takes 30 emulated seconds, so it is surely still running.
  const h = await harness(t, {}, 1);
  const src = await h.raw('POST', '/v4/linode/instances', { label: 'src-1', region: 'us-east', type: 'g6-nanode-1', image: 'linode/debian12', root_pass: 'Hand-made-Pass-9' });
  const disk = ((await h.raw('GET', `/v4/linode/instances/${src.body.id}/disks`)).body.data as { id: number; filesystem: string }[]).find((d) => d.filesystem === 'ext4')!;
  const pending = (await h.raw('POST', '/v4/images', { disk_id: disk.id, label: 'pending' })).body.id as string;
  await assert.rejects(h.provider.createInstance(req('too-early', { image: parseImageSpec(`snapshot:${pending}`) })), (e: unknown) => UserError.is(e) && /creating/.test(e.message));
  assert.equal(creates(h.exchanges).length, 1, 'only the hand-made create');
  h.conformant();
});

test('the firewall option puts every new Linode behind a firewall with inbound SSH', async (t) => {
  const h = await harness(t, { firewall: 'ferry-edge' });
  await h.provider.createInstance(req('fw-1'));
  const fw = await h.provider.getFirewallByName('ferry-edge');
  assert.ok(fw);
  assert.equal((creates(h.exchanges)[0]!.requestBody as Record<string, unknown>).firewall_id, Number(fw.id));
  const rules = (await h.raw('GET', `/v4/networking/firewalls/${fw.id}`)).body.rules;
  assert.deepEqual([rules.inbound_policy, rules.inbound[0].ports, rules.inbound[0].protocol], ['DROP', '22', 'TCP']);
  h.conformant();
});

test('volumes: created attached to a Linode in its region', async (t) => {
  const h = await harness(t);
  const inst = await h.provider.createInstance(req('vol-1'));
  const vol = await h.provider.createVolume({ name: 'data-1', sizeGb: 20, region: 'us-east', instanceId: inst.id });
  assert.deepEqual([vol.instanceId, vol.status, vol.sizeGb], [inst.id, 'active', 20]);
  await assert.rejects(h.provider.deleteVolume(vol.id), (e: unknown) => ProviderError.is(e, 'invalid_config'), 'attached volumes are not deleted');
  await h.provider.detachVolume(vol.id);
  await h.provider.deleteVolume(vol.id);
  assert.equal(await h.provider.getVolume(vol.id), null);
  h.conformant();
});

test('credentials: a refused token is an authentication error; a good one passes', async (t) => {
  const h = await harness(t);
  await h.provider.validateCredentials();
  const bad = await h.make('invalid-token');
  await assert.rejects(bad.validateCredentials(), (e: unknown) => ProviderError.is(e, 'authentication'));
  h.conformant();
});

test('live offers: region prices win, GPU plans carry their model; sizes list GPU regions only', async (t) => {
  const h = await harness(t);
  const offers = await h.provider.listOffers();
  const price = (plan: string, region: string) => offers.find((o) => o.plan === plan && o.region === region)?.priceMonthly;
  assert.equal(price('g6-standard-2', 'us-east'), 24);
  assert.equal(price('g6-standard-2', 'id-cgk'), 28.8);
  assert.equal(price('g6-nanode-1', 'br-gru'), 5);
  const gpus = offers.filter((o) => o.gpu);
  assert.deepEqual([...new Set(gpus.map((o) => o.gpu))].sort(), ['RTX 4000 Ada', 'RTX 6000']);
  assert.ok(gpus.every((o) => o.gpuCount >= 1 && o.gpuMemoryGb && o.currency === 'USD'));
  assert.ok(!gpus.some((o) => o.region === 'us-west'), 'no GPU offer where the region has no GPU Linodes');
  const rtx = (await h.provider.listSizes()).find((s) => s.id === 'g1-gpu-rtx6000-1')!;
  assert.deepEqual([rtx.gpu, rtx.priceHourly, rtx.regions.includes('us-east'), rtx.regions.includes('us-west')], ['RTX 6000', 1.5, true, false]);
  await assert.rejects(h.provider.createInstance(req('gpu-west', { size: 'g1-gpu-rtx6000-1', region: 'us-west' })), (e: unknown) => UserError.is(e) && /us-east/.test(`${e.message} ${e.hint}`));
  h.conformant();
});

test('the bundled price list is dated and covers the six Linode templates, GPUs included', async () => {
  const prices = linodeDescriptor.prices as { bundled: () => Promise<{ default: any }> };
  const doc = (await prices.bundled()).default;
  assert.match(doc.snapshotDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(doc.currency, 'USD');
  const plans = new Map<string, any>(doc.plans.map((p: any) => [p.plan, p]));
  for (const plan of ['g6-nanode-1', 'g6-standard-2', 'g6-standard-4', 'g6-dedicated-2', 'g6-dedicated-8', 'g1-gpu-rtx6000-1']) assert.ok(plans.has(plan), plan);
  const rtx = plans.get('g1-gpu-rtx6000-1');
  assert.deepEqual([rtx.gpu.model, rtx.prices[0].hourly, rtx.prices[0].monthly], ['RTX 6000', 1.5, 1000]);
  assert.equal(plans.get('g6-nanode-1').prices[0].hourly, 0.0075);
  for (const p of doc.plans) {
    assert.ok(p.prices.length > 0 && p.prices.every((x: any) => x.regions.length > 0 && x.monthly > 0), p.plan);
    assert.equal(p.bareMetal, false);
  }
});
