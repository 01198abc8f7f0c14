import type { Db } from './db.js';
import { summariseCosts, type CostSummary } from './costs.js';
import { Inventory } from './inventory.js';
import { isoTime, numberOrNull, parseJson, textOrNull } from './values.js';

export type HistoryKind =
  | 'created'
  | 'ready'
  | 'destroyed'
  | 'create_failed'
  | 'destroy_failed'
  | 'status_changed'
  | 'snapshot_created'
  | 'snapshot_deleted'
  | 'gc_adopted'
  | 'gc_cleared'
  // Other kinds are accepted so new commands need no store change.
  | (string & {});

export interface HistoryEvent {
  id: number;
  at: string;
  provider: string;
  instanceId: string | null;
  name: string | null;
  kind: HistoryKind;
  detail: Record<string, unknown>;
}

export interface HistoryRecord {
  provider: string;
  kind: HistoryKind;
  instanceId?: string | null;
  name?: string | null;
  detail?: Record<string, unknown>;
  /** Defaults to now. */
  at?: Date | string;
}

export interface HistoryFilter {
  provider?: string;
  instanceId?: string;
  name?: string;
  kind?: HistoryKind;
  /** Inclusive. */
  since?: Date | string;
  /** Exclusive. */
  until?: Date | string;
  limit?: number;
}

const COLUMNS = 'id, at, provider, instance_id, name, kind, detail';

export class History {
  private readonly inventory: Inventory;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.inventory = new Inventory(db, now);
  }

  async record(event: HistoryRecord): Promise<HistoryEvent> {
    const rows = await this.db.query(
      `INSERT INTO history (at, provider, instance_id, name, kind, detail)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        isoTime(event.at ?? this.now()),
        event.provider,
        event.instanceId ?? null,
        event.name ?? null,
        event.kind,
        JSON.stringify(event.detail ?? {}),
      ],
    );
    return toEvent(rows[0]!);
  }

  /** Newest first; events of the same instant in reverse order of recording. */
  async list(filter: HistoryFilter = {}): Promise<HistoryEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.provider !== undefined) add((p) => `provider = ${p}`, filter.provider);
    if (filter.instanceId !== undefined) add((p) => `instance_id = ${p}`, filter.instanceId);
    if (filter.name !== undefined) add((p) => `name = ${p}`, filter.name);
    if (filter.kind !== undefined) add((p) => `kind = ${p}`, filter.kind);
    if (filter.since !== undefined) add((p) => `at >= ${p}`, isoTime(filter.since));
    if (filter.until !== undefined) add((p) => `at < ${p}`, isoTime(filter.until));
    let sql = `SELECT ${COLUMNS} FROM history`;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY at DESC, id DESC';
    if (filter.limit !== undefined) {
      if (!Number.isInteger(filter.limit) || filter.limit < 0) throw new RangeError(`history limit must be a whole number, got ${filter.limit}`);
      params.push(filter.limit);
      sql += ` LIMIT $${params.length}`;
    }
    return (await this.db.query(sql, params)).map(toEvent);
  }

  /**
   * Deletes events older than `before`, except what is still needed: the events of servers still
   * alive (their creation is the record of what they are) and of creates the journal has not
   * settled. Costs come from the inventory's launch prices, which pruning never touches.
   * Returns how many events were removed.
   */
  async prune(before: Date | string): Promise<number> {
    const { changes } = await this.db.execute(
      `DELETE FROM history
       WHERE at < $1
         AND NOT EXISTS (SELECT 1 FROM inventory i
                         WHERE i.provider = history.provider AND i.instance_id = history.instance_id AND i.deleted_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM create_journal j
                         WHERE j.state = 'pending' AND j.provider = history.provider
                           AND (j.instance_id = history.instance_id OR j.name = history.name))`,
      [isoTime(before)],
    );
    return changes;
  }

  /** Estimated spend of every instance in the inventory (destroyed ones included) over a window, for `ferry costs`. */
  async costs(filter: { provider?: string; since?: Date | string; until?: Date | string } = {}): Promise<CostSummary> {
    const rows = await this.inventory.list({ includeDestroyed: true, ...(filter.provider ? { provider: filter.provider } : {}) });
    const window = {
      ...(filter.since !== undefined ? { since: filter.since } : {}),
      ...(filter.until !== undefined ? { until: filter.until } : {}),
    };
    return summariseCosts(rows, this.now(), window);
  }
}

function toEvent(row: Record<string, unknown>): HistoryEvent {
  return {
    id: numberOrNull(row.id) ?? 0,
    at: String(row.at),
    provider: String(row.provider),
    instanceId: textOrNull(row.instance_id),
    name: textOrNull(row.name),
    kind: String(row.kind),
    detail: parseJson<Record<string, unknown>>(row.detail, {}),
  };
}
