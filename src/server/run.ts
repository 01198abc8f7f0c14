/** `ferry server` entry: open the store (SQLite, or Postgres with FERRY_DATABASE_URL), serve, stop on SIGTERM/SIGINT. */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDb } from '../store/open.js';
import { startServer, type ServerHandle } from './server.js';

export interface RunServerOptions {
  host?: string;
  port?: number;
  /** postgres://…, sqlite:path or a path; default FERRY_DATABASE_URL, else the local SQLite file. */
  databaseUrl?: string;
  operatorToken?: string;
  /** Where a generated operator token is written (0600); default $XDG_STATE_HOME/ferry/server/operator-token. */
  operatorTokenFile?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export function defaultOperatorTokenFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'ferry', 'server', 'operator-token');
}

/** Writes the token readable by its owner only (0600 in a 0700 directory), replacing any older one atomically. */
function writeTokenFile(path: string, token: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export async function runServer(options: RunServerOptions = {}): Promise<ServerHandle> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const db = await openDb(options.databaseUrl, { env });
  let server: ServerHandle;
  try {
    server = await startServer({
      db,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      env,
      ...(options.operatorToken ? { operatorToken: options.operatorToken } : {}),
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  log(`ferry server listening on ${server.url} (${db.dialect})`);
  if (server.operatorTokenGenerated) {
    // Never on stdout: service logs are read by more people than the dashboard should be.
    const file = options.operatorTokenFile ?? defaultOperatorTokenFile(env);
    writeTokenFile(file, server.operatorToken);
    log(`dashboard operator token generated: read it from ${file} (set FERRY_OPERATOR_TOKEN to fix one for all replicas)`);
  }
  const stop = async (): Promise<void> => {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await server.close();
    await db.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return { ...server, close: stop };
}
