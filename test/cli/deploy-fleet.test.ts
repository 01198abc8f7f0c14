/**
 * `ferry deploy --count` and `ferry destroy --fleet`: a fleet from the CLI, journaled before any
 * create is sent, batched where the provider can, found again by `ferry gc` after a crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CREATE_ID_KEY, FLEET_KEY } from '../../src/core/index.js';
import type { InstanceRow as Row } from '../../src/cli/instances.js';
import { openStore } from '../../src/store/index.js';
import { cliWorld, createRequests, parseJson, runCli, sandbox, testEmulator } from './helpers.js';

const DO_FLEET = ['deploy', '--provider', 'digitalocean', '--size', 's-1vcpu-1gb', '--region', 'nyc3'];

describe('ferry deploy --count, destroy --fleet', () => {
  const w = cliWorld({ providers: ['digitalocean', 'hetzner'] });

  let fleet = '';
  it('deploys 12 droplets in two multi-creates, each journaled, recorded and ready', async () => {
    const r = await runCli([...DO_FLEET, '--count', '12', '--name', 'web', '--json'], w.env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<{ fleet: string; servers: Row[]; failed: unknown[] }>(r.stdout);
    assert.deepEqual(out.servers.map((s) => s.name), Array.from({ length: 12 }, (_, i) => `web-${i + 1}`));
    assert.ok(out.servers.every((s) => s.status === 'active' && s.ip && s.labels[FLEET_KEY] === out.fleet));
    assert.deepEqual(out.failed, []);
    fleet = out.fleet;
    assert.equal(createRequests(w.t.exchanges).length, 2, 'ten names a create');
    const store = await openStore(w.box.dbPath);
    try {
      const rows = (await store.inventory.list()).filter((row) => row.labels[FLEET_KEY] === fleet);
      assert.equal(rows.length, 12);
      for (const row of rows) {
        assert.equal(row.createId, row.labels[CREATE_ID_KEY]);
        assert.equal((await store.journal.get(row.createId!))?.state, 'confirmed');
        assert.ok(row.ipv4 && row.priceHourly, `${row.name}: address and price recorded`);
      }
      assert.equal((await store.journal.pending()).length, 0);
      assert.equal((await store.history.list({ kind: 'ready' })).length, 12);
    } finally {
      await store.close();
    }
  });

  it('ls shows each server\'s fleet, and ls --fleet lists one fleet by its tag', async () => {
    const single = await runCli(['deploy', '--provider', 'digitalocean', '--size', 's-1vcpu-1gb', '--region', 'nyc3', '--name', 'alone', '--no-wait'], w.env);
    assert.equal(single.code, 0, single.stderr);
    const table = await runCli(['ls', '--provider', 'digitalocean'], w.env);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /OWNER\s+FLEET$/);
    assert.match(lines.find((l) => l.startsWith('web-1 '))!, new RegExp(`ferry\\s+${fleet}$`));
    assert.match(lines.find((l) => l.startsWith('alone '))!, /ferry\s+-$/);
    const from = w.t.exchanges.length;
    const one = await runCli(['ls', '--fleet', fleet, '--json'], w.env);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(parseJson<Row[]>(one.stdout).map((x) => x.name).sort(), Array.from({ length: 12 }, (_, i) => `web-${i + 1}`).sort());
    const listings = w.t.exchanges.slice(from).filter((x) => x.method === 'GET' && x.path === '/v2/droplets');
    assert.ok(listings.length > 0 && listings.every((x) => x.query.includes(`tag_name=${encodeURIComponent(`${FLEET_KEY}:${fleet}`)}`)), listings.map((x) => x.query).join());
    const before = w.t.exchanges.length;
    const bad = await runCli(['ls', '--fleet', 'no such'], w.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fleet "no such"/);
    assert.equal(w.t.exchanges.length, before, 'refused before any request');
  });

  it('destroy --fleet removes the twelve with one DELETE by the fleet tag and marks every row destroyed', async () => {
    const from = w.t.exchanges.length;
    const r = await runCli(['destroy', '--fleet', fleet, '--yes'], w.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('destroyed web-')).length, 12);
    const deletes = w.t.exchanges.slice(from).filter((x) => x.method === 'DELETE');
    assert.deepEqual(deletes.map((x) => `${x.path}${x.query}`), [`/v2/droplets?tag_name=${encodeURIComponent(`${FLEET_KEY}:${fleet}`)}`]);
    const store = await openStore(w.box.dbPath);
    try {
      assert.equal((await store.inventory.list()).filter((row) => row.labels[FLEET_KEY] === fleet).length, 0);
    } finally {
      await store.close();
    }
    const again = await runCli(['destroy', '--fleet', fleet, '--yes'], w.env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no server of fleet/);
  });

  it('--no-wait returns once the creates are answered: every server recorded, none waited for', async () => {
    const from = w.t.exchanges.length;
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--count', '5', '--name', 'quick', '--no-wait', '--json'], w.env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<{ servers: Row[] }>(r.stdout);
    assert.deepEqual(out.servers.map((s) => s.name), ['quick-1', 'quick-2', 'quick-3', 'quick-4', 'quick-5']);
    const sent = w.t.exchanges.slice(from);
    assert.equal(sent.filter((x) => x.method === 'POST' && x.path === '/v1/servers').length, 5);
    assert.equal(sent.filter((x) => x.method === 'GET' && /^\/v1\/servers/.test(x.path)).length, 0, 'no readiness round');
    const store = await openStore(w.box.dbPath);
    try {
      const rows = (await store.inventory.list()).filter((row) => row.name.startsWith('quick-'));
      assert.equal(rows.length, 5);
      for (const row of rows) assert.equal((await store.journal.get(row.createId!))?.state, 'confirmed');
    } finally {
      await store.close();
    }
  });

  it('a fleet whose boot wait times out is exit 5: its servers are recorded, and the hint names destroy --fleet', async () => {
    // Servers that take a day to boot: the wait times out whatever the machine's speed.
    const slow = await testEmulator({ providers: ['hetzner'], bootMs: 86_400_000 });
    try {
      const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--count', '2', '--name', 'late'], { ...w.box.env, ...slow.env, FERRY_READY_TIMEOUT_MS: '1' });
      assert.equal(r.code, 5, r.stderr);
      const fleetId = /destroy --fleet (\w+)/.exec(r.stderr)?.[1];
      assert.ok(fleetId, r.stderr);
      const store = await openStore(w.box.dbPath);
      try {
        const rows = (await store.inventory.list()).filter((row) => row.labels[FLEET_KEY] === fleetId);
        assert.deepEqual(rows.map((row) => row.name).sort(), ['late-1', 'late-2']);
        assert.equal((await store.journal.pending()).length, 0);
      } finally {
        await store.close();
      }
    } finally {
      await slow.emu.close();
    }
  });

  it('bad --count and the flags a fleet does not take are exit 2 naming the flag, before any request', async () => {
    const from = w.t.exchanges.length;
    for (const [flags, says] of [
      [['--count', '0'], /--count 0/],
      [['--count', '2.5'], /--count 2.5/],
      [['--count', '3', '--wait', 'forever'], /--wait forever is not a stage/],
    ] as const) {
      const r = await runCli([...DO_FLEET, ...flags], w.env);
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, says);
    }
    assert.equal(w.t.exchanges.length, from, 'nothing sent');
  });
});

describe('ferry deploy --count placed by the offer filters', () => {
  const w = cliWorld({ providers: ['hetzner'] });

  it('goes to the next-cheapest offer when the cheapest can make none of them, journaling each failed create', async () => {
    const probe = await runCli(['offers', '--provider', 'hetzner', '--min-cpu', '2', '--min-memory', '4', '--arch', 'x86', '--json'], w.env);
    const cheapest = parseJson<{ offers: { plan: string }[] }>(probe.stdout).offers[0]!;
    const faulted = await testEmulator({ providers: ['hetzner'], faults: `capacity=hetzner:*:${cheapest.plan}` });
    try {
      const env = { ...w.box.env, ...faulted.env };
      const r = await runCli(['deploy', '--provider', 'hetzner', '--min-cpu', '2', '--min-memory', '4', '--count', '3', '--name', 'placed', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      const out = parseJson<{ servers: Row[]; failed: unknown[] }>(r.stdout);
      assert.equal(out.servers.length, 3);
      assert.ok(out.servers.every((s) => s.size !== cheapest.plan && s.status === 'active'), out.servers.map((s) => s.size).join());
      assert.deepEqual(out.failed, []);
      assert.match(r.stderr, /no capacity: .*next-cheapest/);
      const store = await openStore(w.box.dbPath);
      try {
        assert.equal((await store.journal.pending()).length, 0);
        const failed = (await store.history.list({ kind: 'create_failed' })).length;
        assert.ok(failed >= 3 && failed % 3 === 0, `every create of a refused offer closed: ${failed}`);
        assert.equal((await store.inventory.list()).length, 3);
      } finally {
        await store.close();
      }
    } finally {
      await faulted.emu.close();
    }
  });
});

describe('ferry deploy --count placed where the cheapest offer runs out mid-fleet', () => {
  const w = cliWorld({ providers: ['hetzner'] });
  const PLACED = ['deploy', '--provider', 'hetzner', '--min-cpu', '2', '--min-memory', '4', '--json'];

  /** The cheapest matching offer, and an emulator where it has room for `room` servers more; a store of its own (capacity failures are remembered). */
  const runsOut = async (room: number) => {
    const probe = await runCli(['offers', '--provider', 'hetzner', '--min-cpu', '2', '--min-memory', '4', '--arch', 'x86', '--json'], w.env);
    const cheapest = parseJson<{ offers: { plan: string; region: string }[] }>(probe.stdout).offers[0]!;
    const t = await testEmulator({ providers: ['hetzner'], faults: `capacity=hetzner:${cheapest.region}:${cheapest.plan}:${room}` });
    const box = sandbox();
    return { cheapest, box, env: { ...box.env, ...t.env }, close: async () => (await t.emu.close(), box.cleanup()) };
  };

  it('keeps what the cheapest made and sends the rest to the next-cheapest, all in one fleet that destroy --fleet removes', async () => {
    const { cheapest, box, env, close } = await runsOut(2);
    try {
      const r = await runCli([...PLACED, '--count', '5', '--name', 'spread'], env);
      assert.equal(r.code, 0, r.stderr);
      const out = parseJson<{ fleet: string; placements: { region: string; size: string; servers: number }[]; servers: Row[]; failed: unknown[] }>(r.stdout);
      assert.deepEqual(out.failed, []);
      assert.equal(out.placements.length, 2);
      assert.deepEqual(out.placements.map((p) => [p.region, p.size, p.servers]).slice(0, 1), [[cheapest.region, cheapest.plan, 2]]);
      assert.equal(out.placements[1]!.servers, 3);
      assert.notDeepEqual([out.placements[1]!.region, out.placements[1]!.size], [cheapest.region, cheapest.plan]);
      assert.deepEqual(out.servers.map((s) => s.name).sort(), ['spread-1', 'spread-2', 'spread-3', 'spread-4', 'spread-5']);
      assert.ok(out.servers.every((s) => s.status === 'active' && s.labels[FLEET_KEY] === out.fleet));
      assert.match(r.stderr, /no capacity: .*next-cheapest/);
      const store = await openStore(box.dbPath);
      try {
        assert.equal((await store.journal.pending()).length, 0);
        assert.equal((await store.history.list({ kind: 'create_failed' })).length, 3, 'the three the cheapest refused are closed');
        assert.equal((await store.history.list({ kind: 'ready' })).length, 5);
      } finally {
        await store.close();
      }
      const down = await runCli(['destroy', '--fleet', out.fleet, '--yes'], env);
      assert.equal(down.code, 0, down.stderr);
      const left = parseJson<Row[]>((await runCli(['ls', '--provider', 'hetzner', '--json'], env)).stdout);
      assert.deepEqual(left.filter((x) => x.labels[FLEET_KEY] === out.fleet), []);
    } finally {
      await close();
    }
  });

  it('with no offer left for the rest, reports what was made and names the rest failed (exit 1)', async () => {
    const { env, close } = await runsOut(1);
    try {
      const r = await runCli([...PLACED, '--count', '3', '--name', 'short', '--max-attempts', '1'], env);
      assert.equal(r.code, 1, r.stderr);
      const out = parseJson<{ fleet: string; servers: Row[]; failed: { name: string; error: string }[] }>(r.stdout);
      assert.deepEqual(out.servers.map((s) => s.name), ['short-1']);
      assert.deepEqual(out.failed.map((f) => f.name).sort(), ['short-2', 'short-3']);
      assert.ok(out.failed.every((f) => f.error.length > 0));
    } finally {
      await close();
    }
  });
});

