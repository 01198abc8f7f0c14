/**
 * Throwaway PostgreSQL clusters for tests: initdb into a temp dir, start on a free loopback port,
 * hand back a URL; stop() shuts the server down and deletes the directory.
 *
 * Binaries are looked up in $FERRY_PG_BIN, PATH, /usr/local/bin, /usr/local/pgsql/bin and
 * /usr/lib/postgresql/<version>/bin (newest first); on Debian/Ubuntu they come from the `postgresql`
 * package (postgresql-<version>). initdb refuses to run as root, so under root the server runs as the
 * `postgres` user (or `nobody`) through runuser or setpriv.
 *
 * With no binaries, startPostgres() returns null and the caller skips loudly (see skipReason());
 * FERRY_REQUIRE_POSTGRES=1 turns that into a failure, for CI that must not skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** postgres:// URL of the database created for the caller. */
  url: string;
  port: number;
  /** Creates another empty database in the same cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PgBinaries {
  initdb: string;
  pgCtl: string;
}

export const PG_PACKAGES = 'postgresql (Debian/Ubuntu: apt-get install postgresql)';

export function findPgBinaries(env: NodeJS.ProcessEnv = process.env): PgBinaries | null {
  const dirs = [
    ...(env.FERRY_PG_BIN ? [env.FERRY_PG_BIN] : []),
    ...(env.PATH ?? '').split(delimiter).filter(Boolean),
    '/usr/local/bin',
    '/usr/local/pgsql/bin',
    ...debianVersionDirs(),
  ];
  for (const dir of dirs) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    if (isExecutable(initdb) && isExecutable(pgCtl)) return { initdb, pgCtl };
  }
  return null;
}

/** Why Postgres tests are skipped; print it with console.warn so a skip is never silent. */
export function skipReason(): string {
  return `PostgreSQL binaries not found (initdb, pg_ctl): install ${PG_PACKAGES} or set FERRY_PG_BIN; Postgres tests SKIPPED`;
}

/** Starts a cluster with one database (default "ferry_test"); null when the binaries are absent. */
export async function startPostgres(options: { database?: string } = {}): Promise<PgCluster | null> {
  const bins = findPgBinaries();
  if (!bins) {
    if (process.env.FERRY_REQUIRE_POSTGRES === '1') throw new Error(skipReason().replace('SKIPPED', 'required by FERRY_REQUIRE_POSTGRES=1'));
    return null;
  }
  const runAs = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-'));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const exec = (cmd: string, args: string[]) => runCommand(runAs, cmd, args);

  let started = false;
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    if (started) {
      started = false;
      await exec(bins.pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that exits without calling stop() (an uncaught error) must not leave a server behind.
  const stopOnExit = () => {
    if (started) spawnSync(...asUser(runAs, bins.pgCtl, ['stop', '-D', data, '-m', 'immediate']), { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stopOnExit);

  try {
    await exec(bins.initdb, ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']);
    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      const serverOptions = `-k ${dir} -h 127.0.0.1 -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await exec(bins.pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions]);
        started = true;
      } catch (err) {
        // Another process may have taken the port between probe and start; try a fresh one.
        if (attempt >= 3) throw new Error(`${(err as Error).message}\n${tail(log)}`);
      }
    }
    const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const createDatabase = async (name: string): Promise<string> => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name must be a plain identifier: ${name}`);
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    };
    const url = await createDatabase(options.database ?? 'ferry_test');
    return { url, port, createDatabase, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

/** Under root, the unprivileged account the server runs as; null when we are not root. */
function serverUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    const uid = idOf(user, '-u');
    const gid = idOf(user, '-g');
    if (uid !== null && gid !== null) return { user, uid, gid };
  }
  throw new Error('running as root, and neither a "postgres" nor a "nobody" user exists to run initdb as');
}

function idOf(user: string, flag: '-u' | '-g'): number | null {
  const res = spawnSync('id', [flag, user], { encoding: 'utf8' });
  return res.status === 0 ? Number(res.stdout.trim()) : null;
}

function asUser(runAs: RunAs | null, cmd: string, args: string[]): [string, string[]] {
  if (!runAs) return [cmd, args];
  if (isOnPath('runuser')) return ['runuser', ['-u', runAs.user, '--', cmd, ...args]];
  return ['setpriv', [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', cmd, ...args]];
}

function runCommand(runAs: RunAs | null, cmd: string, args: string[]): Promise<void> {
  const [bin, argv] = asUser(runAs, cmd, args);
  return new Promise((resolve, reject) => {
    // pg_ctl's server inherits stdio; ignoring it keeps our pipes from holding the test open.
    const child = spawn(bin, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: tmpdir() });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd.split('/').pop()} ${args[0]} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function debianVersionDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isOnPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, name)));
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
