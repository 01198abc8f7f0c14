import type { Db } from './db.js';
import { isoTime, parseJson, textOrNull } from './values.js';

export type JournalState = 'pending' | 'confirmed' | 'failed';

/**
 * One create request (Pulumi's pending creates). Written before the request is sent; a row still
 * pending after a crash names the create id that `ferry gc` looks for in the providers' labels.
 */
export interface JournalEntry {
  createId: string;
  provider: string;
  name: string;
  region: string;
  size: string;
  /** What was asked for, for `ferry gc` to show. Never put user data or secrets in it. */
  request: unknown;
  state: JournalState;
  instanceId: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface JournalBegin {
  createId: string;
  provider: string;
  name: string;
  region: string;
  size: string;
  request?: unknown;
}

const COLUMNS = 'create_id, provider, name, region, size, request, state, instance_id, error, started_at, finished_at';

export class CreateJournal {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Call before sending the create. A reused create id fails with StoreError 'unique_violation'. */
  async begin(input: JournalBegin): Promise<JournalEntry> {
    const startedAt = isoTime(this.now());
    await this.db.execute(
      `INSERT INTO create_journal (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 'pending', NULL, NULL, $7, NULL)`,
      [input.createId, input.provider, input.name, input.region, input.size, JSON.stringify(input.request ?? {}), startedAt],
    );
    return {
      createId: input.createId,
      provider: input.provider,
      name: input.name,
      region: input.region,
      size: input.size,
      request: input.request ?? {},
      state: 'pending',
      instanceId: null,
      error: null,
      startedAt,
      finishedAt: null,
    };
  }

  /** The provider accepted the create and named the instance. Returns false unless the entry was pending. */
  async confirm(createId: string, instanceId: string): Promise<boolean> {
    return this.finish(createId, 'confirmed', instanceId, null);
  }

  /** The create definitely made nothing (or gc found nothing). Returns false unless the entry was pending. */
  async fail(createId: string, error: unknown): Promise<boolean> {
    const message = error instanceof Error ? error.message : String(error);
    return this.finish(createId, 'failed', null, message);
  }

  /** Entries never confirmed nor failed, oldest first. `startedBefore` leaves alone creates that may still be in flight. */
  async pending(filter: { provider?: string; startedBefore?: Date | string } = {}): Promise<JournalEntry[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM create_journal
       WHERE state = 'pending' AND ($1 = '' OR provider = $1) AND ($2 = '' OR started_at < $2)
       ORDER BY started_at, create_id`,
      [filter.provider ?? '', filter.startedBefore === undefined ? '' : isoTime(filter.startedBefore)],
    );
    return rows.map(toEntry);
  }

  async get(createId: string): Promise<JournalEntry | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM create_journal WHERE create_id = $1`, [createId]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async remove(createId: string): Promise<boolean> {
    const { changes } = await this.db.execute('DELETE FROM create_journal WHERE create_id = $1', [createId]);
    return changes > 0;
  }

  private async finish(createId: string, state: JournalState, instanceId: string | null, error: string | null): Promise<boolean> {
    const { changes } = await this.db.execute(
      `UPDATE create_journal SET state = $2, instance_id = $3, error = $4, finished_at = $5
       WHERE create_id = $1 AND state = 'pending'`,
      [createId, state, instanceId, error, isoTime(this.now())],
    );
    return changes > 0;
  }
}

function toEntry(row: Record<string, unknown>): JournalEntry {
  return {
    createId: String(row.create_id),
    provider: String(row.provider),
    name: String(row.name),
    region: String(row.region),
    size: String(row.size),
    request: parseJson<unknown>(row.request, {}),
    state: String(row.state) as JournalState,
    instanceId: textOrNull(row.instance_id),
    error: textOrNull(row.error),
    startedAt: String(row.started_at),
    finishedAt: textOrNull(row.finished_at),
  };
}
