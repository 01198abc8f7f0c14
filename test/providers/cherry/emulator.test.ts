/** The emulated Cherry Servers API on its own, and the driver at its edges (projects, keys, user data, a stock race). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { CREATE_PATH, ORDER, startCherry } from './support.js';

test('auth and errors: a refused key is 401 {code, message}; unknown paths are 404 in the same shape', async (t) => {
  const h = await startCherry(t);
  const refused = await h.api('GET', '/v1/teams', undefined, 'invalid-key');
  assert.deepEqual([refused.status, refused.body.code, typeof refused.body.message], [401, 401, 'string']);
  assert.equal((await fetch(`${h.url}/v1/teams`)).status, 401, 'no key at all');
  const missing = await h.api('GET', '/v1/servers/123');
  assert.deepEqual([missing.status, missing.body.code], [404, 404]);
  assert.deepEqual(h.violations, []);
});

test('pagination: limit and offset, with X-Total-Count', async (t) => {
  const h = await startCherry(t);
  for (const name of ['a1', 'a2', 'a3']) {
    assert.equal((await h.api('POST', '/v1/projects/223344/servers', { plan: 'e3_1240v3', region: 'eu_nord_1', image: 'debian_12_64bit', hostname: name, spot_market: false })).status, 201);
  }
  const p1 = await h.api('GET', '/v1/projects/223344/servers?limit=2&offset=0');
  const p2 = await h.api('GET', '/v1/projects/223344/servers?limit=2&offset=2');
  assert.deepEqual([p1.body.length, p2.body.length, p1.headers.get('x-total-count')], [2, 1, '3']);
  assert.deepEqual([...p1.body, ...p2.body].map((s: any) => s.hostname), ['a1', 'a2', 'a3']);
  assert.deepEqual(h.violations, []);
});

test('projects: the only project is used; with several, the setting chooses and a missing choice is a UserError naming them', async (t) => {
  const h = await startCherry(t);
  assert.equal((await h.api('POST', '/v1/teams/112233/projects', { name: 'Staging' })).status, 201);
  const before = h.exchanges.length;
  await assert.rejects(h.provider().createInstance(ORDER), (e: unknown) => UserError.is(e) && /Default project/.test(e.hint ?? '') && /Staging/.test(e.hint ?? ''));
  assert.ok(h.exchanges.slice(before).every((x) => x.method === 'GET'));
  const inst = await h.provider({ options: { project: 'Staging' } }).createInstance(ORDER);
  assert.match(h.requests('POST', CREATE_PATH)[0]!.path, /^\/v1\/projects\/(?!223344)\d+\/servers$/);
  assert.ok(inst.id);
  assert.deepEqual(h.violations, []);
});

test('the last server taken between the preflight and the order: the refusal is a capacity error, read from the plan\'s stock', async (t) => {
  const h = await startCherry(t);
  // Someone else orders the region's last server just before ferry's order reaches the API.
  let raced = false;
  const racing: typeof fetch = async (input, init) => {
    if (!raced && init?.method === 'POST' && CREATE_PATH.test(new URL(String(input)).pathname)) {
      raced = true;
      await h.api('POST', '/v1/projects/223344/servers', { plan: 'amd_ryzen_7950x', region: 'us_chicago_1', image: 'debian_12_64bit', hostname: 'elsewhere', spot_market: false });
    }
    return fetch(input, init);
  };
  const p = h.provider({ http: { fetch: racing } });
  await assert.rejects(p.createInstance({ ...ORDER, size: 'amd_ryzen_7950x', region: 'us_chicago_1' }), (e: unknown) => ProviderError.is(e) && e.kind === 'capacity' && e.subject === 'amd_ryzen_7950x@us_chicago_1');
  assert.ok(raced);
  assert.deepEqual(h.violations, []);
});

test('SSH keys are registered once and reused by their text; user data is sent base64', async (t) => {
  const h = await startCherry(t);
  const p = h.provider();
  const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGh1cm9rdWZlcnJ5dGVzdGtleTAwMDAwMDAwMDAwMDA me@laptop';
  await p.createInstance({ ...ORDER, name: 'k1', sshKeys: [pub], userData: '#!/bin/sh\necho hi\n' });
  await p.createInstance({ ...ORDER, name: 'k2', sshKeys: [pub] });
  assert.equal(h.requests('POST', /^\/v1\/ssh-keys$/).length, 1);
  const keys = await p.getSshKeys();
  const creates = h.requests('POST', CREATE_PATH).map((x) => x.requestBody as any);
  assert.deepEqual(creates.map((c) => c.ssh_keys), [[Number(keys[0]!.id)], [Number(keys[0]!.id)]]);
  assert.equal(Buffer.from(creates[0].user_data, 'base64').toString(), '#!/bin/sh\necho hi\n');
  assert.deepEqual(creates[0].tags['managed-by'], 'ferry');
  await assert.rejects(p.createInstance({ ...ORDER, name: 'k3', sshKeys: ['424242'] }), (e: unknown) => UserError.is(e));
  assert.deepEqual(h.violations, []);
});
