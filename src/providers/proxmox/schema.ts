/**
 * Wire shapes of the Proxmox VE API (/api2/json), as the official apidoc schema
 * (pve-docs api-viewer apiSchema) declares them. Every answer is wrapped in `{ data }`.
 * Only the fields ferry reads are listed; PVE sends more.
 */

export interface PveEnvelope<T> {
  data: T;
  /** Parameter verification failures (HTTP 400), keyed by parameter name. */
  errors?: Record<string, string>;
  /** Error text on failures (newer PVE; older ones put it only in the HTTP reason phrase). */
  message?: string;
}

/** GET /version */
export interface PveVersion {
  release: string;
  repoid: string;
  version: string;
  console?: string;
}

/** GET /nodes */
export interface PveNode {
  node: string;
  status: 'unknown' | 'online' | 'offline';
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  uptime?: number;
  level?: string;
  ssl_fingerprint?: string;
}

/** GET /cluster/resources?type=vm: one entry per guest (type qemu or lxc). */
export interface PveClusterResource {
  id: string; // "qemu/100"
  type: 'node' | 'storage' | 'pool' | 'qemu' | 'lxc' | 'openvz' | 'sdn' | 'network';
  vmid?: number;
  name?: string;
  node?: string;
  status?: string;
  template?: boolean | 0 | 1;
  tags?: string;
  lock?: string;
  maxcpu?: number;
  maxmem?: number;
  maxdisk?: number;
  uptime?: number;
  pool?: string;
  storage?: string;
  content?: string;
}

/** GET /nodes/{node}/qemu */
export interface PveVmListItem {
  vmid: number;
  status: 'stopped' | 'running';
  name?: string;
  tags?: string;
  lock?: string;
  template?: boolean | 0 | 1;
  cpus?: number;
  maxmem?: number;
  maxdisk?: number;
  uptime?: number;
}

/** GET /nodes/{node}/qemu/{vmid}/status/current */
export interface PveVmStatus {
  vmid: number;
  status: 'stopped' | 'running';
  /** QMP run state: running, paused, suspended, prelaunch, inmigrate, postmigrate, … */
  qmpstatus?: string;
  name?: string;
  tags?: string;
  lock?: string;
  template?: boolean | 0 | 1;
  agent?: boolean | 0 | 1;
  cpus?: number;
  maxmem?: number;
  maxdisk?: number;
  uptime?: number;
  ha: Record<string, unknown>;
}

/** GET /nodes/{node}/qemu/{vmid}/config (values as PVE stores them: property strings, numbers). */
export interface PveVmConfig {
  digest: string;
  name?: string;
  tags?: string;
  description?: string;
  lock?: string;
  template?: boolean | 0 | 1;
  cores?: number;
  sockets?: number;
  /** "[current=]<MiB>", sent back as a number or a string. */
  memory?: number | string;
  /** "creation-qemu=9.0.2,ctime=1700000000" */
  meta?: string;
  agent?: string | number;
  ciuser?: string;
  sshkeys?: string;
  ipconfig0?: string;
  nameserver?: string;
  cicustom?: string;
  [key: string]: unknown;
}

/** GET /nodes/{node}/tasks/{upid}/status */
export interface PveTaskStatus {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  /** "OK", "WARNINGS: n" or the error text, once stopped. */
  exitstatus?: string;
}

/** GET /nodes/{node}/tasks/{upid}/log */
export interface PveTaskLogLine {
  n: number;
  t: string;
}

/** GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces: `{ result: [...] }` from the guest agent. */
export interface PveAgentInterfaces {
  result: PveAgentInterface[];
}

export interface PveAgentInterface {
  name: string;
  'hardware-address'?: string;
  'ip-addresses'?: { 'ip-address': string; 'ip-address-type': 'ipv4' | 'ipv6'; prefix?: number }[];
}

/** GET /nodes/{node}/qemu/{vmid}/snapshot (includes a pseudo entry named "current"). */
export interface PveSnapshot {
  name: string;
  description: string;
  parent?: string;
  snaptime?: number;
  vmstate?: boolean | 0 | 1;
}

/** GET /nodes/{node}/storage */
export interface PveStorage {
  storage: string;
  type: string;
  content: string;
  active?: boolean | 0 | 1;
  enabled?: boolean | 0 | 1;
  shared?: boolean | 0 | 1;
  avail?: number;
  total?: number;
  used?: number;
}

/** A UPID, the id of a PVE task: UPID:node:pid:pstart:starttime:type:id:user: (hex numbers). */
export type Upid = string;
