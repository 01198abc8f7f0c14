/**
 * Bare-metal scenarios on the emulated Robot webservice: an order followed from its transaction to
 * a ready server (identity written into the server name), the server market, the iPXE reinstall
 * end to end (rescue, hardware reset, SSH into the rescue system, kexec chainload), cancellation
 * to the billing end, and the rate limit and login rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, MANAGED_BY_KEY, parseImageSpec, ProviderError, UserError, type Progress } from '../../../src/core/index.js';
import { harness } from './harness.js';

const order = (name: string, extra: { region?: string; size?: string; sshKeys?: string[] } = {}) => ({
  name,
  region: extra.region ?? 'FSN1',
  size: extra.size ?? 'EX44',
  image: parseImageSpec('ubuntu-24.04'),
  labels: { app: 'render' },
  ...(extra.sshKeys ? { sshKeys: extra.sshKeys } : {}),
});

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl robot@ferry';

test('hetzner-robot: order — one form POST /order/server/transaction with product, location, key fingerprint, dist, lang; the transaction id is the handle', async (t) => {
  const h = await harness(t);
  const ordered = await h.provider.createInstance(order('render-1', { sshKeys: [KEY] }));
  assert.match(ordered.id, /^B\d{8}-\d+-\d+$/);
  assert.equal(ordered.status.state, 'new');
  assert.equal(ordered.ipv4, null);
  assert.equal(ordered.labels[MANAGED_BY_KEY], 'ferry');
  assert.equal(ordered.labels.app, 'render');
  assert.equal(ordered.initialRootPassword, undefined, 'a key was given: no password');
  const post = h.exchanges.find((x) => x.method === 'POST' && x.path === '/order/server/transaction');
  const body = post!.requestBody as Record<string, string>;
  assert.equal(body.product_id, 'EX44');
  assert.equal(body.location, 'FSN1');
  assert.equal(body.dist, 'Ubuntu 24.04 LTS base');
  assert.equal(body.lang, 'en');
  assert.match(body['authorized_key[]']!, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  assert.ok(h.exchanges.some((x) => x.method === 'POST' && x.path === '/key'), 'the raw key was registered first');
  assert.match(body.comment!, new RegExp(`^render-1 .*${CREATE_ID_KEY}=${ordered.labels[CREATE_ID_KEY]}`));
  h.assertConformant();
});

test('hetzner-robot: waitReady follows the transaction to a server number and the server to ready, then names the server', async (t) => {
  const h = await harness(t, { timeScale: 300 });
  const ordered = await h.provider.createInstance(order('stages-1'));
  assert.ok(ordered.initialRootPassword && ordered.initialRootPassword.length >= 20, 'without a key Robot gets a generated root password');
  const seen: Progress[] = [];
  const ready = await h.provider.waitReady(ordered.id, { onProgress: (p) => seen.push(p) });
  assert.equal(ready.id, ordered.id, 'the transaction id stays the handle');
  assert.equal(ready.status.state, 'active');
  assert.match(ready.ipv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.deepEqual(ready.labels, ordered.labels);
  assert.deepEqual([...new Set(seen.map((p) => p.phase))], ['ordered', 'provisioning']);
  const tx = await h.raw.call('GET', `/order/server/transaction/${ordered.id}`);
  const n = tx.body.transaction.server_number as number;
  const server = await h.raw.call('GET', `/server/${n}`);
  assert.match(server.body.server.server_name, /^stages-1 .*managed-by=ferry/);
  assert.equal((await h.provider.getInstance(String(n)))?.name, 'stages-1', 'the server number reads the identity from the name');
  h.assertConformant();
});

test('hetzner-robot: a server-market product is ordered on /order/server_market/transaction without a location', async (t) => {
  const h = await harness(t);
  const ordered = await h.provider.createInstance(order('auction-1', { size: '2391877', region: 'HEL1' }));
  const post = h.exchanges.find((x) => x.method === 'POST' && x.path === '/order/server_market/transaction');
  assert.ok(post, 'the market shelf was used');
  assert.equal((post!.requestBody as Record<string, string>).location, undefined);
  assert.deepEqual((await h.provider.listInstances()).map((i) => i.id), [ordered.id], 'a market order is listed by its transaction');
  const ready = await h.provider.waitReady(ordered.id);
  assert.equal(ready.region, 'HEL1');
  assert.deepEqual((await h.provider.listInstances({ labels: { app: 'render' } })).map((i) => i.id), [ordered.id]);
  await assert.rejects(h.provider.createInstance(order('auction-2', { size: '2391877', region: 'FSN1' })), (e: unknown) => UserError.is(e) && /HEL1/.test(`${e.message} ${e.hint}`));
  h.assertConformant();
});

test('hetzner-robot: iPXE reinstall end to end — rescue, hardware reset, SSH into the rescue system with its password, kexec chainload', async (t) => {
  const h = await harness(t);
  const ordered = await h.provider.createInstance(order('ipxe-1'));
  const ready = await h.provider.waitReady(ordered.id);
  const seen: Progress[] = [];
  const url = 'https://boot.example.com/ferry.ipxe';
  await h.provider.reinstallIpxe(ready.id, url, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(seen.map((p) => p.phase), ['rescue', 'chainload', 'reinstalling']);
  const calls = h.exchanges.filter((x) => x.method === 'POST').map((x) => `${x.path} ${JSON.stringify(x.requestBody)}`);
  assert.ok(calls.some((c) => /^\/boot\/\d+\/rescue .*"os":"linux"/.test(c)), calls.join('\n'));
  assert.ok(calls.some((c) => /^\/reset\/\d+ .*"type":"hw"/.test(c)), calls.join('\n'));
  const n = (await h.raw.call('GET', `/order/server/transaction/${ordered.id}`)).body.transaction.server_number as number;
  const log = await h.raw.call('GET', `/_emulator/rescue-log/${n}`);
  assert.equal(log.body.chainloaded, url, 'the rescue system chainloaded the URL');
  assert.equal(log.body.commands.length, 1);
  assert.match(log.body.commands[0], /kexec -l \/tmp\/ipxe\.lkrn --initrd=\/tmp\/ferry\.ipxe/);
  // The server is busy (installing from iPXE), then ready again, in emulated time.
  assert.equal((await h.provider.getInstance(ready.id))?.status.state, 'new');
  assert.equal((await h.provider.waitReady(ready.id)).status.state, 'active');
  const rescue = await h.raw.call('GET', `/boot/${n}/rescue`);
  assert.equal(rescue.body.rescue.active, false, 'the rescue activation was used by that boot');
  await assert.rejects(h.provider.reinstallIpxe(ready.id, 'ftp://x/y'), (e: unknown) => UserError.is(e));
  h.assertConformant();
});

test('hetzner-robot: destroy cancels at the end of the billing period; the server stays, cancelled, and reads as gone', async (t) => {
  const h = await harness(t);
  const ordered = await h.provider.createInstance(order('cancel-1'));
  // Destroy before delivery waits for the server number, then cancels.
  const seen: Progress[] = [];
  await h.provider.destroyInstance(ordered.id, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(seen.map((p) => p.phase), ['ordered', 'cancelled']);
  assert.match(seen[1]!.message, /billed until \d{4}-\d{2}-\d{2}/);
  const post = h.exchanges.find((x) => x.method === 'POST' && /\/cancellation$/.test(x.path));
  const body = post!.requestBody as Record<string, string>;
  assert.match(body.cancellation_date!, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(body.reserve_location, 'false');
  const n = Number(/\/server\/(\d+)\//.exec(post!.path)![1]);
  const c = await h.raw.call('GET', `/server/${n}/cancellation`);
  assert.equal(c.body.cancellation.cancelled, true);
  assert.equal(c.body.cancellation.cancellation_date, body.cancellation_date);
  assert.equal(await h.provider.getInstance(ordered.id), null);
  await h.provider.destroyInstance(ordered.id);
  assert.equal(h.exchanges.filter((x) => x.method === 'POST' && /\/cancellation$/.test(x.path)).length, 1, 'cancelled once');
  h.assertConformant();
});

test('hetzner-robot: a refused login stops at the first 401 (three would block the IP)', async (t) => {
  const h = await harness(t, { password: 'invalid-pw' });
  const refused = (e: unknown) => ProviderError.is(e, 'authentication') && e.status === 401 && !e.message.includes('invalid-pw');
  await assert.rejects(h.provider.listInstances(), refused);
  await assert.rejects(h.provider.getInstance('B20260101-1-1'), refused);
  await assert.rejects(h.provider.validateCredentials(), refused);
  assert.equal(h.exchanges.length, 1, 'one request in all: no retry, and later calls are not sent');
});

test('hetzner-robot: GET /server over 200 per hour answers 403 RATE_LIMIT_EXCEEDED, read as rate_limited', async (t) => {
  const h = await harness(t, { timeScale: 1 });
  await h.provider.createInstance(order('limit-1'));
  let last: { status: number; body: any } | undefined;
  for (let i = 0; i < 201; i++) last = await h.raw.call('GET', '/server');
  assert.equal(last!.status, 403);
  assert.equal(last!.body.error.code, 'RATE_LIMIT_EXCEEDED');
  assert.equal(last!.body.error.max_request, 200);
  assert.equal(last!.body.error.interval, 3600);
  const { parseRobotError } = await import('../../../src/providers/hetzner-robot/errors.js');
  assert.equal(parseRobotError(403, last!.body).kind, 'rate_limited');
});
