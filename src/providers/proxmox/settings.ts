import { UserError, type ProviderConfig } from '../../core/index.js';
import { checkRange, DEFAULT_VMID_RANGE, type VmidRange } from './vmid.js';

/** Everything the driver reads from its credentials and options, checked once. */
export interface ProxmoxSettings {
  url: string;
  tokenId: string;
  tokenSecret: string;
  /** Default node (region) for tools that need one, e.g. the provider agent. */
  node: string | undefined;
  templateVmid: number | undefined;
  storage: string | undefined;
  pool: string | undefined;
  verifyTls: boolean;
  /** Full clones by default: linked clones tie every VM to its template's disk. */
  fullClone: boolean;
  vmidRange: VmidRange;
  ciuser: string | undefined;
  ipconfig0: string;
  nameserver: string | undefined;
  /** Snippet volumes for cloud-init, e.g. "user=local:snippets/base.yaml"; placed on the node out of band. */
  cicustom: string | undefined;
}

const TOKEN_ID_RE = /^[^\s@!=]+@[^\s@!=]+![A-Za-z][A-Za-z0-9._-]+$/;

function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new UserError(`proxmox option ${name}=${value} is not a boolean`, 'use true or false');
}

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new UserError(`proxmox ${name}=${value} is not a number`);
  return Number(value);
}

export function readSettings(config: ProviderConfig): ProxmoxSettings {
  const c = config.credentials;
  const o = config.options ?? {};
  const url = config.endpoint ?? c.url;
  if (!url) throw new UserError('Proxmox URL missing: PROXMOX_URL', 'e.g. https://pve.example:8006; or point ferry at the emulator with FERRY_PROXMOX_ENDPOINT');
  const tokenId = c.tokenId ?? '';
  if (!TOKEN_ID_RE.test(tokenId)) {
    throw new UserError('PROXMOX_TOKEN_ID must look like USER@REALM!TOKENID', 'e.g. root@pam!ferry (Datacenter → Permissions → API Tokens)');
  }
  if (!c.tokenSecret) throw new UserError('Proxmox token secret missing: PROXMOX_TOKEN_SECRET');
  const range = { min: int(o.vmidMin, 'vmidMin') ?? DEFAULT_VMID_RANGE.min, max: int(o.vmidMax, 'vmidMax') ?? DEFAULT_VMID_RANGE.max };
  try {
    checkRange(range);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  return {
    url,
    tokenId,
    tokenSecret: c.tokenSecret,
    node: c.node || o.node || undefined,
    templateVmid: int(c.templateVmid || o.templateVmid, 'templateVmid'),
    storage: c.storage || o.storage || undefined,
    pool: o.pool || undefined,
    verifyTls: flag(c.verifyTls || o.verifyTls, true, 'verifyTls'),
    fullClone: flag(o.fullClone, true, 'fullClone'),
    vmidRange: range,
    ciuser: c.ciuser || o.ciuser || undefined,
    ipconfig0: o.ipconfig0 || 'ip=dhcp',
    nameserver: o.nameserver || undefined,
    cicustom: c.cicustom || o.cicustom || undefined,
  };
}
