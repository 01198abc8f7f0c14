/**
 * In-memory state of one emulated Vultr account. Nothing runs on timers: every status is derived
 * from the emulated clock when read — an instance is `pending` (server_status none → locked →
 * installingbooting) until it has booted, then `active`/`ok`; bare metal takes far longer.
 */
import type { EmulatorContext } from '../engine/index.js';

export type MachineKind = 'instance' | 'bare-metal';

export interface MachineRec {
  kind: MachineKind;
  id: string;
  label: string;
  hostname: string;
  region: string;
  plan: string;
  osId: number;
  appId: number;
  imageId: string;
  snapshotId: string;
  ipxeChainUrl: string;
  tags: string[];
  userData: string;
  sshKeyIds: string[];
  firewallGroupId: string;
  vpcIds: string[];
  createdAt: number;
  /** Until then the machine is pending (the install is running). */
  readyAt: number;
  ipAt: number;
  ipv4: string;
  ipv6: string;
  /** A power change in flight lands at `at`; until then the old status shows. */
  power: { from: 'running' | 'stopped'; to: 'running' | 'stopped'; at: number };
  /** server_status is installingbooting until then (reboot, start, reinstall). */
  busyUntil: number;
  defaultPassword: string;
}

export interface SnapshotRec {
  id: string;
  description: string;
  instanceId: string;
  osId: number;
  sizeBytes: number;
  createdAt: number;
  readyAt: number;
}

export interface SshKeyRec {
  id: string;
  name: string;
  sshKey: string;
  createdAt: number;
}

export interface VpcRec {
  id: string;
  region: string;
  description: string;
  subnet: string;
  mask: number;
  createdAt: number;
}

export interface FirewallRuleRec {
  id: number;
  ipType: 'v4' | 'v6';
  protocol: string;
  port: string;
  subnet: string;
  subnetSize: number;
  source: string;
  notes: string;
}

export interface FirewallGroupRec {
  id: string;
  description: string;
  createdAt: number;
  modifiedAt: number;
  rules: FirewallRuleRec[];
  nextRuleId: number;
}

export interface BlockRec {
  id: string;
  region: string;
  sizeGb: number;
  label: string;
  blockType: string;
  createdAt: number;
  readyAt: number;
  attachedTo: string;
}

/** How much longer than a cloud instance a bare-metal server takes to be provisioned. */
export const BARE_METAL_FACTOR = 30;

export class VultrState {
  readonly machines = new Map<string, MachineRec>();
  readonly snapshots = new Map<string, SnapshotRec>();
  readonly sshKeys = new Map<string, SshKeyRec>();
  readonly vpcs = new Map<string, VpcRec>();
  readonly firewalls = new Map<string, FirewallGroupRec>();
  readonly blocks = new Map<string, BlockRec>();
  private hostCounter = 10;

  constructor(readonly ctx: EmulatorContext) {}

  now(): number {
    return this.ctx.clock.now();
  }

  /** Vultr's ids are UUIDs; drawn from the seeded generator so a run is repeatable. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.ctx.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  nextAddresses(): { ipv4: string; ipv6: string } {
    const n = this.hostCounter++;
    return { ipv4: `45.76.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`, ipv6: `2001:19f0:5:${n.toString(16)}::1` };
  }

  password(): string {
    return Array.from({ length: 16 }, () => 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(this.ctx.random() * 55)]).join('');
  }

  /** The provisioning times of a new machine: instances boot in bootMs, bare metal takes BARE_METAL_FACTOR times longer. */
  timings(kind: MachineKind): { readyMs: number; ipMs: number } {
    const { bootMs, ipDelayMs } = this.ctx.config;
    return kind === 'instance' ? { readyMs: bootMs, ipMs: Math.min(ipDelayMs, bootMs) } : { readyMs: bootMs * BARE_METAL_FACTOR, ipMs: bootMs };
  }

  machine(kind: MachineKind, id: string): MachineRec | undefined {
    const m = this.machines.get(id);
    return m && m.kind === kind ? m : undefined;
  }

  powerStatus(m: MachineRec): 'running' | 'stopped' {
    return this.now() >= m.power.at ? m.power.to : m.power.from;
  }

  setPower(m: MachineRec, to: 'running' | 'stopped', delayMs: number): void {
    m.power = { from: this.powerStatus(m), to, at: this.now() + delayMs };
  }

  /** pending while installing: server_status none → locked → installingbooting, then ok. */
  status(m: MachineRec): { status: 'pending' | 'active'; serverStatus: 'none' | 'locked' | 'installingbooting' | 'ok' } {
    const t = this.now();
    if (t < m.readyAt) {
      const part = (t - m.createdAt) / Math.max(1, m.readyAt - m.createdAt);
      return { status: 'pending', serverStatus: part < 1 / 3 ? 'none' : part < 2 / 3 ? 'locked' : 'installingbooting' };
    }
    if (t < m.busyUntil) return { status: 'active', serverStatus: 'installingbooting' };
    return { status: 'active', serverStatus: 'ok' };
  }

  hasAddress(m: MachineRec): boolean {
    return this.now() >= m.ipAt;
  }
}