describe('crash during deploy --count, then gc', () => {
  const w = cliWorld({ providers: ['digitalocean'] });

  it('SIGKILL once the twelve are made leaves twelve pending entries; gc finds each droplet of the batches and adopts it', async () => {
    const r = await runCli([...DO_FLEET, '--count', '12', '--name', 'lost'], { ...w.env, FERRY_TEST_CRASH_AFTER: 'create-sent' });
    assert.equal(r.signal, 'SIGKILL');
    let store = await openStore(w.box.dbPath);
    try {
      assert.equal((await store.journal.pending()).length, 12);
      assert.equal((await store.inventory.list()).length, 0, 'nothing recorded but the journal');
    } finally {
      await store.close();
    }
    const gc = await runCli(['gc'], w.env);
    assert.equal(gc.code, 0, gc.stderr);
    assert.match(gc.stdout, /unconfirmed creates: 12/);
    store = await openStore(w.box.dbPath);
    try {
      assert.equal((await store.journal.pending()).length, 0);
      const rows = await store.inventory.list();
      assert.deepEqual(rows.map((row) => row.name).sort(), Array.from({ length: 12 }, (_, i) => `lost-${i + 1}`).sort());
      for (const row of rows) assert.equal((await store.journal.get(row.createId!))?.instanceId, row.instanceId);
      assert.equal((await store.history.list({ kind: 'gc_adopted' })).length, 12);
    } finally {
      await store.close();
    }
  });
});
