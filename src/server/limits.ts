/**
 * Every bound the control plane enforces, in one place (documented in docs/control-plane-limits.md).
 * Each stored field is limited to what it needs, so a row has a known worst-case size; each
 * listing is limited in rows and in bytes, so no answer (and no reader's memory) grows with
 * what another party stored.
 */
const KiB = 1024;

export const FIELD_LIMITS = {
  /** The requester's instance_config JSON (bytes of its text). */
  instanceConfigBytes: 16 * KiB,
  /** One OpenSSH public key line. */
  sshPubkeyChars: 8 * KiB,
  /** The offering's provisioner_config JSON (bytes). */
  provisionerConfigBytes: 32 * KiB,
  /** The offering's post_provision_script (bytes). */
  postProvisionScriptBytes: 32 * KiB,
  offeringName: 200,
  amountText: 50,
  currency: 10,
  provisionerType: 50,
  label: 200,
  memo: 1000,
  /** A failure report as stored on the contract (longer reports are cut, never refused). */
  errorChars: 4 * KiB,
  /** A provisioned report's instanceDetails JSON (bytes). */
  instanceDetailsBytes: 16 * KiB,
  healthStatus: 64,
  healthDetails: 4 * KiB,
  agentVersion: 200,
  capabilities: 32,
  capabilityChars: 64,
  reconcileInstances: 1000,
  externalIdChars: 256,
  offeringIdChars: 64,
  cpuCoresMax: 4096,
  bandwidthMbpsMax: 1_000_000,
  monthlyPriceMax: 1e9,
} as const;

export const RESPONSE_LIMITS = {
  /** Contracts in one pending-provision answer, and the bytes they may add up to (one is always sent). */
  pendingRows: 50,
  pendingBytes: 1024 * KiB,
  /** Default and largest page of a listing; bytes a page may reach before it is cut short. */
  listDefaultRows: 100,
  listMaxRows: 500,
  listBytes: 4 * 1024 * KiB,
} as const;

/** Per-key quotas and rate limits; every one configurable (ServerOptions.quotas or FERRY_QUOTA_* variables). */
export interface Quotas {
  /** Contracts a requester key may hold that are not yet ended. */
  openContractsPerRequester: number;
  /** Contracts a requester key may create per minute. */
  contractsPerMinutePerRequester: number;
  /** Live offerings per provider key. */
  offeringsPerProvider: number;
  /** Agent keys (live or revoked) per provider key. */
  delegationsPerProvider: number;
  /** Failed dashboard sign-ins per client address per minute. */
  failedLoginsPerMinute: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  openContractsPerRequester: 20,
  contractsPerMinutePerRequester: 10,
  offeringsPerProvider: 100,
  delegationsPerProvider: 50,
  failedLoginsPerMinute: 5,
};

const ENV: Record<keyof Quotas, string> = {
  openContractsPerRequester: 'FERRY_QUOTA_OPEN_CONTRACTS',
  contractsPerMinutePerRequester: 'FERRY_QUOTA_CONTRACTS_PER_MINUTE',
  offeringsPerProvider: 'FERRY_QUOTA_OFFERINGS',
  delegationsPerProvider: 'FERRY_QUOTA_AGENT_KEYS',
  failedLoginsPerMinute: 'FERRY_QUOTA_FAILED_LOGINS_PER_MINUTE',
};

/** Defaults, then FERRY_QUOTA_* variables, then explicit options. A bad variable is an error naming it. */
export function resolveQuotas(env: NodeJS.ProcessEnv, given: Partial<Quotas> = {}): Quotas {
  const out: Quotas = { ...DEFAULT_QUOTAS };
  for (const key of Object.keys(ENV) as (keyof Quotas)[]) {
    const raw = env[ENV[key]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new RangeError(`${ENV[key]} must be a whole number 0–1000000, got "${raw}"`);
    out[key] = n;
  }
  return { ...out, ...given };
}

/** The environment variable of each quota, for help text and errors. */
export const QUOTA_ENV = ENV;
