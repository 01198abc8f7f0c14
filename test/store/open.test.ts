import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { defaultDataDir, defaultDatabasePath, openDb, resolveDatabase } from '../../src/store/open.js';
import { openStore } from '../../src/store/index.js';

const home = '/home/ada';

describe('choosing the database', () => {
  it('defaults to the SQLite file under XDG_DATA_HOME, else ~/.local/share', () => {
    assert.equal(defaultDataDir({ XDG_DATA_HOME: '/data' }, home), '/data/ferry');
    assert.equal(defaultDataDir({}, home), '/home/ada/.local/share/ferry');
    assert.equal(defaultDataDir({ XDG_DATA_HOME: 'relative/dir' }, home), '/home/ada/.local/share/ferry', 'a relative XDG_DATA_HOME is ignored');
    assert.deepEqual(resolveDatabase(undefined, {}, home), { dialect: 'sqlite', path: defaultDatabasePath({}, home) });
    assert.equal(defaultDatabasePath({}, home), '/home/ada/.local/share/ferry/ferry.db');
  });

  it('uses FERRY_DATABASE_URL when no url is given, and an explicit url over it', () => {
    const env = { FERRY_DATABASE_URL: 'postgres://ferry@db.internal/ferry' };
    assert.deepEqual(resolveDatabase(undefined, env, home), { dialect: 'postgres', url: 'postgres://ferry@db.internal/ferry' });
    assert.deepEqual(resolveDatabase('/tmp/x.db', env, home), { dialect: 'sqlite', path: '/tmp/x.db' });
    assert.deepEqual(resolveDatabase(undefined, { FERRY_DATABASE_URL: '  ' }, home).dialect, 'sqlite');
  });

  it('reads postgres URLs, sqlite: URLs and plain paths', () => {
    assert.equal(resolveDatabase('postgresql://u@h:5433/d', {}, home).dialect, 'postgres');
    assert.deepEqual(resolveDatabase('sqlite:/var/lib/ferry.db', {}, home), { dialect: 'sqlite', path: '/var/lib/ferry.db' });
    assert.deepEqual(resolveDatabase('sqlite:///var/lib/ferry.db', {}, home), { dialect: 'sqlite', path: '/var/lib/ferry.db' });
    assert.deepEqual(resolveDatabase('sqlite::memory:', {}, home), { dialect: 'sqlite', path: ':memory:' });
    assert.deepEqual(resolveDatabase('~/state/ferry.db', {}, home), { dialect: 'sqlite', path: '/home/ada/state/ferry.db' });
    assert.deepEqual(resolveDatabase('./ferry.db', {}, home), { dialect: 'sqlite', path: './ferry.db' });
  });

  it('rejects other URL schemes and an empty sqlite: URL as user errors', () => {
    assert.throws(() => resolveDatabase('mysql://u@h/d', {}, home), (e) => UserError.is(e) && /mysql:/.test(e.message));
    assert.throws(() => resolveDatabase('sqlite:', {}, home), (e) => UserError.is(e));
  });
});

describe('openStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-open-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the file FERRY_DATABASE_URL names, migrated and ready, and reopens it with the data kept', async () => {
    const env = { FERRY_DATABASE_URL: `sqlite:${join(dir, 'state', 'ferry.db')}` };
    const first = await openStore(undefined, { env });
    assert.equal(first.db.dialect, 'sqlite');
    await first.journal.begin({ createId: 'c', provider: 'hetzner', name: 'n', region: 'r', size: 's' });
    await first.close();
    const second = await openStore(undefined, { env });
    try {
      assert.deepEqual((await second.journal.pending()).map((e) => e.createId), ['c']);
    } finally {
      await second.close();
    }
  });

  it('opens a plain path with openDb', async () => {
    const db = await openDb(join(dir, 'plain.db'), { env: {} });
    try {
      assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});
