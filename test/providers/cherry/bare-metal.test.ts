/** The bare-metal scenarios on the Cherry Servers emulator: order, wait through stages, reinstall over iPXE, cancel, no stock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/cherry/index.js';
import { CREATE_PATH, ORDER, startCherry } from './support.js';

const STAGES = ['ordered', 'provisioning', 'installing', 'active'];

test('order: a deploy is waited for through ordered → provisioning → installing → active, each stage with elapsed time', async (t) => {
  // Emulated stages of minutes (300 ms, 600 ms, 1.5 s of real time here): the wait sees them pass.
  const h = await startCherry(t, { bootMs: 100_000 });
  const p = h.provider();
  const created = await p.createInstance(ORDER);
  assert.equal(created.status.state, 'new');
  assert.equal(created.labels['managed-by'], 'ferry', 'the create itself carries the labels as tags');
  const seen: Progress[] = [];
  const ready = await p.waitReady(created.id, { onProgress: (x) => seen.push(x) });
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  const phases = [...new Set(seen.map((x) => x.phase))];
  assert.deepEqual(phases, STAGES.slice(STAGES.length - phases.length), `stages in order: ${phases.join(' → ')}`);
  // Which stages a poll catches depends on the machine's load; stages.test.ts checks all four on fixtures.
  assert.ok(phases.length >= 2, `at least one stage before active: ${phases.join(' → ')}`);
  assert.ok(seen.every((x) => /after (\d+s|\d+m\d\ds|\d+h\d\dm)$/.test(x.message)), seen.map((x) => x.message).join(' | '));
  assert.deepEqual(h.violations, []);
});

test('order: the ready timeout defaults to hours for bare metal, and a setting still wins', () => {
  assert.equal(createProvider({ credentials: { token: 'x' } }).timeouts.instanceReadyMs, 4 * 3600_000);
  assert.equal(createProvider({ credentials: { token: 'x' }, timeouts: { instanceReadyMs: 60_000 } }).timeouts.instanceReadyMs, 60_000);
  assert.throws(() => createProvider({ credentials: { token: 'x' }, options: { cycle: 'weekly' } }), (e: unknown) => UserError.is(e));
});

test('order interrupted: the wait is cancelled, the order stays, a fresh process finds it by create id and waits on', async (t) => {
  const h = await startCherry(t, { bootMs: 100_000 });
  const createId = 'c0ffee00-0000-4000-8000-0000000c4e77';
  const created = await h.provider().createInstance({ ...ORDER, createId });
  const ctl = new AbortController();
  await assert.rejects(h.provider().waitReady(created.id, { signal: ctl.signal, onProgress: () => ctl.abort() }), (e: unknown) => ProviderError.is(e) && e.kind === 'cancelled');
  const second = h.provider();
  assert.deepEqual((await second.listInstances({ labels: { [CREATE_ID_KEY]: createId } })).map((i) => i.id), [created.id]);
  assert.equal((await second.createInstance({ ...ORDER, createId })).id, created.id, 'resuming the create returns the same server');
  assert.equal(h.requests('POST', CREATE_PATH).length, 1, 'one order in all');
  assert.equal((await second.waitReady(created.id)).status.state, 'active');
  assert.deepEqual(h.violations, []);
});

test('reinstall over iPXE: a rebuild whose user data is "#!ipxe / chain <url>", waited for until active again', async (t) => {
  const h = await startCherry(t);
  const p = h.provider();
  const server = await p.createInstance(ORDER);
  await p.waitReady(server.id);
  const seen: string[] = [];
  await p.reinstallIpxe(server.id, 'https://boot.example.com/talos.ipxe', { onProgress: (x) => seen.push(x.phase) });
  const sent = h.requests('POST', /^\/v1\/servers\/\d+\/actions$/).map((x) => x.requestBody as any);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].type, 'rebuild');
  assert.equal(sent[0].image, 'ubuntu_24_04_64bit');
  assert.equal(sent[0].hostname, 'metal-1');
  assert.equal(Buffer.from(sent[0].user_data, 'base64').toString(), '#!ipxe\nchain https://boot.example.com/talos.ipxe\n');
  assert.ok(sent[0].password.length >= 16, 'a random root password, as the API requires one');
  assert.deepEqual([...new Set(seen)], ['reinstall', 'installing', 'active']);
  const raw = await h.api('GET', `/v1/servers/${server.id}`);
  assert.equal(raw.body.deployed_image.name, 'iPXE chain');
  assert.deepEqual(h.violations, []);
});

test('reinstall over iPXE: a bad URL is a UserError before any request; a server ferry did not order is refused; a missing one is not_found', async (t) => {
  const h = await startCherry(t);
  const p = h.provider();
  await assert.rejects(p.reinstallIpxe('601', 'tftp://boot.example.com/x.ipxe'), (e: unknown) => UserError.is(e));
  await assert.rejects(p.reinstallIpxe('601', 'https://boot.example.com/a b.ipxe'), (e: unknown) => UserError.is(e));
  assert.equal(h.exchanges.length, 0, 'nothing sent for bad input');
  const hand = await h.api('POST', '/v1/projects/223344/servers', { plan: 'e3_1240v3', region: 'eu_nord_1', image: 'debian_12_64bit', hostname: 'by-hand', spot_market: false });
  await assert.rejects(p.reinstallIpxe(String(hand.body.id), 'https://boot.example.com/x.ipxe'), (e: unknown) => ProviderError.is(e) && e.kind === 'forbidden');
  await assert.rejects(p.reinstallIpxe('987654', 'https://boot.example.com/x.ipxe'), (e: unknown) => ProviderError.is(e) && e.kind === 'not_found');
  assert.equal(h.requests('POST', /actions$/).length, 0, 'no rebuild was sent');
});

test('cancel: termination is immediate; the server is gone for ferry at once and leaves the account after winding down', async (t) => {
  const h = await startCherry(t);
  const p = h.provider({ options: { cycle: 'monthly' } });
  const s = await p.createInstance(ORDER);
  assert.equal((h.requests('POST', CREATE_PATH)[0]!.requestBody as any).cycle, 'monthly');
  await p.destroyInstance(s.id);
  assert.equal(await p.getInstance(s.id), null, 'terminating reads as gone');
  await p.destroyInstance(s.id);
  assert.equal(h.requests('DELETE', /^\/v1\/servers\/\d+$/).length, 1, 'a second destroy sends nothing more');
  for (let i = 0; (await h.api('GET', `/v1/servers/${s.id}`)).status !== 404; i++) {
    assert.ok(i < 2000, 'the server leaves the account');
    await new Promise((ok) => setTimeout(ok, 5));
  }
  const { cherryDescriptor } = await import('../../../src/providers/cherry/meta.js');
  assert.equal(cherryDescriptor.destroy?.kind, 'immediate');
  assert.match(cherryDescriptor.destroy?.note ?? '', /immediate/);
  assert.deepEqual(h.violations, []);
});

test('no stock: a region without stock is a capacity error before any order; a refusal while stock shows is not called capacity; offers carry stock', async (t) => {
  const h = await startCherry(t, { faults: { capacity: [{ provider: 'cherry', region: 'us_chicago_1' }] } });
  const p = h.provider();
  await assert.rejects(p.createInstance({ ...ORDER, region: 'eu_west_1' }), (e: unknown) => ProviderError.is(e) && e.kind === 'capacity');
  assert.equal(h.requests('POST', CREATE_PATH).length, 0);
  await assert.rejects(p.createInstance({ ...ORDER, size: 'amd_ryzen_7950x', region: 'us_chicago_1' }), (e: unknown) => ProviderError.is(e) && e.kind !== 'capacity');
  // The injected fault refuses the order while the plan still shows stock: not classed as capacity.
  const offers = await p.listOffers();
  const e3 = offers.find((o) => o.plan === 'e3_1240v3' && o.region === 'eu_nord_1')!;
  assert.deepEqual([e3.stock, e3.bareMetal, e3.billing, e3.currency, e3.pricesIncludeVat, e3.priceHourly], [23, true, 'hourly', 'EUR', true, 0.1016]);
  assert.equal(offers.find((o) => o.plan === 'cloud_vps_1')?.bareMetal, false);
  const monthly = (await h.provider({ options: { cycle: 'monthly' } }).listOffers()).find((o) => o.plan === 'e3_1240v3' && o.region === 'eu_nord_1')!;
  assert.deepEqual([monthly.billing, monthly.priceMonthly, monthly.minimumTermMonths], ['monthly', 59.29, 1]);
});

test('no stock: the last server of a region is ordered, then the region is out of stock for the next order', async (t) => {
  const h = await startCherry(t);
  const p = h.provider();
  await p.createInstance({ ...ORDER, name: 'r1', size: 'amd_ryzen_7950x', region: 'us_chicago_1' });
  const offer = (await p.listOffers()).find((o) => o.plan === 'amd_ryzen_7950x' && o.region === 'us_chicago_1');
  assert.equal(offer?.stock, 0);
  await assert.rejects(p.createInstance({ ...ORDER, name: 'r2', size: 'amd_ryzen_7950x', region: 'us_chicago_1' }), (e: unknown) => ProviderError.is(e) && e.kind === 'capacity');
  assert.equal(h.requests('POST', CREATE_PATH).length, 1);
});
