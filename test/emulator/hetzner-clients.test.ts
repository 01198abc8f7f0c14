/**
 * Hetzner Cloud clients against the emulator, by the requests they send: hcloud-js and the
 * official hcloud-go/hcloud-python send a Bearer token and JSON bodies, wait on the returned
 * actions (GET /actions/{id} or GET /servers/{id}/actions), rename with PUT /servers/{id} and
 * read /pricing. Every exchange is checked against the Hetzner Cloud OpenAPI description.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOpenApi } from '../support/openapi.js';
import { startFor, until, type ClientRun } from './clients.js';

const SPEC = 'hetzner-cloud/hcloud.openapi.json';
const AUTH = { authorization: 'Bearer test-token-5f1c', 'user-agent': 'hcloud-js/1.6.0' };

function nonConforming(run: ClientRun): string[] {
  const spec = loadOpenApi(SPEC);
  if ('missing' in spec) return [];
  return run.exchanges.flatMap((x) => [
    ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)).map((e) => `request ${x.method} ${x.path}: ${e}`),
    ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${x.method} ${x.path} ${x.status}: ${e}`),
  ]);
}

async function done(run: ClientRun, action: { id: number }) {
  return until(`action ${action.id}`, async () => ((await run.call('GET', `/v1/actions/${action.id}`)).body.action.status === 'success' ? true : undefined));
}

async function status(run: ClientRun, id: number, want: string) {
  return until(`server ${id} ${want}`, async () => ((await run.call('GET', `/v1/servers/${id}`)).body.server.status === want ? true : undefined));
}

test('create (IPs in the answer), rename with PUT, action list, poweroff → change_type → poweron, rebuild, rescue, delete', async (t) => {
  const run = await startFor(t, 'hetzner', AUTH);
  const created = await run.call('POST', '/v1/servers', { body: { name: 'hc-1', server_type: 'cx22', location: 'fsn1', image: 'ubuntu-24.04', start_after_create: true, labels: { env: 'test' } } });
  assert.equal(created.status, 201);
  const id = created.body.server.id as number;
  assert.match(created.body.server.public_net.ipv4.ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(created.body.server.public_net.ipv6.ip, /::\/64$/);
  await done(run, created.body.action);
  await status(run, id, 'running');

  const renamed = await run.call('PUT', `/v1/servers/${id}`, { body: { name: 'hc-renamed', labels: { env: 'prod' } } });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.server.name, 'hc-renamed');
  assert.deepEqual(renamed.body.server.labels, { env: 'prod' });

  const stillOn = await run.call('POST', `/v1/servers/${id}/actions/change_type`, { body: { server_type: 'cx32', upgrade_disk: false } });
  assert.equal(stillOn.status, 422);
  assert.equal(stillOn.body.error.code, 'server_not_stopped');
  await done(run, (await run.call('POST', `/v1/servers/${id}/actions/poweroff`)).body.action);
  await status(run, id, 'off');
  const change = await run.call('POST', `/v1/servers/${id}/actions/change_type`, { body: { server_type: 'cx32', upgrade_disk: false } });
  assert.equal(change.status, 201);
  await done(run, change.body.action);
  assert.equal((await run.call('GET', `/v1/servers/${id}`)).body.server.server_type.name, 'cx32');
  await done(run, (await run.call('POST', `/v1/servers/${id}/actions/poweron`)).body.action);

  const rebuilt = await run.call('POST', `/v1/servers/${id}/actions/rebuild`, { body: { image: 'debian-12' } });
  assert.equal(rebuilt.status, 201);
  assert.equal(typeof rebuilt.body.root_password, 'string');
  await done(run, rebuilt.body.action);
  const rescue = await run.call('POST', `/v1/servers/${id}/actions/enable_rescue`, { body: { type: 'linux64' } });
  assert.equal(rescue.status, 201);
  await done(run, rescue.body.action);
  await done(run, (await run.call('POST', `/v1/servers/${id}/actions/reset`)).body.action);
  const server = (await run.call('GET', `/v1/servers/${id}`)).body.server;
  assert.equal(server.rescue_enabled, true);
  assert.equal(server.image.name, 'debian-12');

  const actions = await run.call('GET', `/v1/servers/${id}/actions?sort=id`);
  assert.deepEqual(
    actions.body.actions.map((a: { command: string }) => a.command),
    ['create_server', 'start_server', 'stop_server', 'change_server_type', 'start_server', 'rebuild_server', 'enable_rescue', 'reset_server'],
  );
  const one = await run.call('GET', `/v1/servers/${id}/actions/${rebuilt.body.action.id}`);
  assert.equal(one.body.action.command, 'rebuild_server');

  const ips = await run.call('GET', '/v1/primary_ips');
  assert.deepEqual(ips.body.primary_ips.map((p: { type: string; assignee_id: number }) => [p.type, p.assignee_id]), [['ipv4', id], ['ipv6', id]]);
  assert.equal((await run.call('GET', `/v1/primary_ips/${server.public_net.ipv4.id}`)).body.primary_ip.ip, server.public_net.ipv4.ip);
  assert.equal((await run.call('DELETE', `/v1/servers/${id}`)).status, 200);
  assert.deepEqual(nonConforming(run), []);
});

test('/pricing with Hetzner\'s precision; an unemulated route answers in Hetzner\'s error format and names itself', async (t) => {
  const run = await startFor(t, 'hetzner', AUTH);
  const pricing = (await run.call('GET', '/v1/pricing')).body.pricing;
  assert.equal(pricing.currency, 'EUR');
  const cx22 = pricing.server_types.find((s: { name: string }) => s.name === 'cx22');
  assert.match(cx22.prices[0].price_hourly.net, /^\d+\.\d{10}$/);
  assert.match(cx22.prices[0].price_hourly.gross, /^\d+\.\d{16}$/);
  assert.equal(pricing.primary_ips.find((p: { type: string }) => p.type === 'ipv4').prices[0].price_monthly.net, '0.5000000000');
  const lb = await run.call('GET', '/v1/load_balancers');
  assert.equal(lb.status, 404);
  assert.equal(lb.body.error.code, 'not_found');
  assert.equal(lb.body.error.message, 'ferry emulator: GET /v1/load_balancers is not emulated');
  assert.deepEqual(nonConforming(run).filter((e) => !e.includes('/v1/load_balancers')), []);
});
