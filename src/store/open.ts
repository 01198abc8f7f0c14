import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Db } from './db.js';
import type { PostgresOptions } from './postgres.js';
import type { SqliteOptions } from './sqlite.js';

export const DATABASE_URL_ENV = 'FERRY_DATABASE_URL';

export interface OpenDbOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  sqlite?: Omit<SqliteOptions, 'now'>;
  postgres?: Omit<PostgresOptions, 'now'>;
}

/** `$XDG_DATA_HOME/ferry`, or `~/.local/share/ferry` (XDG says to ignore a relative XDG_DATA_HOME). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share');
  return join(base, 'ferry');
}

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(defaultDataDir(env, home), 'ferry.db');
}

export type DatabaseTarget = { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; path: string };

/**
 * Decides where the database lives: a postgres:// or postgresql:// URL, `sqlite:<path>` or a plain
 * path; with no url, $FERRY_DATABASE_URL, else the SQLite file under the data directory.
 */
export function resolveDatabase(url?: string, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): DatabaseTarget {
  const chosen = url?.trim() || env[DATABASE_URL_ENV]?.trim();
  if (!chosen) return { dialect: 'sqlite', path: defaultDatabasePath(env, home) };
  if (/^postgres(ql)?:\/\//i.test(chosen)) return { dialect: 'postgres', url: chosen };
  const sqlite = /^sqlite:(?:\/\/)?(.*)$/i.exec(chosen);
  if (sqlite) {
    if (!sqlite[1]) throw new UserError(`database URL "${chosen}" names no file`, 'use sqlite:/path/to/ferry.db');
    return { dialect: 'sqlite', path: expandHome(sqlite[1], home) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(chosen);
  if (scheme) {
    throw new UserError(
      `unsupported database URL scheme "${scheme[1]}:"`,
      'use postgres://user@host/db, sqlite:/path/to/ferry.db or a file path',
    );
  }
  return { dialect: 'sqlite', path: expandHome(chosen, home) };
}

export async function openDb(url?: string, options: OpenDbOptions = {}): Promise<Db> {
  const target = resolveDatabase(url, options.env ?? process.env);
  const now = options.now ? { now: options.now } : {};
  // A driver loads when a store is opened, not with the modules naming it: PostgreSQL's client costs
  // more than a CLI run's start-up, and SQLite's is ~10 ms that `ferry ls` spends while its listings travel.
  return target.dialect === 'postgres'
    ? (await import('./postgres.js')).openPostgres(target.url, { ...options.postgres, ...now })
    : (await import('./sqlite.js')).openSqlite(target.path, { ...options.sqlite, ...now });
}

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path;
}
