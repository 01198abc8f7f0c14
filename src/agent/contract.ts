/**
 * The agent's view of a pending contract: Decent Cloud's snake_case wire fields turned into
 * numbers a provisioner can use, and the labels that tie an instance back to its contract.
 */
import { createHash } from 'node:crypto';
import type { PendingContract } from '../protocol/api.js';

export interface ProvisionRequest {
  contractId: string;
  offeringId: string;
  requesterSshPubkey: string;
  cpuCores: number | null;
  memoryMb: number | null;
  storageGb: number | null;
  /** The requester's instance_config JSON (an object), if any. */
  instanceConfig: Record<string, unknown> | null;
  provisionerConfig: Record<string, unknown> | null;
  postProvisionScript: string | null;
}

const UNIT_MB: Record<string, number> = { b: 1 / (1024 * 1024), k: 1 / 1024, kb: 1 / 1024, kib: 1 / 1024, m: 1, mb: 1, mib: 1, g: 1024, gb: 1024, gib: 1024, t: 1024 * 1024, tb: 1024 * 1024, tib: 1024 * 1024 };

/** "16 GB", "512MiB", "2g" → MiB; a bare number is taken as GB (Decent Cloud's offerings write "16 GB"). */
export function parseAmountMb(text: string | undefined | null): number | null {
  if (!text) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] || 'gb').toLowerCase();
  const factor = UNIT_MB[unit];
  return factor === undefined ? null : Math.round(Number(m[1]) * factor);
}

function jsonObject(text: string | undefined): Record<string, unknown> | null {
  if (!text || !text.trim()) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Contract ids are hex (Decent Cloud's and ferry's): anything else could name a path, a label or an object key. */
export const CONTRACT_ID_RE = /^[0-9a-fA-F]{2,128}$/;
const OPTIONAL_TEXT = ['instance_config', 'memory_amount', 'storage_capacity', 'provisioner_type', 'provisioner_config', 'post_provision_script', 'requester_pubkey'] as const;
const MAX_TEXT = 256 * 1024;

/**
 * One entry of a pending-provision answer, checked and copied field by field (nothing else of the
 * entry survives), or why it is not a contract. Optional fields of the wrong type are dropped.
 */
export function validatePending(entry: unknown): PendingContract | string {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return 'not an object';
  const e = entry as Record<string, unknown>;
  if (typeof e.contract_id !== 'string' || !CONTRACT_ID_RE.test(e.contract_id)) {
    return `contract_id ${JSON.stringify(String(e.contract_id ?? 'missing')).slice(0, 80)} is not a hex contract id`;
  }
  if (typeof e.offering_id !== 'string' || !e.offering_id || e.offering_id.length > 256) return `contract ${e.contract_id}: offering_id is missing or malformed`;
  if (typeof e.requester_ssh_pubkey !== 'string' || e.requester_ssh_pubkey.length > 16 * 1024) return `contract ${e.contract_id}: requester_ssh_pubkey is missing or malformed`;
  const c: PendingContract = { contract_id: e.contract_id, offering_id: e.offering_id, requester_ssh_pubkey: e.requester_ssh_pubkey };
  for (const name of OPTIONAL_TEXT) {
    const v = e[name];
    if (typeof v === 'string' && v.length <= MAX_TEXT) c[name] = v;
  }
  if (typeof e.cpu_cores === 'number' && Number.isInteger(e.cpu_cores) && e.cpu_cores > 0 && e.cpu_cores <= 100_000) c.cpu_cores = e.cpu_cores;
  if (e.status === 'pending_provisioning' || e.status === 'provisioning') c.status = e.status;
  return c;
}

export function toProvisionRequest(c: PendingContract): ProvisionRequest {
  const memoryMb = parseAmountMb(c.memory_amount);
  const storageMb = parseAmountMb(c.storage_capacity);
  return {
    contractId: c.contract_id,
    offeringId: c.offering_id,
    requesterSshPubkey: c.requester_ssh_pubkey,
    cpuCores: typeof c.cpu_cores === 'number' && c.cpu_cores > 0 ? c.cpu_cores : null,
    memoryMb,
    storageGb: storageMb === null ? null : Math.max(1, Math.round(storageMb / 1024)),
    instanceConfig: jsonObject(c.instance_config),
    provisionerConfig: jsonObject(c.provisioner_config),
    postProvisionScript: c.post_provision_script ?? null,
  };
}

/** Label keys carrying the contract id: label values hold 63 characters, a contract id 64, so it is split. */
export { CONTRACT_LABEL } from '../core/ownership.js';
import { CONTRACT_LABEL } from '../core/ownership.js';
const CHUNK = 32;
const LABEL_SAFE = /^[a-z0-9._-]{1,128}$/;

export function contractLabels(contractId: string): Record<string, string> {
  const id = contractId.toLowerCase();
  if (!LABEL_SAFE.test(id)) throw new Error(`contract id ${JSON.stringify(contractId)} cannot be carried in labels`);
  const out: Record<string, string> = {};
  for (let i = 0; i * CHUNK < id.length; i++) out[`${CONTRACT_LABEL}-${i}`] = id.slice(i * CHUNK, (i + 1) * CHUNK);
  return out;
}

/** The contract id an instance's labels carry, or null. */
export function contractIdFromLabels(labels: Record<string, string>): string | null {
  let id = '';
  for (let i = 0; labels[`${CONTRACT_LABEL}-${i}`] !== undefined; i++) id += labels[`${CONTRACT_LABEL}-${i}`];
  return id || null;
}

/** The instance name for a contract: stable (so a retried create finds its first attempt) and hostname-safe. */
export function instanceNameFor(contractId: string): string {
  const id = contractId.toLowerCase();
  const stem = /^[a-z0-9]+$/.test(id) ? id.slice(0, 20) : createHash('sha256').update(contractId).digest('hex').slice(0, 20);
  return `dc-${stem}`;
}
