import type { Db } from './db.js';
import { isoTime } from './values.js';

/** An offer placement skips until `until` because it failed for capacity or quota. */
export interface Suppression {
  provider: string;
  plan: string;
  region: string;
  kind: string;
  reason: string;
  /** ISO 8601. */
  until: string;
  recordedAt: string;
}

/** How long an offer stays suppressed after a failure of each kind, by default. */
export const SUPPRESS_FOR_MS: Readonly<Record<string, number>> = { capacity: 30 * 60_000, quota: 60 * 60_000, timeout: 10 * 60_000 };

/**
 * Offers that failed recently, in the store so every ferry process on the machine (and every
 * replica on a shared Postgres) learns from one failure. A later failure extends the window.
 */
export class Suppressions {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async suppress(offer: { provider: string; plan: string; region: string }, kind: string, reason: string, forMs = SUPPRESS_FOR_MS[kind] ?? SUPPRESS_FOR_MS.capacity!): Promise<Suppression> {
    const now = this.now();
    const row: Suppression = { ...pick(offer), kind, reason: reason.split('\n')[0]!.slice(0, 300), until: isoTime(new Date(now.getTime() + forMs)), recordedAt: isoTime(now) };
    await this.db.execute(
      `INSERT INTO offer_suppressions (provider, plan, region, kind, reason, until_at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (provider, plan, region) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, until_at = excluded.until_at, recorded_at = excluded.recorded_at`,
      [row.provider, row.plan, row.region, row.kind, row.reason, row.until, row.recordedAt],
    );
    return row;
  }

  /** Suppressions still in force, soonest to end first. */
  async active(): Promise<Suppression[]> {
    const rows = await this.db.query(
      `SELECT provider, plan, region, kind, reason, until_at, recorded_at FROM offer_suppressions WHERE until_at > $1 ORDER BY until_at, provider, plan, region`,
      [isoTime(this.now())],
    );
    return rows.map((r) => ({
      provider: String(r.provider),
      plan: String(r.plan),
      region: String(r.region),
      kind: String(r.kind),
      reason: String(r.reason),
      until: String(r.until_at),
      recordedAt: String(r.recorded_at),
    }));
  }

  /** Lifts one suppression (the offer worked after all) or, with no argument, every expired one. Returns rows removed. */
  async clear(offer?: { provider: string; plan: string; region: string }): Promise<number> {
    if (offer) {
      const { changes } = await this.db.execute('DELETE FROM offer_suppressions WHERE provider = $1 AND plan = $2 AND region = $3', [offer.provider, offer.plan, offer.region]);
      return changes;
    }
    return (await this.db.execute('DELETE FROM offer_suppressions WHERE until_at <= $1', [isoTime(this.now())])).changes;
  }
}

function pick(o: { provider: string; plan: string; region: string }) {
  return { provider: o.provider, plan: o.plan, region: o.region };
}
