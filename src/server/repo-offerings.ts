/** Provider offerings: what a contract is made on. Removal hides an offering but keeps it for old contracts. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Offering, OfferingInput, PublicOffering } from '../protocol/api.js';

type Row = Omit<Offering, 'auto_accept' | 'auto_accept_budget'> & { auto_accept: number; auto_accept_budget: number | null; removed_at: number | null };

function toOffering(r: Row): Offering {
  return {
    offering_id: r.offering_id,
    provider_pubkey: r.provider_pubkey,
    name: r.name,
    cpu_cores: Number(r.cpu_cores),
    memory_amount: r.memory_amount,
    storage_capacity: r.storage_capacity,
    bandwidth_mbps: r.bandwidth_mbps === null ? null : Number(r.bandwidth_mbps),
    monthly_price: Number(r.monthly_price),
    currency: r.currency,
    provisioner_type: r.provisioner_type,
    provisioner_config: r.provisioner_config,
    post_provision_script: r.post_provision_script,
    auto_accept: Number(r.auto_accept) === 1,
    auto_accept_budget: r.auto_accept_budget === null || r.auto_accept_budget === undefined ? null : Number(r.auto_accept_budget),
    created_at: Number(r.created_at),
  };
}

/** The fields anyone may read: provisioner_config and post_provision_script are the operator's (they may hold secrets). */
export function publicOffering(o: Offering): PublicOffering {
  const { provisioner_config: _config, post_provision_script: _script, auto_accept_budget: _budget, ...rest } = o;
  return rest;
}

/** JSON documents travel as strings (Decent Cloud's provisioner_config / instance_config). */
export function jsonText(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    JSON.parse(value);
    return value;
  }
  return JSON.stringify(value);
}

export async function addOffering(db: Db, provider: string, input: OfferingInput, now: number, maxLive = Infinity): Promise<Offering | null> {
  const id = randomBytes(16).toString('hex');
  const added = await db.transaction(async (tx) => {
    const [count] = await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM cp_offerings WHERE provider_pubkey = $1 AND removed_at IS NULL', [provider]);
    if (Number(count?.n ?? 0) >= maxLive) return false;
    await tx.execute(
      `INSERT INTO cp_offerings (offering_id, provider_pubkey, name, cpu_cores, memory_amount, storage_capacity, bandwidth_mbps,
         monthly_price, currency, provisioner_type, provisioner_config, post_provision_script, auto_accept, auto_accept_budget, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        id,
        provider,
        input.name,
        input.cpu_cores,
        input.memory_amount,
        input.storage_capacity,
        input.bandwidth_mbps ?? null,
        input.monthly_price,
        input.currency ?? 'USD',
        input.provisioner_type ?? null,
        jsonText(input.provisioner_config),
        input.post_provision_script ?? null,
        input.auto_accept === true ? 1 : 0,
        input.auto_accept === true ? (input.auto_accept_budget ?? null) : null,
        now,
      ],
    );
    return true;
  });
  return added ? getOffering(db, id) : null;
}

export async function getOffering(db: Db, id: string, includeRemoved = false): Promise<Offering | null> {
  const rows = await db.query<Row>(
    `SELECT * FROM cp_offerings WHERE offering_id = $1${includeRemoved ? '' : ' AND removed_at IS NULL'}`,
    [id],
  );
  return rows[0] ? toOffering(rows[0]) : null;
}

/** One page of live offerings, oldest first; `after` is the last offering id of the previous page. */
export async function listOfferings(db: Db, o: { provider?: string; limit: number; after?: string }): Promise<Offering[]> {
  const params: unknown[] = [];
  const where = ['removed_at IS NULL'];
  if (o.provider) where.push(`provider_pubkey = $${params.push(o.provider)}`);
  if (o.after) {
    where.push(`(created_at, offering_id) > (SELECT created_at, offering_id FROM cp_offerings WHERE offering_id = $${params.push(o.after)})`);
  }
  const rows = await db.query<Row>(
    `SELECT * FROM cp_offerings WHERE ${where.join(' AND ')} ORDER BY created_at, offering_id LIMIT $${params.push(o.limit)}`,
    params,
  );
  return rows.map(toOffering);
}

export async function removeOffering(db: Db, provider: string, id: string, now: number): Promise<boolean> {
  const { changes } = await db.execute(
    'UPDATE cp_offerings SET removed_at = $1 WHERE offering_id = $2 AND provider_pubkey = $3 AND removed_at IS NULL',
    [now, id, provider],
  );
  return changes === 1;
}
