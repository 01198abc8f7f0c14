import type { Instance } from '../core/types.js';
import { CREATE_ID_KEY } from '../core/labels.js';
import { byCodeUnits } from '../core/kit/order.js';
import type { Db } from './db.js';
import { isoTime, numberOrNull, parseJson, textOrNull } from './values.js';

/** What a listing or a read showed of a server; an address left undefined is kept as recorded. */
export interface SeenState {
  status: string;
  ipv4?: string | null;
  ipv6?: string | null;
}

/** A server ferry created, as last seen. `deletedAt` is set once it is destroyed; rows are kept for history and costs. */
export interface InventoryRecord {
  provider: string;
  instanceId: string;
  name: string;
  labels: Record<string, string>;
  region: string;
  size: string;
  image: string | null;
  /** Price at launch; null when the catalog did not know it. */
  priceHourly: number | null;
  priceMonthly: number | null;
  currency: string | null;
  /** The idempotency key of the create that made it. */
  createId: string | null;
  createdAt: string;
  lastSeenStatus: string | null;
  lastSeenAt: string | null;
  ipv4: string | null;
  ipv6: string | null;
  deletedAt: string | null;
  /** The API endpoint the server was created through; null on rows from before it was recorded. */
  endpoint?: string | null;
  /** A non-secret account identity (a token id, a user name) when the provider has one; else null. */
  account?: string | null;
}

/** Where the provider's servers are now: its endpoint and, when known, its account. */
export interface InventoryScope {
  endpoint: string;
  account: string | null;
}

/** Whether a record belongs to the scope the provider is configured for now (unrecorded parts match). */
export function inScope(r: Pick<InventoryRecord, 'endpoint' | 'account'>, scope: InventoryScope | null): boolean {
  if (!scope) return true;
  if (r.endpoint && r.endpoint !== scope.endpoint) return false;
  return !r.account || scope.account === null || r.account === scope.account;
}

export interface InventoryInput {
  provider: string;
  instanceId: string;
  name: string;
  region: string;
  size: string;
  labels?: Record<string, string>;
  image?: string | null;
  priceHourly?: number | null;
  priceMonthly?: number | null;
  currency?: string | null;
  createId?: string | null;
  /** Defaults to now. Kept from the first upsert when the row already exists. */
  createdAt?: string | Date;
  status?: string | null;
  ipv4?: string | null;
  ipv6?: string | null;
  /** Default: the inventory's scope for the provider, when one is set. */
  endpoint?: string | null;
  account?: string | null;
}

export interface LaunchPrice {
  priceHourly: number | null;
  priceMonthly: number | null;
  currency: string | null;
}

/** The inventory row for a freshly created instance; the create id comes from its labels. */
export function inventoryInputFromInstance(instance: Instance, price?: LaunchPrice): InventoryInput {
  return {
    provider: instance.provider,
    instanceId: instance.id,
    name: instance.name,
    region: instance.region,
    size: instance.size,
    labels: instance.labels,
    image: instance.image,
    createId: instance.labels[CREATE_ID_KEY] ?? null,
    createdAt: instance.createdAt,
    status: instance.status.state,
    ipv4: instance.ipv4,
    ipv6: instance.ipv6,
    ...price,
  };
}

const COLUMNS = `provider, instance_id, name, labels, region, size, image, price_hourly, price_monthly, currency,
  create_id, created_at, last_seen_status, last_seen_at, ipv4, ipv6, deleted_at, endpoint, account`;

