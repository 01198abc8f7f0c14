/**
 * Shared by the security tests: every file runs its probes on SQLite and on a throwaway
 * PostgreSQL cluster (test/support/postgres.ts), and counts them per finding class the way the
 * review did: probes sent, probes rejected. Each file prints one closing line per backend:
 *   # probes <class> on <backend>: sent N, rejected M
 */
import { after } from 'node:test';
import type { Db } from '../../src/store/db.js';
import { openDb } from '../../src/store/open.js';
import { startServer, type ServerHandle, type ServerOptions } from '../../src/server/server.js';
import { skipReason, startPostgres, type PgCluster } from '../support/postgres.js';
import { sqliteFactory, type DbFactory } from '../server/helpers.js';

export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  /** null when PostgreSQL binaries are absent: the describe block is skipped loudly. */
  factory: DbFactory | null;
  skip: string | false;
}

let cluster: PgCluster | null | undefined;
let dbCount = 0;

/** SQLite, and PostgreSQL when its binaries exist (a loud skip otherwise). One cluster per test file. */
export async function backends(): Promise<Backend[]> {
  if (cluster === undefined) {
    cluster = await startPostgres({ database: 'ferry_security' });
    if (!cluster) console.warn(`\n*** ${skipReason()} ***\n`);
    else after(() => cluster?.stop());
  }
  const pg: DbFactory = async () => {
    const url = await cluster!.createDatabase(`sec_${process.pid}_${++dbCount}`);
    const db = await openDb(url, { env: {} });
    return { db, url, cleanup: () => db.close() };
  };
  return [
    { name: 'SQLite', factory: sqliteFactory, skip: false },
    { name: 'PostgreSQL', factory: cluster ? pg : null, skip: cluster ? false : skipReason() },
  ];
}

export interface Started {
  server: ServerHandle;
  db: Db;
  close(): Promise<void>;
}

export async function serve(backend: Backend, options: Omit<ServerOptions, 'db'> = {}): Promise<Started> {
  const made = await backend.factory!();
  const server = await startServer({ db: made.db, longPollIntervalMs: 50, operatorToken: 'security-operator-token', ...options });
  return { server, db: made.db, close: async () => { await server.close(); await made.cleanup(); } };
}

/** Probes of one finding class on one backend: each says whether it was rejected (refused, contained, or made harmless). */
export class Tally {
  sent = 0;
  rejected = 0;
  private readonly misses: string[] = [];

  constructor(readonly findingClass: string, readonly backend: string) {}

  record(name: string, rejected: boolean): void {
    this.sent++;
    if (rejected) this.rejected++;
    else this.misses.push(name);
  }

  /** The probe is rejected when status is one of the expected refusals. */
  status(name: string, status: number, expected: readonly number[]): void {
    this.record(`${name} (HTTP ${status})`, expected.includes(status));
  }

  summary(): string {
    return `# probes ${this.findingClass} on ${this.backend}: sent ${this.sent}, rejected ${this.rejected}${this.misses.length ? `; not rejected: ${this.misses.join(', ')}` : ''}`;
  }
}
