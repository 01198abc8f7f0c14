/** The bare-metal scenarios on the Latitude.sh emulator: order, wait through stages, reinstall over iPXE, cancel, no stock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/latitude/index.js';
import { ORDER, startLatitude } from './support.js';

const STAGES = ['ordered', 'provisioning', 'installing', 'active'];

test('order: a deploy is waited for through ordered → provisioning → installing → active, each stage with elapsed time', async (t) => {
  // Emulated stages of minutes (300 ms, 600 ms, 1.5 s of real time here): the wait sees them pass.
  const h = await startLatitude(t, { bootMs: 100_000 });
  const p = h.provider();
  const created = await p.createInstance({ ...ORDER, image: { kind: 'debian', version: '12' } });
  assert.ok(['starting_deploy', 'disk_erasing', 'deploying'].includes(created.status.raw), created.status.raw);
  assert.equal(created.status.state, 'new');
  const seen: Progress[] = [];
  const ready = await p.waitReady(created.id, { onProgress: (x) => seen.push(x) });
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  const phases = [...new Set(seen.map((x) => x.phase))];
  // debian_12 is not pre-installed stock: the disks are erased, then the OS installed. The first
  // stage may be over before the wait begins; those seen come in order and end active.
  assert.deepEqual(phases, STAGES.slice(STAGES.length - phases.length), `stages in order: ${phases.join(' → ')}`);
  // Which stages a poll catches depends on the machine's load; stages.test.ts checks all four on fixtures.
  assert.ok(phases.length >= 2, `at least one stage before active: ${phases.join(' → ')}`);
  assert.ok(seen.every((x) => /after (\d+s|\d+m\d\ds|\d+h\d\dm)$/.test(x.message)), `elapsed time on every stage: ${seen.map((x) => x.message).join(' | ')}`);
  assert.deepEqual(h.violations, []);
});

test('order: the ready timeout defaults to hours for bare metal, and a setting still wins', () => {
  assert.equal(createProvider({ credentials: { token: 'x' } }).timeouts.instanceReadyMs, 4 * 3600_000);
  assert.equal(createProvider({ credentials: { token: 'x' }, timeouts: { instanceReadyMs: 60_000 } }).timeouts.instanceReadyMs, 60_000);
});

test('order interrupted: the wait is cancelled, the order stays, a fresh process finds it by create id and waits on', async (t) => {
  const h = await startLatitude(t, { bootMs: 100_000 });
  const createId = 'c0ffee00-0000-4000-8000-0000000c4a54';
  const first = h.provider();
  const created = await first.createInstance({ ...ORDER, image: { kind: 'debian', version: '12' }, createId });
  const ctl = new AbortController();
  const waiting = first.waitReady(created.id, { signal: ctl.signal, onProgress: () => ctl.abort() });
  await assert.rejects(waiting, (e: unknown) => ProviderError.is(e) && e.kind === 'cancelled');

  const second = h.provider();
  const found = await second.listInstances({ labels: { [CREATE_ID_KEY]: createId } });
  assert.deepEqual(found.map((i) => i.id), [created.id], 'the order is found by its create id');
  const again = await second.createInstance({ ...ORDER, image: { kind: 'debian', version: '12' }, createId });
  assert.equal(again.id, created.id, 'resuming the create returns the same server');
  assert.equal(h.requests('POST', /^\/servers$/).length, 1, 'one order in all');
  assert.equal((await second.waitReady(created.id)).status.state, 'active');
  assert.deepEqual(h.violations, []);
});

test('reinstall over iPXE: operating_system ipxe with the URL, waited for through provisioning → installing → active', async (t) => {
  const h = await startLatitude(t);
  const p = h.provider();
  const server = await p.createInstance(ORDER);
  await p.waitReady(server.id);
  const seen: string[] = [];
  await p.reinstallIpxe(server.id, 'https://boot.example.com/talos.ipxe', { onProgress: (x) => seen.push(x.phase) });
  const sent = h.requests('POST', /^\/servers\/sv_\w+\/reinstall$/);
  assert.equal(sent.length, 1);
  assert.deepEqual((sent[0]!.requestBody as any).data, {
    type: 'reinstalls',
    attributes: { operating_system: 'ipxe', ipxe: 'https://boot.example.com/talos.ipxe', hostname: 'metal-1' },
  });
  assert.deepEqual([...new Set(seen)], ['reinstall', 'provisioning', 'installing', 'active']);
  const after = await p.getInstance(server.id);
  assert.equal(after?.image, 'ipxe');
  assert.equal(after?.status.state, 'active');
  assert.deepEqual(h.violations, []);
});

test('reinstall over iPXE: a bad URL is a UserError before any request; a server ferry did not order is refused; a missing one is not_found', async (t) => {
  const h = await startLatitude(t);
  const p = h.provider();
  await assert.rejects(p.reinstallIpxe('sv_abc123456789', 'ftp://boot.example.com/x.ipxe'), (e: unknown) => UserError.is(e) && /http/.test(e.message));
  await assert.rejects(p.reinstallIpxe('sv_abc123456789', 'not a url'), (e: unknown) => UserError.is(e));
  assert.equal(h.exchanges.length, 0, 'nothing sent for bad input');
  const project = (await h.api('GET', '/projects')).body.data[0].id;
  const hand = await h.api('POST', '/servers', { data: { type: 'servers', attributes: { project, plan: 'c2-small-x86', site: 'SAO', operating_system: 'debian_12', hostname: 'by-hand' } } });
  await assert.rejects(p.reinstallIpxe(hand.body.data.id, 'https://boot.example.com/x.ipxe'), (e: unknown) => ProviderError.is(e) && e.kind === 'forbidden');
  await assert.rejects(p.reinstallIpxe('sv_missing0000000', 'https://boot.example.com/x.ipxe'), (e: unknown) => ProviderError.is(e) && e.kind === 'not_found');
  assert.equal(h.requests('POST', /reinstall$/).length, 0, 'no reinstall was sent');
});

test('cancel: an hourly server is deleted at once; a monthly one is scheduled for deletion at the end of its cycle, once', async (t) => {
  const h = await startLatitude(t);
  const hourly = h.provider();
  const a = await hourly.createInstance(ORDER);
  await hourly.destroyInstance(a.id);
  assert.equal(await hourly.getInstance(a.id), null, 'hourly: gone at once');
  assert.equal(h.requests('DELETE', /^\/servers\/sv_\w+$/).length, 1);

  const monthly = h.provider({ options: { billing: 'monthly' } });
  const b = await monthly.createInstance({ ...ORDER, name: 'metal-2' });
  assert.equal((h.requests('POST', /^\/servers$/).at(-1)!.requestBody as any).data.attributes.billing, 'monthly');
  const notes: string[] = [];
  await monthly.destroyInstance(b.id, { onProgress: (x) => notes.push(x.message) });
  await monthly.destroyInstance(b.id);
  assert.equal(h.requests('POST', /schedule_deletion$/).length, 1, 'scheduled once; the second destroy sees it scheduled');
  assert.equal(h.requests('DELETE', /^\/servers\/sv_\w+$/).length, 1, 'a monthly server is not deleted outright');
  const still = await h.api('GET', `/servers/${b.id}`);
  assert.ok(still.body.data.attributes.scheduled_deletion_at, 'runs until the end of the billing cycle');
  assert.match(notes.join(' '), /end of the billing cycle/);
  assert.deepEqual(h.violations, []);
});

test('no stock: an out-of-stock site is a capacity error before any order; ordering the last server empties the site', async (t) => {
  const h = await startLatitude(t, { faults: { capacity: [{ provider: 'latitude', region: 'DAL', size: 'c3-medium-x86' }] } });
  const p = h.provider();
  await assert.rejects(p.createInstance({ ...ORDER, region: 'FRA' }), (e: unknown) => ProviderError.is(e) && e.kind === 'capacity');
  assert.equal(h.requests('POST', /^\/servers$/).length, 0, 'no order for a site without stock');
  // c3-medium-x86 has two servers at DAL ("low" stock); the injected fault refuses the order itself.
  await assert.rejects(p.createInstance({ ...ORDER, size: 'c3-medium-x86', region: 'DAL' }), (e: unknown) => ProviderError.is(e) && e.kind === 'capacity' && e.subject === 'out_of_stock');
  const offersBefore = (await p.listOffers()).find((o) => o.plan === 'c3-medium-x86' && o.region === 'DAL');
  assert.equal(offersBefore?.stock, null, 'in stock (count unknown)');
  assert.equal(offersBefore?.bareMetal, true);
  assert.ok((offersBefore?.leadTimeHours ?? 0) > 0);
  assert.deepEqual(h.violations, []);
});

test('no stock: a site runs out as servers are ordered, and offers say so', async (t) => {
  const h = await startLatitude(t);
  const p = h.provider();
  await p.createInstance({ ...ORDER, name: 'gpu-1', size: 'g3-large-x86', region: 'DAL' });
  await p.createInstance({ ...ORDER, name: 'gpu-2', size: 'g3-large-x86', region: 'DAL' });
  const offer = (await p.listOffers()).find((o) => o.plan === 'g3-large-x86' && o.region === 'DAL');
  assert.equal(offer?.stock, 0, 'out of stock after two orders');
  assert.equal(offer?.gpu, 'NVIDIA L40S');
  await assert.rejects(p.createInstance({ ...ORDER, name: 'gpu-3', size: 'g3-large-x86', region: 'DAL' }), (e: unknown) => ProviderError.is(e) && e.kind === 'capacity');
  assert.equal(h.requests('POST', /^\/servers$/).length, 2);
});
