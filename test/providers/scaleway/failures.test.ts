/** Faults at the HTTP boundary: placement faults per zone and type, lost answers, a step failing after the create. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, type InstanceRequest } from '../../../src/core/index.js';
import { startScaleway, ZONE } from './support.js';

const req = (name: string, extra: Partial<InstanceRequest> = {}): InstanceRequest => ({ name, region: ZONE, size: 'DEV1-S', image: { kind: 'ubuntu', version: '24.04' }, ...extra });

test('capacity and quota faults per zone and type are out_of_stock (capacity) and quotas_exceeded (quota); a type in shortage is out of stock', async (t) => {
  const h = await startScaleway(t, { faults: 'capacity=scaleway:fr-par-1:DEV1-S,quota=scaleway:nl-ams-1:DEV1-S' });
  const p = h.provider();
  await assert.rejects(p.createInstance(req('cap')), (e: unknown) => ProviderError.is(e, 'capacity') && e.subject === 'out_of_stock' && e.status === 409);
  await assert.rejects(p.createInstance(req('quota', { region: 'nl-ams-1' })), (e: unknown) => ProviderError.is(e, 'quota') && /quota/.test(e.message));
  await assert.rejects(p.createInstance(req('h100', { region: 'fr-par-2', size: 'H100-2-80G' })), (e: unknown) => ProviderError.is(e, 'capacity'));
  const ok = await p.createInstance(req('elsewhere', { region: 'fr-par-2' }));
  assert.equal(ok.region, 'fr-par-2', 'the same type in another zone is fine');
  assert.equal(h.requests('POST', '/instance/v1/zones/:z/servers').length, 4, 'capacity and quota are not retried');
  h.assertConformant();
});

test('a create whose answer is lost is found by its create id and finished (user data, poweron), never sent twice', async (t) => {
  // Every mutating request's connection is cut after it is applied, until the driver has looked up.
  let cuts = 1;
  const h = await startScaleway(t);
  const p = h.provider({
    http: {
      timeScale: 1000,
      backoffMs: () => 0,
      budgets: new Map(),
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'POST' && String(input).endsWith(`/zones/${ZONE}/servers`) && cuts-- > 0) throw new TypeError('fetch failed: socket hang up');
        return res;
      },
    },
  });
  const inst = await p.createInstance(req('lost-1', { userData: '#cloud-config\n' }));
  assert.equal(h.requests('POST', `/instance/v1/zones/${ZONE}/servers`).length, 1, 'one create');
  assert.equal(h.requests('PATCH', `/instance/v1/zones/${ZONE}/servers/:id/user_data/cloud-init`).length, 1, 'the user data was set after the lookup');
  assert.equal(h.requests('POST', `/instance/v1/zones/${ZONE}/servers/:id/action`).length, 1, 'and the server powered on');
  assert.equal((await p.waitReady(inst.id)).status.state, 'active');
  h.assertConformant();
});

test('a step failing after the create removes the half-made server and says so; nothing billable is left', async (t) => {
  const h = await startScaleway(t);
  const p = h.provider({
    http: {
      timeScale: 1000,
      backoffMs: () => 0,
      budgets: new Map(),
      maxRetries: 0,
      fetch: async (input, init) => {
        if (init?.method === 'POST' && String(input).endsWith('/action') && String(init.body).includes('poweron')) {
          return new Response(JSON.stringify({ type: 'invalid_request_error', message: 'boot volume is not ready' }), { status: 400, headers: { 'content-type': 'application/json' } });
        }
        return fetch(input, init);
      },
    },
  });
  await assert.rejects(p.createInstance(req('half-1')), (e: unknown) => {
    assert.ok(ProviderError.is(e, 'invalid_config'), String(e));
    assert.equal(e.status, undefined, 'a definite failure the driver saw, not an ambiguous one');
    assert.match(e.message, /was created but powering on failed: boot volume is not ready.*it was deleted again/);
    return true;
  });
  assert.deepEqual((await h.api('GET', `/instance/v1/zones/${ZONE}/servers`)).body.servers, []);
  assert.deepEqual((await h.api('GET', `/block/v1alpha1/zones/${ZONE}/volumes`)).body.volumes, [], 'its root volume went with it');
});

test('the text/plain user-data call is retried on 503 like the transport\'s calls', async (t) => {
  const h = await startScaleway(t);
  let failures = 1;
  const p = h.provider({
    http: {
      timeScale: 1000,
      backoffMs: () => 0,
      budgets: new Map(),
      fetch: async (input, init) => {
        if (init?.method === 'PATCH' && String(input).endsWith('/user_data/cloud-init') && failures-- > 0) {
          return new Response(JSON.stringify({ type: 'service_unavailable', message: 'try again' }), { status: 503, headers: { 'content-type': 'application/json' } });
        }
        return fetch(input, init);
      },
    },
  });
  const inst = await p.createInstance(req('ud-retry', { userData: '#cloud-config\nruncmd: [true]\n' }));
  const ud = await h.api('GET', `/instance/v1/zones/${ZONE}/servers/${inst.id.split('/')[1]}/user_data/cloud-init`);
  assert.equal(Buffer.from(ud.body.content, 'base64').toString(), '#cloud-config\nruncmd: [true]\n');
  assert.equal(h.requests('PATCH', `/instance/v1/zones/${ZONE}/servers/:id/user_data/cloud-init`).length, 1, 'the 503 never reached the emulator; the retry did');
});
