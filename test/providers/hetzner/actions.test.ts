import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError, resolveTimeouts } from '../../../src/core/index.js';
import { waitForAction, waitForActions } from '../../../src/providers/hetzner/actions.js';
import { HetznerClient } from '../../../src/providers/hetzner/client.js';
import type { HcAction } from '../../../src/providers/hetzner/schema.js';
import { fixture } from './fixtures.js';

/** A strict fetch: each expected request in order, anything else fails the test. */
function strictFetch(expected: { path: string; ids?: string[]; status?: number; body: unknown }[]): { fetch: typeof fetch; seen: string[] } {
  const seen: string[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const ids = url.searchParams.getAll('id');
    seen.push(`${init?.method ?? 'GET'} ${url.pathname}${ids.length ? `?id=${ids.join(',')}` : ''}`);
    const next = expected.shift();
    if (!next || next.path !== url.pathname || (next.ids ?? []).join() !== ids.join()) throw new Error(`unexpected request ${init?.method} ${url.pathname}${url.search}`);
    return new Response(JSON.stringify(next.body), { status: next.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: fetchFn, seen };
}

const timeouts = resolveTimeouts({ pollIntervalMs: 1, actionCompleteMs: 1_000 });
const running: HcAction = { ...fixture('get-action-error').action, id: 42, status: 'running', progress: 10, error: null, finished: null };

function client(f: typeof fetch): HetznerClient {
  return new HetznerClient({ credentials: { token: 't' }, endpoint: 'http://127.0.0.1:9', http: { fetch: f, backoffMs: () => 0, budgets: new Map() } }, timeouts);
}

test('a failed action is an api error naming the command and the reason', async () => {
  const { fetch, seen } = strictFetch([{ path: '/v1/actions/42', body: fixture('get-action-error') }]);
  const err = await waitForAction(client(fetch), running, timeouts).then(
    () => assert.fail('expected the action to fail'),
    (e: unknown) => e,
  );
  assert.ok(ProviderError.is(err, 'api'));
  assert.equal(err.message, 'start_resource (action 42) failed: Action failed [action_failed]');
  assert.deepEqual(seen, ['GET /v1/actions/42']);
});

test('a running action is polled until success; a finished one costs no request', async () => {
  const progress: number[] = [];
  const { fetch, seen } = strictFetch([
    { path: '/v1/actions/42', body: { action: { ...running, progress: 60 } } },
    { path: '/v1/actions/42', body: fixture('get-action-success') },
  ]);
  const done = await waitForAction(client(fetch), running, timeouts, { onProgress: (p) => progress.push(p.fraction ?? -1) });
  assert.equal(done.status, 'success');
  assert.deepEqual(seen, ['GET /v1/actions/42', 'GET /v1/actions/42']);
  assert.deepEqual(progress, [0.1, 0.6]);
  const none = strictFetch([]);
  await waitForAction(client(none.fetch), fixture('get-action-success').action, timeouts);
  assert.deepEqual(none.seen, []);
});

test('several running actions are polled together, one GET /actions?id=… a round for those still running', async () => {
  const other: HcAction = { ...running, id: 43, command: 'attach_volume' };
  const page = (actions: HcAction[]) => ({ actions, meta: { pagination: { page: 1, per_page: 50, previous_page: null, next_page: null, last_page: 1, total_entries: actions.length } } });
  const success = fixture('get-action-success').action;
  const { fetch, seen } = strictFetch([
    { path: '/v1/actions', ids: ['42', '43'], body: page([{ ...success, id: 42 }, { ...other, progress: 50 }]) },
    { path: '/v1/actions', ids: ['43'], body: page([{ ...success, id: 43, command: 'attach_volume' }]) },
  ]);
  await waitForActions(client(fetch), [running, other], timeouts);
  assert.deepEqual(seen, ['GET /v1/actions?id=42,43', 'GET /v1/actions?id=43']);
});

test('an action the batched answer leaves out is asked for alone, and fails as not found instead of being waited for', async () => {
  const other: HcAction = { ...running, id: 43, command: 'attach_volume' };
  const { fetch, seen } = strictFetch([
    { path: '/v1/actions', ids: ['42', '43'], body: { actions: [{ ...running, progress: 20 }], meta: { pagination: { page: 1, per_page: 50, previous_page: null, next_page: null, last_page: 1, total_entries: 1 } } } },
    { path: '/v1/actions/43', status: 404, body: { error: { code: 'not_found', message: 'action with ID 43 not found' } } },
  ]);
  await assert.rejects(waitForActions(client(fetch), [running, other], timeouts), (e: unknown) => ProviderError.is(e, 'not_found'));
  assert.deepEqual(seen, ['GET /v1/actions?id=42,43', 'GET /v1/actions/43']);
});

test('the base URL carries /v1 whether or not the endpoint does', async () => {
  const { apiBaseUrl } = await import('../../../src/providers/hetzner/client.js');
  assert.equal(apiBaseUrl(undefined), 'https://api.hetzner.cloud/v1');
  assert.equal(apiBaseUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/v1');
  assert.equal(apiBaseUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/v1');
  assert.equal(apiBaseUrl('https://proxy.example/hcloud/v1/'), 'https://proxy.example/hcloud/v1');
});