export class Inventory {
  /** Set by the CLI: the endpoint and account each provider is configured for, stamped on new rows. */
  scope: ((provider: string) => Promise<InventoryScope | null>) | undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records a created instance. Seen again (same provider and id), it is refreshed and undeleted;
   * created_at and a known launch price are kept, so costs stay tied to the original launch.
   */
  async upsert(input: InventoryInput): Promise<InventoryRecord> {
    const now = isoTime(this.now());
    const createdAt = input.createdAt ? isoTime(input.createdAt) : now;
    const scope = input.endpoint ? { endpoint: input.endpoint, account: input.account ?? null } : await this.scopeOf(input.provider);
    const endpoint = scope?.endpoint ?? '';
    if (endpoint) {
      // A row from before endpoints were recorded is this server's: claim it rather than add a second.
      await this.db.execute(
        `UPDATE inventory SET endpoint = $3
         WHERE provider = $1 AND instance_id = $2 AND endpoint = ''
           AND NOT EXISTS (SELECT 1 FROM inventory o WHERE o.provider = $1 AND o.instance_id = $2 AND o.endpoint = $3)`,
        [input.provider, input.instanceId, endpoint],
      );
    }
    await this.db.execute(
      `INSERT INTO inventory (${COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, $17, $18)
       ON CONFLICT (provider, endpoint, instance_id) DO UPDATE SET
         name = excluded.name,
         labels = excluded.labels,
         region = excluded.region,
         size = excluded.size,
         image = COALESCE(excluded.image, inventory.image),
         price_hourly = COALESCE(inventory.price_hourly, excluded.price_hourly),
         price_monthly = COALESCE(inventory.price_monthly, excluded.price_monthly),
         currency = COALESCE(inventory.currency, excluded.currency),
         create_id = COALESCE(inventory.create_id, excluded.create_id),
         last_seen_status = COALESCE(excluded.last_seen_status, inventory.last_seen_status),
         last_seen_at = excluded.last_seen_at,
         ipv4 = COALESCE(excluded.ipv4, inventory.ipv4),
         ipv6 = COALESCE(excluded.ipv6, inventory.ipv6),
         deleted_at = NULL,
         account = COALESCE(excluded.account, inventory.account)`,
      [
        input.provider,
        input.instanceId,
        input.name,
        JSON.stringify(input.labels ?? {}),
        input.region,
        input.size,
        input.image ?? null,
        input.priceHourly ?? null,
        input.priceMonthly ?? null,
        input.currency ?? null,
        input.createId ?? null,
        createdAt,
        input.status ?? null,
        now,
        input.ipv4 ?? null,
        input.ipv6 ?? null,
        endpoint,
        scope?.account ?? null,
      ],
    );
    const row = await this.get(input.provider, input.instanceId, scope ?? null);
    if (!row) throw new Error(`inventory row ${input.provider}/${input.instanceId} vanished right after it was written`);
    return row;
  }

  /** Writes a record as it was (an import): the row, then its destruction time when it has one. */
  async restore(r: InventoryRecord): Promise<InventoryRecord> {
    const row = await this.upsert({ ...r, status: r.lastSeenStatus });
    const scope = row.endpoint ? { endpoint: row.endpoint, account: row.account ?? null } : null;
    if (r.deletedAt) await this.markDestroyed(r.provider, r.instanceId, r.deletedAt, scope);
    return (await this.get(r.provider, r.instanceId, scope))!;
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM inventory');
    return Number(row?.n ?? 0);
  }

  /** Records what a status poll saw. Addresses left undefined are kept. Returns false when the row is unknown. */
  async updateSeen(
    provider: string,
    instanceId: string,
    seen: SeenState,
  ): Promise<boolean> {
    const row = await this.get(provider, instanceId);
    if (!row) return false;
    const { changes } = await this.db.execute(
      `UPDATE inventory SET last_seen_status = $3, last_seen_at = $4,
         ipv4 = CASE WHEN $5 = 1 THEN $6 ELSE ipv4 END,
         ipv6 = CASE WHEN $7 = 1 THEN $8 ELSE ipv6 END
       WHERE provider = $1 AND instance_id = $2 AND endpoint = $9`,
      [
        provider,
        instanceId,
        seen.status,
        isoTime(this.now()),
        seen.ipv4 === undefined ? 0 : 1,
        seen.ipv4 ?? null,
        seen.ipv6 === undefined ? 0 : 1,
        seen.ipv6 ?? null,
        row.endpoint ?? '',
      ],
    );
    return changes > 0;
  }

