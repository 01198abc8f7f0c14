/** The deploy wait on strict fixtures: every stage reported once, in order, with elapsed time; a failed deploy fails the wait. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, type Progress } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/latitude/index.js';
import { strictFetch } from '../../support/fake-fetch.js';

const server = (status: string, ip: string | null = '177.54.150.9') => ({
  status: 200,
  body: { data: { id: 'sv_Stage0000001', type: 'servers', attributes: { hostname: 'm1', status, primary_ipv4: ip, tags: [], plan: { slug: 'c2-small-x86' }, region: { site: { slug: 'DAL' } } } } },
});

const provider = (f: typeof fetch) =>
  createProvider({ credentials: { token: 't' }, endpoint: 'https://api.example', timeouts: { pollIntervalMs: 1, instanceReadyMs: 10_000 }, http: { fetch: f, backoffMs: () => 0, budgets: new Map(), timeScale: 60 } });

test('stages: starting_deploy → disk_erasing → deploying → on is reported as ordered → provisioning → installing → active', async () => {
  const statuses = ['starting_deploy', 'starting_deploy', 'disk_erasing', 'deploying', 'deploying', 'on'];
  const f = strictFetch(statuses.map((s) => ({ method: 'GET', path: '/servers/sv_Stage0000001', respond: server(s) })));
  const seen: Progress[] = [];
  const ready = await provider(f.fetch).waitReady('sv_Stage0000001', { onProgress: (p) => seen.push(p) });
  f.done();
  assert.equal(ready.status.state, 'active');
  assert.deepEqual(seen.map((p) => p.phase), ['ordered', 'provisioning', 'installing', 'active'], 'each stage once, in order');
  assert.ok(seen.every((p) => /^m1: .* after \d+/.test(p.message)), seen.map((p) => p.message).join(' | '));
});

test('stages: on without an address is not ready yet; failed_deployment fails the wait with the status', async () => {
  const f = strictFetch([
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('on', null) },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('on') },
  ]);
  assert.equal((await provider(f.fetch).waitReady('sv_Stage0000001')).ipv4, '177.54.150.9');
  f.done();
  const g = strictFetch([
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('deploying') },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('failed_deployment') },
  ]);
  await assert.rejects(provider(g.fetch).waitReady('sv_Stage0000001'), (e: unknown) => ProviderError.is(e) && e.kind === 'api' && /failed_deployment/.test(e.message));
  g.done();
});

test('reinstall: an `on` read before the reinstall started is not taken for its end', async () => {
  const managed = { status: 200, body: { data: { id: 'sv_Stage0000001', type: 'servers', attributes: { hostname: 'm1', status: 'on', primary_ipv4: '177.54.150.9', tags: [{ id: 'tag_1', name: 'managed-by:ferry' }] } } } };
  const f = strictFetch([
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: managed },
    { method: 'POST', path: '/servers/sv_Stage0000001/reinstall', respond: { status: 201 } },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: managed },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: managed },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('disk_erasing') },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('deploying') },
    { method: 'GET', path: '/servers/sv_Stage0000001', respond: server('on') },
  ]);
  const seen: string[] = [];
  await provider(f.fetch).reinstallIpxe('sv_Stage0000001', 'https://boot.example.com/a.ipxe', { onProgress: (p) => seen.push(p.phase) });
  f.done();
  assert.deepEqual(seen, ['reinstall', 'waiting', 'provisioning', 'installing', 'active']);
});
