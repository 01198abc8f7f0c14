import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../engine/index.js';

/** A config value as PVE stores it in qemu-server/<vmid>.conf. */
export type ConfigValue = string | number;

export interface SnapshotRecord {
  name: string;
  description: string;
  snaptime: number; // epoch seconds
  parent?: string;
  config: Record<string, ConfigValue>;
}

export interface VmRecord {
  vmid: number;
  node: string;
  config: Record<string, ConfigValue>;
  running: boolean;
  /** Emulated ms the VM's start task finished; boot and addresses count from here. */
  startedAt: number | null;
  lock?: string;
  pool?: string;
  snapshots: SnapshotRecord[];
  ipv4: string;
  mac: string;
  /** Suspended (qmpstatus "paused"); status stays "running", as in PVE. */
  paused?: boolean;
}

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number; // epoch seconds
  type: string;
  id: string;
  user: string;
  endsAt: number; // emulated ms
  /** "OK" or the error text. */
  exit: string;
  log: string[];
  /** Applied once, when the emulated clock passes endsAt. */
  effect?: () => void;
  settled: boolean;
}

export interface NodeRecord {
  node: string;
  maxcpu: number;
  maxmem: number;
}

export interface StorageRecord {
  storage: string;
  type: string;
  content: string;
  shared: 0 | 1;
  total: number;
}

const GiB = 1024 ** 3;

/** The emulated cluster: two nodes, two cloud-init templates on pve1, local + local-lvm storage. */
export class PveState {
  readonly nodes: NodeRecord[] = [
    { node: 'pve1', maxcpu: 32, maxmem: 128 * GiB },
    { node: 'pve2', maxcpu: 16, maxmem: 64 * GiB },
  ];
  readonly storages: StorageRecord[] = [
    { storage: 'local', type: 'dir', content: 'iso,vztmpl,backup,snippets', shared: 0, total: 100 * GiB },
    { storage: 'local-lvm', type: 'lvmthin', content: 'images,rootdir', shared: 0, total: 800 * GiB },
  ];
  readonly vms = new Map<number, VmRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  private pid = 0x1000;

  constructor(readonly ctx: EmulatorContext) {
    this.addTemplate(9000, 'ubuntu-24.04-cloudinit');
    this.addTemplate(9001, 'debian-12-cloudinit');
  }

  private addTemplate(vmid: number, name: string): void {
    this.vms.set(vmid, {
      vmid,
      node: 'pve1',
      running: false,
      startedAt: null,
      snapshots: [],
      ipv4: '',
      mac: macFor(vmid),
      config: {
        name,
        template: 1,
        cores: 2,
        sockets: 1,
        memory: '2048',
        agent: '1',
        ostype: 'l26',
        scsihw: 'virtio-scsi-pci',
        scsi0: `local-lvm:base-${vmid}-disk-0,size=3584M`,
        ide2: `local-lvm:vm-${vmid}-cloudinit,media=cdrom`,
        net0: `virtio=${macFor(vmid)},bridge=vmbr0`,
        boot: 'order=scsi0',
        serial0: 'socket',
        vga: 'serial0',
        meta: `creation-qemu=9.0.2,ctime=${Math.floor(this.ctx.clock.now() / 1000) - 86_400}`,
      },
    });
  }

  /** Finishes every task whose time has come, in order, applying its effect. */
  settle(): void {
    const now = this.ctx.clock.now();
    const due = [...this.tasks.values()].filter((t) => !t.settled && t.endsAt <= now).sort((a, b) => a.endsAt - b.endsAt);
    for (const t of due) {
      t.settled = true;
      t.effect?.();
    }
  }

  node(name: string): NodeRecord | undefined {
    return this.nodes.find((n) => n.node === name);
  }

  /** A task running from now for durationMs (emulated) on the given node. */
  startTask(t: { node: string; type: string; id: string; user: string; durationMs: number; exit?: string; log: string[]; effect?: () => void }): TaskRecord {
    const now = this.ctx.clock.now();
    const pid = this.pid++;
    const pstart = 1_000_000 + Math.floor(this.ctx.random() * 9_000_000);
    const starttime = Math.floor(now / 1000);
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
    const upid = `UPID:${t.node}:${hex(pid)}:${hex(pstart)}:${hex(starttime)}:${t.type}:${t.id}:${t.user}:`;
    const rec: TaskRecord = {
      upid,
      node: t.node,
      pid,
      pstart,
      starttime,
      type: t.type,
      id: t.id,
      user: t.user,
      endsAt: now + t.durationMs,
      exit: t.exit ?? 'OK',
      log: t.log,
      effect: t.effect,
      settled: false,
    };
    this.tasks.set(upid, rec);
    return rec;
  }

  digest(config: Record<string, ConfigValue>): string {
    return createHash('sha1').update(JSON.stringify(config)).digest('hex');
  }

  /** A private address for a new VM (seeded, so runs repeat). */
  newAddress(): string {
    const r = () => 1 + Math.floor(this.ctx.random() * 253);
    return `10.10.${r()}.${r()}`;
  }
}

export function macFor(vmid: number): string {
  const h = createHash('sha256').update(String(vmid)).digest();
  return ['BC', '24', '11', ...[0, 1, 2].map((i) => h[i]!.toString(16).toUpperCase().padStart(2, '0'))].join(':');
}