  /**
   * Records what one listing saw, in one transaction: one commit (one fsync on SQLite, one round of
   * BEGIN/COMMIT on PostgreSQL) for the whole listing instead of one per server. Returns how many
   * rows it updated (servers the inventory does not know are skipped).
   */
  async updateSeenAll(provider: string, seen: readonly ({ instanceId: string } & SeenState)[]): Promise<number> {
    if (!seen.length) return 0;
    return this.db.transaction(async () => {
      let updated = 0;
      for (const s of seen) if (await this.updateSeen(provider, s.instanceId, s)) updated++;
      return updated;
    });
  }

  /** Marks an instance destroyed (once: a second call keeps the first time). Returns false if it was unknown or already gone. */
  async markDestroyed(provider: string, instanceId: string, at?: Date | string, scope?: InventoryScope | null): Promise<boolean> {
    const row = await this.get(provider, instanceId, scope);
    if (!row) return false;
    const { changes } = await this.db.execute(
      `UPDATE inventory SET deleted_at = $3, last_seen_status = 'destroyed'
       WHERE provider = $1 AND instance_id = $2 AND endpoint = $4 AND deleted_at IS NULL`,
      [provider, instanceId, isoTime(at ?? this.now()), row.endpoint ?? ''],
    );
    return changes > 0;
  }

  /**
   * The row of this server at the endpoint the provider is configured for (`scope`, default: the
   * inventory's): its own row first, else one from before endpoints were recorded. Without a scope,
   * the live row seen last.
   */
  async get(provider: string, instanceId: string, scope?: InventoryScope | null): Promise<InventoryRecord | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM inventory WHERE provider = $1 AND instance_id = $2`, [provider, instanceId])).map(toRecord);
    const where = scope === undefined ? await this.scopeOf(provider) : scope;
    const candidates = rows.filter((r) => inScope(r, where));
    const rank = (r: InventoryRecord) => (r.endpoint && where && r.endpoint === where.endpoint ? 0 : 1) * 2 + (r.deletedAt ? 1 : 0);
    candidates.sort((a, b) => rank(a) - rank(b) || byCodeUnits(b.lastSeenAt ?? '', a.lastSeenAt ?? ''));
    return candidates[0] ?? null;
  }

  private async scopeOf(provider: string): Promise<InventoryScope | null> {
    return (await this.scope?.(provider)) ?? null;
  }

  /** The live instance with this name, else the most recently created destroyed one. */
  async findByName(name: string, provider?: string): Promise<InventoryRecord | null> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM inventory
       WHERE name = $1 AND ($2 = '' OR provider = $2)
       ORDER BY CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, created_at DESC
       LIMIT 1`,
      [name, provider ?? ''],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Live instances by default; `includeDestroyed` for everything ferry ever made. Oldest first. */
  async list(filter: { provider?: string; includeDestroyed?: boolean } = {}): Promise<InventoryRecord[]> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM inventory
       WHERE ($1 = '' OR provider = $1) AND ($2 = 1 OR deleted_at IS NULL)
       ORDER BY created_at, provider, instance_id`,
      [filter.provider ?? '', filter.includeDestroyed ? 1 : 0],
    );
    return rows.map(toRecord);
  }
}

function toRecord(row: Record<string, unknown>): InventoryRecord {
  return {
    provider: String(row.provider),
    instanceId: String(row.instance_id),
    name: String(row.name),
    labels: parseJson<Record<string, string>>(row.labels, {}),
    region: String(row.region),
    size: String(row.size),
    image: textOrNull(row.image),
    priceHourly: numberOrNull(row.price_hourly),
    priceMonthly: numberOrNull(row.price_monthly),
    currency: textOrNull(row.currency),
    createId: textOrNull(row.create_id),
    createdAt: String(row.created_at),
    lastSeenStatus: textOrNull(row.last_seen_status),
    lastSeenAt: textOrNull(row.last_seen_at),
    ipv4: textOrNull(row.ipv4),
    ipv6: textOrNull(row.ipv6),
    deletedAt: textOrNull(row.deleted_at),
    // '' is the key of rows from before endpoints were recorded.
    endpoint: textOrNull(row.endpoint) || null,
    account: textOrNull(row.account),
  };
}
