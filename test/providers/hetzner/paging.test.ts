/** The emulated Hetzner Cloud API at fleet scale: pages of a big server list, filters applied before the page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConformant, startHetzner, type Harness } from './support.js';

async function createServers(h: Harness, n: number, labels: (i: number) => Record<string, string>): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await h.api('POST', '/v1/servers', { name: `pg-${i}`, server_type: 'cx22', location: 'fsn1', image: 'ubuntu-24.04', labels: labels(i) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
}

test('a page of 110 servers: first, middle and last pages, meta.pagination, label and status filters before the page', async (t) => {
  // Boots take 40 emulated days: every server stays "initializing" for the whole test, so statuses are stable.
  const h = await startHetzner(t, { bootMs: 40 * 86_400_000 });
  await createServers(h, 110, (i) => ({ fleet: 'pg', parity: i % 2 ? 'odd' : 'even' }));
  const all = (await h.api('GET', '/v1/servers?per_page=50&page=1')).body;
  const ids: number[] = [];
  for (let page = 1; page <= 3; page++) ids.push(...(await h.api('GET', `/v1/servers?per_page=50&page=${page}`)).body.servers.map((s: { id: number }) => s.id));
  assert.equal(ids.length, 110);
  assert.equal(new Set(ids).size, 110);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'servers are listed by id');

  const meta = async (q: string) => {
    const r = await h.api('GET', `/v1/servers?${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { names: r.body.servers.map((s: { name: string }) => s.name), pagination: r.body.meta.pagination };
  };
  assert.deepEqual(all.meta.pagination, { page: 1, per_page: 50, previous_page: null, next_page: 2, last_page: 3, total_entries: 110 });
  const middle = await meta('per_page=50&page=2');
  assert.deepEqual(middle.pagination, { page: 2, per_page: 50, previous_page: 1, next_page: 3, last_page: 3, total_entries: 110 });
  assert.deepEqual(middle.names, Array.from({ length: 50 }, (_, i) => `pg-${50 + i}`));
  const last = await meta('per_page=50&page=3');
  assert.deepEqual(last.pagination, { page: 3, per_page: 50, previous_page: 2, next_page: null, last_page: 3, total_entries: 110 });
  assert.deepEqual(last.names, Array.from({ length: 10 }, (_, i) => `pg-${100 + i}`));
  // The default page size is 25; a page size over 50 is cut to 50; a malformed page is refused.
  assert.deepEqual((await meta('page=5')).pagination, { page: 5, per_page: 25, previous_page: 4, next_page: null, last_page: 5, total_entries: 110 });
  assert.equal((await meta('per_page=500')).pagination.per_page, 50);
  const bad = await h.api('GET', '/v1/servers?page=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_input');

  // The label selector filters before the page: 55 odd servers, the second page of 25.
  const odd = await meta('label_selector=parity%3Dodd&per_page=25&page=2');
  assert.deepEqual(odd.pagination, { page: 2, per_page: 25, previous_page: 1, next_page: 3, last_page: 3, total_entries: 55 });
  assert.deepEqual(odd.names, Array.from({ length: 25 }, (_, i) => `pg-${2 * (25 + i) + 1}`));
  // So does the status filter.
  assert.equal((await meta('status=initializing&per_page=50&page=3')).pagination.total_entries, 110);
  assert.deepEqual((await meta('status=running')).pagination.total_entries, 0);

  // A page renders the same server as a single read does.
  const one = (await h.api('GET', `/v1/servers/${ids[60]}`)).body.server;
  const onPage = (await h.api('GET', '/v1/servers?per_page=50&page=2')).body.servers[10];
  assert.deepEqual(onPage, one);
  assertConformant(h);
});

test('a server lists only its own actions, in pages', async (t) => {
  const h = await startHetzner(t);
  await createServers(h, 12, () => ({}));
  const servers = (await h.api('GET', '/v1/servers?per_page=50')).body.servers as { id: number }[];
  const target = servers[5]!.id;
  for (const kind of ['poweroff', 'poweron', 'reboot']) assert.equal((await h.api('POST', `/v1/servers/${target}/actions/${kind}`)).status, 201);
  const mine = (await h.api('GET', `/v1/servers/${target}/actions?per_page=2&page=2`)).body;
  assert.equal(mine.meta.pagination.total_entries, 5, 'create_server, start_server and three power actions');
  assert.deepEqual(mine.actions.map((a: { command: string }) => a.command), ['stop_server', 'start_server']);
  for (const a of mine.actions) assert.deepEqual(a.resources, [{ id: target, type: 'server' }]);
  assertConformant(h);
});
