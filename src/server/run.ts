/** `ferry server` entry: open the store (SQLite, or Postgres with FERRY_DATABASE_URL), serve, stop on SIGTERM/SIGINT. */
import { openDb } from '../store/open.js';
import { startServer, type ServerHandle } from './server.js';

export interface RunServerOptions {
  host?: string;
  port?: number;
  /** postgres://…, sqlite:path or a path; default FERRY_DATABASE_URL, else the local SQLite file. */
  databaseUrl?: string;
  operatorToken?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export async function runServer(options: RunServerOptions = {}): Promise<ServerHandle> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const db = await openDb(options.databaseUrl, { env });
  const server = await startServer({
    db,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8080,
    env,
    ...(options.operatorToken ? { operatorToken: options.operatorToken } : {}),
  });
  log(`ferry server listening on ${server.url} (${db.dialect})`);
  if (server.operatorTokenGenerated) {
    log(`dashboard operator token (generated; set FERRY_OPERATOR_TOKEN to fix one for all replicas): ${server.operatorToken}`);
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
