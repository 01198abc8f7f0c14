import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../../src/store/db.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { defineStoreSuite } from './suite.js';
import { defineReportingSuite } from './reporting-suite.js';

const root = mkdtempSync(join(tmpdir(), 'ferry-sqlite-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `db-${++n}`, 'ferry.db');

defineStoreSuite('SQLite', async () => {
  const path = freshPath();
  return { db: openSqlite(path), another: () => openSqlite(path) };
});

defineReportingSuite('SQLite', async () => {
  const path = freshPath();
  return { db: openSqlite(path), another: () => openSqlite(path) };
});

describe('SQLite driver specifics', () => {
  it('creates the parent directory 0700 and the file 0600, in WAL mode with foreign keys on', async () => {
    const path = join(root, 'private', 'nested', 'ferry.db');
    const db = openSqlite(path);
    try {
      assert.equal(statSync(join(root, 'private', 'nested')).mode & 0o777, 0o700);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(await db.query('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
      assert.deepEqual(await db.query('PRAGMA foreign_keys'), [{ foreign_keys: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('binds booleans as 1 and 0', async () => {
    const db = openSqlite(':memory:');
    try {
      assert.deepEqual(await db.query('SELECT $1 AS yes, $2 AS no', [true, false]), [{ yes: 1, no: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('reports a write lock held by another connection as busy', async () => {
    const path = freshPath();
    const holder = openSqlite(path);
    await holder.execute('CREATE TABLE t (v TEXT)');
    // A raw second connection outside the in-process mutex, as another process would be.
    const { default: Database } = await import('better-sqlite3');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const waiter = openSqlite(path, { busyTimeoutMs: 0 });
    try {
      await assert.rejects(waiter.execute('INSERT INTO t (v) VALUES ($1)', ['x']), (e) => StoreError.is(e, 'busy'));
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await waiter.close();
      await holder.close();
    }
  });

  it('reports use after close as a connection error', async () => {
    const db = openSqlite(freshPath());
    await db.close();
    await assert.rejects(db.query('SELECT 1'), (e) => StoreError.is(e, 'connection'));
  });

  it('applies each migration once when separate processes migrate one file at the same time', async () => {
    const path = freshPath();
    const sqliteModule = fileURLToPath(new URL('../../src/store/sqlite.js', import.meta.url));
    // A slow first statement holds the write lock long enough for the others to queue behind it.
    const child = `
      const { openSqlite } = await import(${JSON.stringify(sqliteModule)});
      const db = openSqlite(${JSON.stringify(path)}, { busyTimeoutMs: 30000 });
      await db.migrate([{ id: '001_slow', sql: "CREATE TABLE raced (v INTEGER); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO raced SELECT i FROM n;" }]);
      await db.close();
    `;
    const runChild = () =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', child], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`migrating child failed: ${stderr}`))));
      });
    await Promise.all([runChild(), runChild(), runChild()]);
    const db = openSqlite(path);
    try {
      assert.deepEqual(await db.query('SELECT COUNT(*) AS n FROM raced'), [{ n: 200000 }]);
      assert.deepEqual(await db.query('SELECT id FROM ferry_migrations'), [{ id: '001_slow' }]);
    } finally {
      await db.close();
    }
  });
});
