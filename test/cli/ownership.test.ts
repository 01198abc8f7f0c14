import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/index.js';
import { parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

/**
 * A record ferry kept whose id now names another server (a reused id, a server someone else
 * made): destroy refuses naming both, the inventory marks the old record gone, show never
 * presents the other server as ferry's, and gc never destroys servers the agent made.
 */
describe('ferry never touches what is not its own', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  let url: string;
  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HCLOUD_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['hetzner'] });
    env = { ...box.env, ...t.env };
    url = t.emu.urls.hetzner!;
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('destroy of a stale record refuses (not_owned, naming both), leaves the other server alone and marks the record gone', async () => {
    const made = await raw('POST', '/v1/servers', { name: 'someone-else', server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: { team: 'db' } });
    assert.equal(made.status, 201);
    const foreignId = String(made.body.server.id);
    const store = await openStore(box.dbPath);
    try {
      await store.inventory.upsert({ provider: 'hetzner', instanceId: foreignId, name: 'web', region: 'fsn1', size: 'cx22', createId: 'c0ffee00-0000-4000-8000-0000000057a1', labels: { 'managed-by': 'ferry' } });
    } finally {
      await store.close();
    }
    const shown = await runCli(['show', 'web', '--json'], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.notEqual(parseJson<{ name: string }>(shown.stdout).name, 'someone-else', 'show never prints the other server as ferry\'s');
    assert.match(shown.stderr, /now names another server \(someone-else\)/);

    const r = await runCli(['destroy', 'web', '--yes'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /c0ffee00-0000-4000-8000-0000000057a1/);
    assert.match(r.stderr, /someone-else/);
    const still = await raw('GET', `/v1/servers/${foreignId}`);
    assert.equal(still.status, 200, 'the other server survives');
    assert.equal(t.exchanges.filter((x) => x.method === 'DELETE').length, 0, 'no DELETE was sent');
    const after = await openStore(box.dbPath);
    try {
      assert.equal((await after.inventory.list()).length, 0, 'the stale record is marked gone');
      assert.equal((await after.history.list({ kind: 'not_owned' })).length, 1);
    } finally {
      await after.close();
    }
  });

  it('servers the agent made survive gc --destroy-orphans; ls shows them as the agent\'s', async () => {
    const labels = { 'managed-by': 'ferry', 'ferry-create-id': 'dc-c0ntract1', 'ferry-owner': 'agent', 'dc-contract-0': 'c0ntract1' };
    const rental = await raw('POST', '/v1/servers', { name: 'dc-c0ntract1', server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels });
    assert.equal(rental.status, 201);
    const rentalId = String(rental.body.server.id);
    // An older agent server, from before the owner label: its contract labels say whose it is.
    const { ['ferry-owner']: _, ...olderLabels } = { ...labels, 'ferry-create-id': 'dc-older', 'dc-contract-0': 'older' };
    const older = await raw('POST', '/v1/servers', { name: 'dc-older', server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: olderLabels });
    assert.equal(older.status, 201);

    const listed = await runCli(['ls', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = parseJson<{ id: string; owner: string }[]>(listed.stdout);
    assert.equal(rows.find((r) => r.id === rentalId)?.owner, 'agent:c0ntract1');
    assert.equal(rows.find((r) => r.id === String(older.body.server.id))?.owner, 'agent:older');

    const gc = await runCli(['gc', '--destroy-orphans', '--yes', '--json'], env);
    assert.equal(gc.code, 0, gc.stderr);
    const out = parseJson<{ orphans: { id: string }[]; agent: { id: string; owner: string }[] }>(gc.stdout);
    assert.ok(!out.orphans.some((o) => o.id === rentalId), 'not an orphan');
    assert.deepEqual(out.agent.map((a) => a.owner).sort(), ['agent:c0ntract1', 'agent:older']);
    assert.equal((await raw('GET', `/v1/servers/${rentalId}`)).status, 200, 'the rental server survives');
    assert.equal((await raw('GET', `/v1/servers/${older.body.server.id}`)).status, 200, 'the older rental server survives');
  });

  it('stop, reboot and reinstall refuse a stale record; start/stop/reboot act on ferry\'s own server', async () => {
    const made = await raw('POST', '/v1/servers', { name: 'not-ferrys', server_type: 'cx22', location: 'fsn1', image: 'debian-12' });
    const foreignId = String(made.body.server.id);
    const snapForeign = await raw('POST', '/v1/servers', { name: 'not-ferrys-either', server_type: 'cx22', location: 'fsn1', image: 'debian-12' });
    const snapForeignId = String(snapForeign.body.server.id);
    const createId = 'c0ffee00-0000-4000-8000-0000000000a1';
    const mine = await raw('POST', '/v1/servers', { name: 'api-1', server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: { 'managed-by': 'ferry', 'ferry-create-id': createId } });
    const mineId = String(mine.body.server.id);
    const store = await openStore(box.dbPath);
    try {
      await store.inventory.upsert({ provider: 'hetzner', instanceId: foreignId, name: 'stale-api', region: 'fsn1', size: 'cx22', createId: 'c0ffee00-0000-4000-8000-0000000000ff' });
      await store.inventory.upsert({ provider: 'hetzner', instanceId: mineId, name: 'api-1', region: 'fsn1', size: 'cx22', createId });
      await store.inventory.upsert({ provider: 'hetzner', instanceId: snapForeignId, name: 'stale-snap', region: 'fsn1', size: 'cx22', createId: 'c0ffee00-0000-4000-8000-0000000000fe' });
    } finally {
      await store.close();
    }
    const actions = () => t.exchanges.filter((x) => x.method === 'POST' && x.path.includes('/actions/')).map((x) => x.path);
    const stop = await runCli(['stop', 'stale-api'], env);
    assert.equal(stop.code, 1, stop.stderr);
    assert.match(stop.stderr, /not-ferrys/);
    assert.deepEqual(actions(), [], 'no power action was sent');

    const snap = await runCli(['snapshot', 'create', 'stale-snap'], env);
    assert.equal(snap.code, 1, snap.stderr);
    assert.match(snap.stderr, /not-ferrys-either/);
    assert.deepEqual(actions(), [], 'no snapshot was taken');

    const reinstall = await runCli(['reinstall', 'stale-api', '--ipxe', 'http://127.0.0.1:9/boot.ipxe', '--yes'], env);
    assert.notEqual(reinstall.code, 0);
    assert.deepEqual(actions(), [], 'nothing was reinstalled');
    assert.equal((await raw('GET', `/v1/servers/${foreignId}`)).status, 200);

    const stopped = await runCli(['stop', 'api-1', '--json'], env);
    assert.equal(stopped.code, 0, stopped.stderr);
    const out = parseJson<{ status: string; action: string; billing: string | null }>(stopped.stdout);
    assert.equal(out.status, 'off');
    assert.ok(out.billing, 'the billing consequence is said');
    const started = await runCli(['start', 'api-1'], env);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /started api-1 .*: active/);
    assert.equal((await runCli(['reboot', 'api-1', '--json'], env)).code, 0);
  });

  it('records of another endpoint never match: destroy does not find them, ls does not show them', async () => {
    const other = await raw('POST', '/v1/servers', { name: 'shop', server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: { 'managed-by': 'ferry', 'ferry-create-id': 'c0ffee00-0000-4000-8000-0000000000b2' } });
    const otherId = String(other.body.server.id);
    const store = await openStore(box.dbPath);
    try {
      // Made through another endpoint; the id happens to exist here too.
      await store.inventory.upsert({ provider: 'hetzner', instanceId: otherId, name: 'old-web', region: 'fsn1', size: 'cx22', createId: 'c0ffee00-0000-4000-8000-0000000000b1', endpoint: 'https://api.hetzner.cloud/v1', account: null });
    } finally {
      await store.close();
    }
    const deletes = () => t.exchanges.filter((x) => x.method === 'DELETE').length;
    const before = deletes();
    const r = await runCli(['destroy', 'old-web', '--yes'], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /no instance named or with id "old-web"/);
    assert.equal(deletes(), before, 'no DELETE was sent');
    const listed = parseJson<{ name: string }[]>((await runCli(['ls', '--json'], env)).stdout);
    assert.ok(!listed.some((row) => row.name === 'old-web'), 'the other endpoint\'s record is not listed');
    assert.equal((await raw('GET', `/v1/servers/${otherId}`)).status, 200);

    // A row written now records this endpoint.
    const gc = await runCli(['gc', '--json'], env);
    assert.equal(gc.code, 0, gc.stderr);
    const check = await openStore(box.dbPath);
    try {
      assert.equal((await check.inventory.get('hetzner', otherId))?.endpoint, 'https://api.hetzner.cloud/v1', 'the old row keeps its endpoint');
      assert.equal((await check.inventory.get('hetzner', otherId))?.deletedAt, null, 'gc does not close another endpoint\'s row');
    } finally {
      await check.close();
    }
  });
  it('snapshot rm re-reads the snapshot: one without ferry\'s marker, or of another instance than recorded, is refused naming both', async () => {
    const server = await raw('POST', '/v1/servers', { name: 'snap-src', server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: { 'managed-by': 'ferry' } });
    const serverId = String(server.body.server.id);
    const foreign = await raw('POST', `/v1/servers/${serverId}/actions/create_image`, { type: 'snapshot', description: 'their-backup' });
    assert.equal(foreign.status, 201);
    const foreignId = String(foreign.body.image.id);
    const marked = await raw('POST', `/v1/servers/${serverId}/actions/create_image`, { type: 'snapshot', description: 'marked', labels: { 'managed-by': 'ferry' } });
    const markedId = String(marked.body.image.id);
    const store = await openStore(box.dbPath);
    try {
      // ferry recorded this id as a snapshot of another server.
      await store.history.record({ provider: 'hetzner', kind: 'snapshot_created', instanceId: '999999', name: 'gone-web', detail: { snapshotId: markedId, snapshot: 'gone-web-1' } });
    } finally {
      await store.close();
    }
    const deletes = () => t.exchanges.filter((x) => x.method === 'DELETE' && x.path.startsWith('/v1/images/')).length;
    const r = await runCli(['snapshot', 'rm', foreignId, '--provider', 'hetzner'], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`refusing to delete hetzner snapshot ${foreignId}: ferry has no record of it but no snapshot carrying ferry's owner marker`));
    const other = await runCli(['snapshot', 'rm', markedId, '--provider', 'hetzner'], env);
    assert.equal(other.code, 1, other.stderr);
    assert.match(other.stderr, /ferry recorded snapshot gone-web-1 of instance 999999 but the id now names snapshot marked of instance \d+/);
    assert.equal(deletes(), 0, 'no DELETE was sent');
    assert.equal((await raw('GET', `/v1/images/${foreignId}`)).status, 200);

    const own = await runCli(['snapshot', 'create', 'api-1', '--json'], env);
    assert.equal(own.code, 0, own.stderr);
    const snap = parseJson<{ id: string }>(own.stdout);
    const listed = await runCli(['snapshot', 'ls', '--provider', 'hetzner'], env);
    assert.match(listed.stdout, new RegExp(`^hetzner\\s+${snap.id}\\s+\\S+\\s+api-1 \\(\\d+\\)`, 'm'), 'the instance is named');
    const rm = await runCli(['snapshot', 'rm', snap.id, '--provider', 'hetzner'], env);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(deletes(), 1);
  });
});
