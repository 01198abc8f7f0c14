/** The deploy wait on strict fixtures: every stage reported once, in order; power read once deployed; a failed deployment fails the wait. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError, type Progress } from '../../../src/core/index.js';
import { createProvider } from '../../../src/providers/cherry/index.js';
import { strictFetch, type Expectation } from '../../support/fake-fetch.js';

const PATH = '/v1/servers/621400';
const server = (state: string, status: string) => ({
  method: 'GET',
  path: PATH,
  respond: { status: 200, body: { id: 621400, hostname: 'm1', state, status, tags: {}, ip_addresses: [{ address: '5.199.160.9', address_family: 4, type: 'primary-ip' }] } },
});
const power = (p: string): Expectation => ({ method: 'GET', path: `${PATH}?fields=power`, respond: { status: 200, body: { power: p } } });

const provider = (f: typeof fetch) =>
  createProvider({ credentials: { token: 't' }, endpoint: 'https://api.example/v1', timeouts: { pollIntervalMs: 1, instanceReadyMs: 10_000 }, http: { fetch: f, backoffMs: () => 0, budgets: new Map() } });

test('stages: pending → provisioning → active/deploying → deployed and on is reported as ordered → provisioning → installing → active', async () => {
  const f = strictFetch([
    server('pending', 'pending'),
    server('provisioning', 'deploying'),
    server('provisioning', 'deploying'),
    server('active', 'deploying'),
    server('active', 'deployed'),
    power('on'),
  ]);
  const seen: Progress[] = [];
  const ready = await provider(f.fetch).waitReady('621400', { onProgress: (p) => seen.push(p) });
  f.done();
  assert.equal(ready.status.state, 'active');
  assert.deepEqual(seen.map((p) => p.phase), ['ordered', 'provisioning', 'installing', 'active']);
});

test('stages: a failed deployment fails the wait with the status', async () => {
  const f = strictFetch([server('active', 'deploying'), server('active', 'failed deployment')]);
  await assert.rejects(provider(f.fetch).waitReady('621400'), (e: unknown) => ProviderError.is(e) && e.kind === 'api' && /failed deployment/.test(e.message));
  f.done();
});
