import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/index.js';
import { skipReason, startPostgres } from '../support/postgres.js';
import { parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

describe('ferry inventory, costs, history prune, store migrate', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['digitalocean', 'hetzner'] });
    env = { ...box.env, ...t.env };
    for (const [provider, size, region, name, owner] of [
      ['hetzner', 'cx22', 'fsn1', 'inv-a', 'ana'],
      ['digitalocean', 's-1vcpu-1gb', 'fra1', 'inv-b', 'bo'],
      ['hetzner', 'cx22', 'nbg1', 'inv-c', 'ana'],
    ] as const) {
      const r = await runCli(['deploy', '--provider', provider, '--size', size, '--region', region, '--name', name, '--label', `owner=${owner}`, '--ssh-key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test', '--no-wait'], env);
      assert.equal(r.code, 0, r.stderr);
    }
    const d = await runCli(['destroy', 'inv-c', '--yes'], env);
    assert.equal(d.code, 0, d.stderr);
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('inventory shows servers per provider, region and status, spend, oldest and labels', async () => {
    const r = await runCli(['inventory', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const s = parseJson<{ total: number; live: number; destroyed: number; byProvider: { key: string; count: number }[]; spend: { currency: string }[]; labels: { key: string; values: { key: string; count: number }[] }[]; oldest: { name: string } }>(r.stdout);
    assert.deepEqual([s.total, s.live, s.destroyed], [3, 2, 1]);
    assert.deepEqual(s.byProvider.map((c) => c.key).sort(), ['digitalocean', 'hetzner']);
    assert.deepEqual(s.spend.map((x) => x.currency).sort(), ['EUR', 'USD']);
    assert.deepEqual(s.labels.find((l) => l.key === 'owner')?.values.map((v) => v.key).sort(), ['ana', 'bo']);
    assert.equal(s.oldest.name, 'inv-a');
    const table = await runCli(['inventory'], env);
    assert.match(table.stdout, /^3 servers recorded: 2 live, 1 destroyed/);
    const csv = await runCli(['inventory', '--csv'], env);
    assert.match(csv.stdout, /^section,key,value\ntotal,servers,3\n/);
  });

  it('costs group by label and month at the launch price, with --csv and a validated window', async () => {
    const r = await runCli(['costs', '--by', 'label:owner', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const c = parseJson<{ by: string; groups: { key: string; currency: string; instances: number }[]; instances: unknown[] }>(r.stdout);
    assert.equal(c.by, 'label:owner');
    assert.deepEqual(c.groups.map((g) => `${g.key}:${g.currency}:${g.instances}`), ['ana:EUR:2', 'bo:USD:1']);
    assert.equal(c.instances.length, 3);
    const csv = await runCli(['costs', '--by', 'provider', '--csv'], env);
    assert.match(csv.stdout, /^provider,currency,cost,hours,instances\ndigitalocean,USD,[\d.e-]+,[\d.e-]+,1\nhetzner,EUR,[\d.e-]+,[\d.e-]+,2\n$/);
    const bad = await runCli(['costs', '--since', 'yesterday-ish'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since yesterday-ish is not a date/);
    const later = await runCli(['costs', '--since', '2099-01-01', '--json'], env);
    assert.deepEqual(parseJson<{ groups: unknown[] }>(later.stdout).groups, []);
  });

  it('export --csv then import on a fresh store reproduces the inventory; a row for a server that does not exist is refused', async () => {
    // `ls` brings the recorded statuses and addresses up to date, as the import's provider check will.
    assert.equal((await runCli(['ls'], env)).code, 0);
    const exported = await runCli(['inventory', 'export', '--csv'], env);
    assert.equal(exported.code, 0, exported.stderr);
    const file = join(box.dir, 'inventory.csv');
    writeFileSync(file, exported.stdout);
    const fresh = sandbox();
    try {
      const freshEnv = { ...fresh.env, ...t.env };
      const r = await runCli(['inventory', 'import', file, '--json'], freshEnv);
      assert.equal(r.code, 0, r.stderr);
      const outcomes = parseJson<{ rows: { instanceId: string; outcome: string }[] }>(r.stdout).rows;
      assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['adopted', 'adopted', 'recorded']);
      const again = await runCli(['inventory', 'export', '--csv'], freshEnv);
      assert.equal(again.stdout, exported.stdout);

      const bogus = exported.stdout.trimEnd().split('\n');
      const header = bogus[0]!.split(',');
      const cells = Array.from({ length: header.length }, () => '');
      const set = (col: string, v: string) => (cells[header.indexOf(col)] = v);
      set('provider', 'hetzner'), set('instance_id', '999999'), set('name', 'ghost'), set('region', 'fsn1'), set('size', 'cx22'), set('created_at', '2026-01-01T00:00:00.000Z');
      const ghost = join(box.dir, 'ghost.csv');
      writeFileSync(ghost, `${bogus[0]}\n${cells.join(',')}\nhetzner,,x,fsn1,cx22,,,,,,,2026-01-01,,,,\n`);
      const refused = await runCli(['inventory', 'import', ghost], freshEnv);
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /2\s+hetzner\s+999999\s+refused\s+no such server at hetzner/);
      assert.match(refused.stdout, /3\s+hetzner\s+refused\s+instance_id is empty/);
      assert.match(refused.stdout, /0 adopted, 0 recorded, 0 already known, 2 refused/);
    } finally {
      fresh.cleanup();
    }
  });

  it('history --since filters and prune says how many events it removed', async () => {
    // Dates are on the emulator's clock (×1000 here): 30 days of it are 43 real minutes, the whole file's events.
    const recent = await runCli(['history', '--since', '30d', '--json', '--limit', '100'], env);
    assert.ok(parseJson<unknown[]>(recent.stdout).length >= 4);
    assert.deepEqual(parseJson<unknown[]>((await runCli(['history', '--until', '2000-01-01', '--json'], env)).stdout), []);
    const r = await runCli(['history', 'prune', '--older-than', '90d'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^removed 0 event\(s\) older than /);
    const bad = await runCli(['history', 'prune', '--older-than', 'soon'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--older-than must be a duration/);
  });
});

describe('ferry store migrate --to postgres://', async () => {
  const cluster = await startPostgres();
  after(() => cluster?.stop());
  it('copies the SQLite store into an empty PostgreSQL database and refuses a second copy', { skip: cluster ? false : skipReason() }, async () => {
    const box = sandbox();
    try {
      const src = await openStore(box.dbPath);
      await src.inventory.upsert({ provider: 'hetzner', instanceId: '7', name: 'm', region: 'fsn1', size: 'cx22', priceHourly: 0.006, currency: 'EUR', labels: { owner: 'ana' } });
      await src.history.record({ provider: 'hetzner', kind: 'created', instanceId: '7', name: 'm' });
      await src.close();
      const url = await cluster!.createDatabase('migrate_cli');
      const r = await runCli(['store', 'migrate', '--to', url, '--json'], box.env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(parseJson<{ tables: { name: string; rows: number }[] }>(r.stdout).tables.map((x) => `${x.name}:${x.rows}`), ['inventory:1', 'create_journal:0', 'history:1', 'offer_suppressions:0']);
      const pg = await openStore(url);
      try {
        assert.equal((await pg.inventory.get('hetzner', '7'))?.labels.owner, 'ana');
        assert.equal((await pg.history.list()).length, 1);
      } finally {
        await pg.close();
      }
      const again = await runCli(['store', 'migrate', '--to', url], box.env);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already has rows in inventory/);
    } finally {
      box.cleanup();
    }
  });
});
