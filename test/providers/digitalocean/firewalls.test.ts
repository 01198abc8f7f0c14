import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, requests } from './conformance.js';
import { startHarness, TOKEN } from './harness.js';

const ANYWHERE = ['0.0.0.0/0', '::/0'];

test('firewall: find-or-create twice is one firewall with SSH in and everything out; by name across pages; delete twice', async (t) => {
  const h = await startHarness(t, { pageSize: 2 });
  const p = h.provider;
  assert.equal(p.capabilities.firewalls.supported, true);
  // Firewalls made behind ferry's back push ferry's onto a later page.
  for (const name of ['other-a', 'other-b', 'other-c']) {
    const res = await fetch(`${h.emu.urls.digitalocean}/v2/firewalls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, inbound_rules: [{ protocol: 'tcp', ports: '443', sources: { addresses: ANYWHERE } }] }),
    });
    assert.equal(res.status, 202);
  }
  assert.equal(await p.getFirewallByName('web-fw'), null);

  const fw = await p.findOrCreateFirewall('web-fw');
  assert.equal(fw.name, 'web-fw');
  assert.match(fw.id, /^[0-9a-f-]{36}$/);
  const again = await p.findOrCreateFirewall('web-fw');
  assert.deepEqual(again, fw, 'the second call finds the first firewall');
  const creates = requests(h, 'POST', '/v2/firewalls').slice(3);
  assert.equal(creates.length, 1, 'one create request');
  assert.equal(creates[0]!.body.tags, undefined, 'no tags: on a firewall they would assign it to droplets');
  assert.deepEqual(creates[0]!.body, {
    name: 'web-fw',
    inbound_rules: [{ protocol: 'tcp', ports: '22', sources: { addresses: ANYWHERE } }],
    outbound_rules: ['tcp', 'udp', 'icmp'].map((protocol) => ({ protocol, ports: '0', destinations: { addresses: ANYWHERE } })),
  });
  assert.ok(requests(h, 'GET', '/v2/firewalls').some((r) => new URLSearchParams(r.query).get('page') === '2'), 'the lookup read past page 1');

  assert.deepEqual(await p.getFirewallByName('web-fw'), fw);
  await p.deleteFirewall(fw.id);
  assert.equal(await p.getFirewallByName('web-fw'), null, 'gone after delete');
  await p.deleteFirewall(fw.id); // again: success
  await p.deleteFirewall('not-a-uuid'); // wrong shape: nothing to delete, nothing sent
  assert.equal(requests(h, 'DELETE', /^\/v2\/firewalls\//).length, 2);
  assert.equal((await p.getFirewallByName('other-b'))?.name, 'other-b', 'the others are untouched');
  assertConformant(t, h);
});

test('firewall: an invalid name is a UserError before any request; a refused token is an auth error', async (t) => {
  const h = await startHarness(t);
  await assert.rejects(h.provider.findOrCreateFirewall('-bad name'), (e) => UserError.is(e) && /firewall name/.test(e.message));
  assert.equal(h.exchanges.length, 0);
  const bad = h.withToken('invalid-token');
  const auth = (e: unknown) => ProviderError.is(e, 'authentication') && e.status === 401;
  await assert.rejects(bad.getFirewallByName('web-fw'), auth);
  await assert.rejects(bad.findOrCreateFirewall('web-fw'), auth);
  await assert.rejects(bad.deleteFirewall('7f2b5a8e-1c2d-4e5f-a6b7-c8d9e0f1a2b3'), auth);
  assertConformant(t, h);
});
