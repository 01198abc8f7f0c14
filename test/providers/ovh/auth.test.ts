/**
 * The driver's signing against the emulated gateway: a clock offset gone wrong (a suspended
 * laptop, a stale offset) is refused with "Query out of time", learnt again from /auth/time and
 * the call re-sent once; a wrong application secret is an authentication error, never retried.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError } from '../../../src/core/index.js';
import { withDefaults } from '../../../src/providers/registry.js';
import type { OvhProvider } from '../../../src/providers/ovh/index.js';
import { harness, KEYS } from './harness.js';

test('ovh driver: a stale clock offset is refused, re-synced from /auth/time, and the call succeeds', async (t) => {
  const h = await harness(t);
  const p = h.provider;
  assert.deepEqual(await p.listInstances(), []);
  const timeCalls = () => h.exchanges.filter((x) => x.path === '/1.0/auth/time').length;
  assert.equal(timeCalls(), 1, 'the offset is learnt once');
  // Ten days off, as after a long suspend.
  (p.client.clock as unknown as { offset: number }).offset -= 10 * 86400 * 1000;
  assert.deepEqual(await p.listInstances(), []);
  assert.equal(timeCalls(), 2, 'learnt again after the refusal');
  const refused = h.exchanges.filter((x) => x.status === 400 && (x.responseBody as { errorCode?: string }).errorCode === 'QUERY_TIME_OUT');
  assert.equal(refused.length, 1, 'one refused call, then the re-sent one');
});

test('ovh driver: a wrong application secret is an authentication error', async (t) => {
  const h = await harness(t);
  const bad = (await withDefaults().create('ovh', { credentials: { ...KEYS, applicationSecret: 'wrong-secret-0000' }, endpoint: h.url, http: { timeScale: 1000, backoffMs: () => 0, budgets: new Map() } }, {})) as OvhProvider;
  await assert.rejects(bad.listInstances(), (e: unknown) => ProviderError.is(e, 'authentication') && !e.message.includes('wrong-secret-0000'));
  assert.equal(h.exchanges.filter((x) => x.path === '/1.0/order/cart').length, 1, 'not retried');
});
