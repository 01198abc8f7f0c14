import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CREATE_ID_KEY, MANAGED_BY_KEY } from '../../src/core/index.js';
import type { InstanceRow as Row } from '../../src/cli/instances.js';
import { openStore } from '../../src/store/index.js';
import { createRequests, parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';


describe('ferry deploy, ls, show, destroy', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['digitalocean', 'hetzner'] });
    env = { ...box.env, ...t.env };
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('deploys explicitly, waits until ready, and records the instance', async () => {
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'web-1', '--label', 'team=ops', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const inst = parseJson<Row>(r.stdout);
    assert.equal(inst.name, 'web-1');
    assert.equal(inst.status, 'active');
    assert.ok(inst.ip, 'ready means an address');
    assert.equal(inst.labels.team, 'ops');
    assert.equal(inst.labels[MANAGED_BY_KEY], 'ferry');
    assert.match(r.stderr, /created web-1/);
    const store = await openStore(box.dbPath);
    try {
      const row = await store.inventory.get('hetzner', inst.id);
      assert.equal(row?.name, 'web-1');
      assert.ok(row?.priceHourly && row.currency, 'price at launch recorded');
      assert.equal(row?.createId, inst.labels[CREATE_ID_KEY]);
      const journal = await store.journal.get(row!.createId!);
      assert.equal(journal?.state, 'confirmed');
      assert.deepEqual((await store.journal.pending()).length, 0);
      const kinds = (await store.history.list({ name: 'web-1' })).map((e) => e.kind);
      assert.deepEqual(kinds, ['ready', 'created']);
    } finally {
      await store.close();
    }
    // The create id was made for this create: nothing can carry it yet, so it is not looked up first.
    const lookups = t.exchanges.filter((x) => x.method === 'GET' && x.path === '/v1/servers' && new URLSearchParams(x.query).get('label_selector')?.includes(CREATE_ID_KEY));
    assert.deepEqual(lookups.map((x) => x.query), []);
    // No SSH key given: Hetzner generated a root password, shown once and stored nowhere.
    const password = (inst as Row & { rootPassword?: string }).rootPassword;
    assert.ok(password, 'the generated root password is handed to the user');
    const { existsSync, readFileSync } = await import('node:fs');
    for (const file of [box.dbPath, `${box.dbPath}-wal`].filter((f) => existsSync(f))) {
      assert.ok(!readFileSync(file).includes(password), `the password is not in the store (${file})`);
    }
  });

  it('the table output shows the image as asked for every provider and says how to log in without an SSH key', async () => {
    const hz = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'web-pw'], env);
    assert.equal(hz.code, 0, hz.stderr);
    assert.match(hz.stdout, /^image\s+ubuntu-24\.04$/m);
    assert.match(hz.stderr, /^log in: `ssh root@\S+` with the root password above/m);
    const doSizes = parseJson<{ offers: { plan: string; region: string }[] }>((await runCli(['offers', '--provider', 'digitalocean', '--json', '--limit', '1'], env)).stdout).offers[0]!;
    const dov = await runCli(['deploy', '--provider', 'digitalocean', '--size', doSizes.plan, '--region', doSizes.region, '--name', 'web-do'], env);
    assert.equal(dov.code, 0, dov.stderr);
    assert.match(dov.stdout, /^image\s+ubuntu-24\.04( \(.*\))?$/m, 'the same leading form on every provider');
    assert.match(dov.stderr, /no SSH key was given: log in with the root password digitalocean sends you|log in: `ssh root@/);
    const shown = await runCli(['show', 'web-do'], env);
    assert.match(shown.stdout, /^image\s+ubuntu-24\.04( \(.*\))?$/m);
  });

  it('placement flags are checked before any request: a negative --budget or --min-memory is exit 2 naming the flag', async () => {
    for (const [flags, message] of [
      [['--min-cpu', '2', '--budget', '-1'], /^error: --budget must be ≥ 0, got -1$/m],
      [['--min-memory', '-4'], /^error: --min-memory must be ≥ 0, got -4$/m],
    ] as [string[], RegExp][]) {
      // A fresh home: no cached prices, so anything that reached the catalog would ask the emulator.
      const fresh = sandbox();
      const sent = t.exchanges.length;
      const r = await runCli(['deploy', ...flags], { ...fresh.env, ...t.env }).finally(() => fresh.cleanup());
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(t.exchanges.length, sent, `${flags.join(' ')}: nothing may be sent`);
    }
  });

  it('an unknown region, size or image is exit 2 naming valid choices, and no create is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['--size', 'cx22', '--region', 'atlantis'], /atlantis[\s\S]*fsn1/],
      [['--size', 'cx9999', '--region', 'fsn1'], /cx9999[\s\S]*cx22/],
      [['--size', 'cx22', '--region', 'fsn1', '--image', 'windows-95'], /windows-95[\s\S]*ubuntu/],
      [['--size', 'cx22', '--region', 'fsn1', '--ssh-key', '/missing/id_ed25519.pub'], /^error: --ssh-key \/missing\/id_ed25519\.pub: no such file$/m],
      [['--size', 'cx22', '--region', 'fsn1', '--ssh-key', '~/nowhere/key'], /^error: --ssh-key ~\/nowhere\/key: no such file$/m],
      [['--size', 'cx22', '--region', 'fsn1', '-i', '/missing/id_ed25519'], /^error: -i\/--identity \/missing\/id_ed25519: no such file$/m],
    ];
    for (const [flags, mentions] of cases) {
      const before = createRequests(t.exchanges).length;
      const r = await runCli(['deploy', '--provider', 'hetzner', '--name', 'bad-1', ...flags], env);
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /m);
      assert.match(r.stderr, mentions);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(createRequests(t.exchanges).length, before, `${flags.join(' ')}: no create request may be sent`);
    }
    // Nothing was journaled or recorded for input that never became a create.
    const store = await openStore(box.dbPath);
    try {
      assert.deepEqual(await store.history.list({ name: 'bad-1' }), []);
      assert.equal((await store.db.query('SELECT create_id FROM create_journal WHERE name = $1', ['bad-1'])).length, 0);
    } finally {
      await store.close();
    }
  });

  it('places by constraints and moves to the next-cheapest offer on a capacity error', async () => {
    const probe = await runCli(['offers', '--provider', 'hetzner', '--min-cpu', '2', '--min-memory', '4', '--arch', 'x86', '--json'], env);
    const cheapest = parseJson<{ offers: { plan: string; region: string }[] }>(probe.stdout).offers[0]!;
    // Its own emulator and sandbox: ids restart per emulator and must not collide with web-1's row.
    const faulted = await testEmulator({ providers: ['hetzner'], faults: `capacity=hetzner:*:${cheapest.plan}` });
    const own = sandbox();
    try {
      const r = await runCli(['deploy', '--provider', 'hetzner', '--min-cpu', '2', '--min-memory', '4', '--name', 'placed-1', '--json'], { ...own.env, ...faulted.env });
      assert.equal(r.code, 0, r.stderr);
      const out = parseJson<Row & { attempts: { offer: string; outcome: string }[] }>(r.stdout);
      assert.notEqual(out.size, cheapest.plan);
      assert.ok(out.attempts.length >= 2);
      assert.equal(out.attempts[0]!.outcome, 'capacity');
      assert.match(out.attempts[0]!.offer, new RegExp(`hetzner ${cheapest.plan} in ${cheapest.region}`));
      assert.equal(out.attempts.at(-1)!.outcome, 'placed');
      assert.match(r.stderr, /trying hetzner/);
      assert.match(r.stderr, /no capacity: .*next-cheapest/);
      // Every failed attempt was journaled and marked failed, nothing left pending.
      const store = await openStore(own.dbPath);
      try {
        assert.equal((await store.journal.pending()).length, 0);
        const failed = (await store.history.list({ kind: 'create_failed' })).length;
        assert.equal(failed, out.attempts.length - 1);
      } finally {
        await store.close();
      }
    } finally {
      await faulted.emu.close();
      own.cleanup();
    }
  });

  it('ls --json lists managed instances with the documented fields', async () => {
    const r = await runCli(['ls', '--json', '--provider', 'hetzner'], env);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseJson<Row[]>(r.stdout);
    const web = rows.find((x) => x.name === 'web-1');
    assert.ok(web);
    assert.deepEqual(Object.keys(web).sort(), ['createdAt', 'id', 'ip', 'labels', 'name', 'owner', 'provider', 'region', 'size', 'status'].sort());
    assert.equal(web.provider, 'hetzner');
    const table = await runCli(['ls'], env);
    assert.match(table.stdout, /^NAME\s+PROVIDER\s+ID\s+STATUS/m);
    assert.match(table.stdout, /^web-1\s+hetzner\s+\d+\s+active/m);
    // The emulator runs 1000× faster: the age is measured on its clock (its Date header), as the
    // creation time is; on ours the server would look created in the future, 0s old.
    const ageOf = /^web-1\s+hetzner\s+\d+\s+active\s+\S+\s+\S+\s+\S+\s+(\S+(?: \S+m)?)\s/m.exec(table.stdout)?.[1];
    assert.match(ageOf ?? '', /^\d+(m|h \d+m|d \d+h)$/, `age column: ${ageOf}\n${table.stdout}`);
  });

  it('ls --all includes instances ferry did not create', async () => {
    const r = await runCli(['ls', '--all', '--json', '--provider', 'hetzner'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(parseJson<Row[]>(r.stdout).some((x) => x.name === 'web-1'));
  });

  it('show finds an instance by name and by id', async () => {
    const byName = await runCli(['show', 'web-1', '--json'], env);
    assert.equal(byName.code, 0, byName.stderr);
    const inst = parseJson<Row & { inInventory: boolean }>(byName.stdout);
    assert.equal(inst.inInventory, true);
    const byId = await runCli(['show', inst.id], env);
    assert.equal(byId.code, 0, byId.stderr);
    assert.match(byId.stdout, /^name\s+web-1$/m);
    const missing = await runCli(['show', 'no-such-server'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no instance named or with id "no-such-server"/);
  });

  it('destroy refuses without a terminal and without --yes', async () => {
    const r = await runCli(['destroy', 'web-1'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /without confirmation/);
    assert.match(r.stderr, /--yes/);
    assert.ok(!t.exchanges.some((x) => x.method === 'DELETE'));
  });

  it('a 401 during destroy is an authentication error (exit 1) and the inventory keeps the server', async () => {
    const r = await runCli(['destroy', 'web-1', '--yes'], { ...env, HCLOUD_TOKEN: 'invalid-token' });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: hetzner: .*\(authentication, HTTP 401/m);
    assert.match(r.stderr, /^hint: .*credentials/m);
    assert.ok(!r.stderr.includes('invalid-token'), 'the token is never printed');
    const store = await openStore(box.dbPath);
    try {
      const row = await store.inventory.findByName('web-1');
      assert.ok(row);
      assert.equal(row.deletedAt, null);
    } finally {
      await store.close();
    }
    const still = await runCli(['ls', '--json', '--provider', 'hetzner'], env);
    assert.equal(parseJson<Row[]>(still.stdout).find((x) => x.name === 'web-1')?.status, 'active');
  });

  it('destroy --yes destroys and marks the inventory row', async () => {
    const r = await runCli(['destroy', 'web-1', '--yes'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /destroyed web-1/);
    const store = await openStore(box.dbPath);
    try {
      assert.ok((await store.inventory.findByName('web-1'))?.deletedAt);
    } finally {
      await store.close();
    }
    const ls = await runCli(['ls', '--json', '--provider', 'hetzner'], env);
    assert.ok(!parseJson<Row[]>(ls.stdout).some((x) => x.name === 'web-1' && x.status === 'active'));
    // With FERRY_TIME_SCALE, launch and destroy are dated on the emulator's clock, like the ages `ls`
    // shows: between the deploy and the destroy processes at least tens of real ms passed, so at ×1000
    // more than 0.01 emulated hours (on our own clock it would be a fraction of that).
    const costs = await runCli(['costs', '--json'], env);
    assert.equal(costs.code, 0, costs.stderr);
    const web1 = parseJson<{ instances: { name: string; hours: number; active: boolean }[] }>(costs.stdout).instances.find((l) => l.name === 'web-1');
    assert.ok(web1 && !web1.active && web1.hours > 0.01, `web-1 was billed for emulated hours: ${JSON.stringify(web1)}`);
  });

  it('costs of a running server follow the emulator\'s clock even in a command that asks no provider', async () => {
    const d = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'clock-1', '--no-wait'], env);
    assert.equal(d.code, 0, d.stderr);
    // `costs` talks to no provider: the emulator's clock comes from the last command's reading.
    const costs = await runCli(['costs', '--json', '--instances'], env);
    assert.equal(costs.code, 0, costs.stderr);
    const line = parseJson<{ instances: { name: string; hours: number; active: boolean }[] }>(costs.stdout).instances.find((l) => l.name === 'clock-1');
    assert.ok(line && line.active && line.hours > 0.01, `clock-1 has run for emulated hours: ${JSON.stringify(line)}`);
    assert.equal((await runCli(['destroy', 'clock-1', '--yes'], env)).code, 0);
  });
});
