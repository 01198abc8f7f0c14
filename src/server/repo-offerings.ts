/** Provider offerings: what a contract is made on. Removal hides an offering but keeps it for old contracts. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Offering, OfferingInput } from '../protocol/api.js';

type Row = Omit<Offering, 'auto_accept'> & { auto_accept: number; removed_at: number | null };

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
    created_at: Number(r.created_at),
  };
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

export async function addOffering(db: Db, provider: string, input: OfferingInput, now: number): Promise<Offering> {
  const id = randomBytes(16).toString('hex');
  await db.execute(
    `INSERT INTO cp_offerings (offering_id, provider_pubkey, name, cpu_cores, memory_amount, storage_capacity, bandwidth_mbps,
       monthly_price, currency, provisioner_type, provisioner_config, post_provision_script, auto_accept, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
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
      input.auto_accept === false ? 0 : 1,
      now,
    ],
  );
  return (await getOffering(db, id))!;
}

export async function getOffering(db: Db, id: string, includeRemoved = false): Promise<Offering | null> {
  const rows = await db.query<Row>(
    `SELECT * FROM cp_offerings WHERE offering_id = $1${includeRemoved ? '' : ' AND removed_at IS NULL'}`,
    [id],
  );
  return rows[0] ? toOffering(rows[0]) : null;
}

export async function listOfferings(db: Db, provider?: string): Promise<Offering[]> {
  const rows = provider
    ? await db.query<Row>('SELECT * FROM cp_offerings WHERE provider_pubkey = $1 AND removed_at IS NULL ORDER BY created_at, offering_id', [provider])
    : await db.query<Row>('SELECT * FROM cp_offerings WHERE removed_at IS NULL ORDER BY created_at, offering_id');
  return rows.map(toOffering);
}

export async function removeOffering(db: Db, provider: string, id: string, now: number): Promise<boolean> {
  const { changes } = await db.execute(
    'UPDATE cp_offerings SET removed_at = $1 WHERE offering_id = $2 AND provider_pubkey = $3 AND removed_at IS NULL',
    [now, id, provider],
  );
  return changes === 1;
}
