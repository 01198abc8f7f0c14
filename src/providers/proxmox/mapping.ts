import type { Instance, InstanceState, InstanceStatus, Snapshot } from '../../core/index.js';
import { parseNote, tagsToLabels } from './labels.js';
import { formatSize } from './sizes.js';
import type { PveAgentInterfaces, PveSnapshot, PveVmConfig, PveVmStatus } from './schema.js';

export const PROVIDER = 'proxmox';

/** Config locks: a VM under one of these is not usable whatever its process does. */
const LOCK_STATES: Readonly<Record<string, InstanceState>> = {
  clone: 'new',
  create: 'new',
  migrate: 'new',
  rollback: 'new',
  backup: 'active', // a running VM keeps serving during a backup
  snapshot: 'active',
  'snapshot-delete': 'active',
  suspending: 'off',
  suspended: 'off',
};

/** QMP run states (`qmpstatus`), which say more than the process status. */
const QMP_STATES: Readonly<Record<string, InstanceState>> = {
  running: 'active',
  stopped: 'off',
  paused: 'off',
  suspended: 'off',
  'save-vm': 'active',
  'restore-vm': 'new',
  prelaunch: 'new',
  inmigrate: 'new',
  postmigrate: 'off',
  'finish-migrate': 'off',
  shutdown: 'off',
  'guest-panicked': 'off',
  'internal-error': 'off',
  'io-error': 'off',
  watchdog: 'off',
  debug: 'off',
};

/** The process status every PVE answer carries. */
const PROCESS_STATES: Readonly<Record<string, InstanceState>> = {
  running: 'active',
  stopped: 'off',
};

export interface RunState {
  status?: string;
  qmpstatus?: string;
  lock?: string;
  template?: boolean | 0 | 1;
}

/** Lock first, then the QMP state, then the process status; anything else is unknown with the raw word. */
export function vmStatus(s: RunState): InstanceStatus {
  if (s.template === true || s.template === 1) return { state: 'archive', raw: 'template' };
  if (s.lock) {
    const state = LOCK_STATES[s.lock];
    return { state: state ?? 'unknown', raw: `locked:${s.lock}` };
  }
  if (s.qmpstatus) return { state: QMP_STATES[s.qmpstatus] ?? 'unknown', raw: s.qmpstatus };
  const state = s.status ? PROCESS_STATES[s.status] : undefined;
  return { state: state ?? 'unknown', raw: s.status || 'unknown' };
}

const LINK_LOCAL_V4 = /^169\.254\./;
const LOOPBACK_V4 = /^127\./;

/** First global address of each family the guest agent reports; loopback and link-local are skipped. */
export function guestAddresses(agent: PveAgentInterfaces | null | undefined): { ipv4: string | null; ipv6: string | null } {
  let ipv4: string | null = null;
  let ipv6: string | null = null;
  for (const iface of agent?.result ?? []) {
    if (iface.name === 'lo') continue;
    for (const a of iface['ip-addresses'] ?? []) {
      const ip = a['ip-address'];
      if (a['ip-address-type'] === 'ipv4' && !ipv4 && !LOOPBACK_V4.test(ip) && !LINK_LOCAL_V4.test(ip)) ipv4 = ip;
      if (a['ip-address-type'] === 'ipv6' && !ipv6 && ip !== '::1' && !/^fe80:/i.test(ip)) ipv6 = ip;
    }
  }
  return { ipv4, ipv6 };
}

/** "[current=]<MiB>" or a number. */
export function memoryMb(memory: number | string | undefined): number | null {
  if (memory === undefined) return null;
  if (typeof memory === 'number') return memory;
  const m = /(?:^|,)(?:current=)?(\d+)(?:,|$)/.exec(memory);
  return m ? Number(m[1]) : null;
}

/** meta "creation-qemu=9.0.2,ctime=1700000000" → ISO time. */
export function metaCreated(meta: string | undefined): string | null {
  const m = /(?:^|,)ctime=(\d+)(?:,|$)/.exec(meta ?? '');
  return m ? new Date(Number(m[1]) * 1000).toISOString() : null;
}

export interface VmView {
  vmid: number;
  node: string;
  status: PveVmStatus;
  config: PveVmConfig;
  agent?: PveAgentInterfaces | null;
}

export function toInstance(v: VmView): Instance {
  const note = parseNote(v.config.description);
  const mem = memoryMb(v.config.memory) ?? (v.status.maxmem ? Math.round(v.status.maxmem / 1024 / 1024) : 0);
  const cores = (v.config.cores ?? 1) * (v.config.sockets ?? 1);
  const { ipv4, ipv6 } = guestAddresses(v.agent);
  return {
    provider: PROVIDER,
    id: String(v.vmid),
    name: v.config.name ?? v.status.name ?? `VM ${v.vmid}`,
    status: vmStatus({ status: v.status.status, qmpstatus: v.status.qmpstatus, lock: v.status.lock ?? v.config.lock, template: v.config.template ?? v.status.template }),
    ipv4,
    ipv6,
    region: v.node,
    size: formatSize({ cores, memoryMb: mem }),
    image: note?.image ?? null,
    labels: tagsToLabels(v.config.tags ?? v.status.tags),
    createdAt: metaCreated(v.config.meta) ?? note?.created ?? '',
  };
}

/** ferry's snapshots carry this first line in their description. */
export const SNAPSHOT_MARK = 'ferry snapshot';

export function isFerrySnapshot(s: PveSnapshot): boolean {
  return s.name !== 'current' && s.description.split('\n')[0]?.trim() === SNAPSHOT_MARK;
}

/** Snapshot ids are "<vmid>/<snapname>": PVE snapshots live inside their VM. */
export function snapshotId(vmid: number | string, name: string): string {
  return `${vmid}/${name}`;
}

export function parseSnapshotId(id: string): { vmid: number; name: string } | null {
  const m = /^(\d+)\/([a-z][a-z0-9_-]+)$/i.exec(id);
  return m ? { vmid: Number(m[1]), name: m[2]! } : null;
}

export function toSnapshot(vmid: number, s: PveSnapshot): Snapshot {
  return {
    provider: PROVIDER,
    id: snapshotId(vmid, s.name),
    name: s.name,
    createdAt: s.snaptime ? new Date(s.snaptime * 1000).toISOString() : null,
    sizeGb: null,
    instanceId: String(vmid),
  };
}

export interface ParsedUpid {
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
}

/** UPID:node:pid:pstart:starttime:type:id:user: (pid, pstart, starttime in hex). */
export function parseUpid(upid: string): ParsedUpid | null {
  const m = /^UPID:([a-zA-Z0-9-]+):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/.exec(upid);
  if (!m) return null;
  return {
    node: m[1]!,
    pid: parseInt(m[2]!, 16),
    pstart: parseInt(m[3]!, 16),
    starttime: parseInt(m[4]!, 16),
    type: m[5]!,
    id: m[6]!,
    user: m[7]!,
  };
}
