/**
 * In-memory state of one emulated Scaleway organisation (one project). Nothing runs on timers:
 * servers, images and Elastic Metal deliveries derive their state from the emulated clock when read.
 */
import type { EmulatorContext } from '../engine/index.js';

export interface ServerRec {
  id: string;
  zone: string;
  name: string;
  project: string;
  commercialType: string;
  arch: string;
  imageId: string;
  imageName: string;
  tags: string[];
  createdAt: number;
  modifiedAt: number;
  securityGroupId: string;
  /** Volume index → block volume id ("0" is the root volume). */
  volumes: Record<string, string>;
  userData: Record<string, string>;
  /** The last power transition: in progress until `until`. */
  power: { to: 'running' | 'stopped' | 'terminated'; since: number; until: number } | null;
  /** Set on the first poweron: the dynamic IP appears ipDelayMs later. */
  firstStartedAt: number | null;
  ipId: string;
  ipAddress: string;
  dynamicIp: boolean;
}

export interface NicRec {
  id: string;
  serverId: string;
  privateNetworkId: string;
  zone: string;
  createdAt: number;
  mac: string;
}

export interface ImageRec {
  id: string;
  zone: string;
  name: string;
  arch: string;
  project: string;
  tags: string[];
  fromServer: string;
  rootSnapshotId: string;
  createdAt: number;
  readyAt: number;
}

export interface SecurityGroupRule {
  id: string;
  protocol: string;
  direction: string;
  action: string;
  ip_range: string;
  dest_port_from: number | null;
  dest_port_to: number | null;
  position: number;
  editable: boolean;
  zone: string;
}

export interface SecurityGroupRec {
  id: string;
  zone: string;
  name: string;
  description: string;
  project: string;
  tags: string[];
  stateful: boolean;
  inbound: string;
  outbound: string;
  projectDefault: boolean;
  rules: SecurityGroupRule[];
  createdAt: number;
}

export interface PrivateNetworkRec {
  id: string;
  region: string;
  name: string;
  project: string;
  tags: string[];
  subnets: { id: string; subnet: string; createdAt: number }[];
  vpcId: string;
  createdAt: number;
}

export interface BlockVolumeRec {
  id: string;
  zone: string;
  name: string;
  project: string;
  size: number;
  iops: number;
  tags: string[];
  serverId: string | null;
  parentSnapshotId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface BlockSnapshotRec {
  id: string;
  zone: string;
  name: string;
  project: string;
  size: number;
  volumeId: string;
  createdAt: number;
  readyAt: number;
}

export interface SshKeyRec {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  project: string;
  createdAt: number;
}

export interface BaremetalRec {
  id: string;
  zone: string;
  name: string;
  description: string;
  project: string;
  offerId: string;
  offerName: string;
  tags: string[];
  createdAt: number;
  /** Delivery ends (status delivering → ready). */
  deliveredAt: number;
  install: { osId: string; hostname: string; sshKeyIds: string[]; startedAt: number; endsAt: number } | null;
  power: { to: 'ready' | 'stopped'; until: number } | null;
  deletingUntil: number | null;
  ipv4: string;
  ipv6: string;
}

export class ScalewayState {
  readonly servers = new Map<string, ServerRec>();
  readonly nics = new Map<string, NicRec>();
  readonly images = new Map<string, ImageRec>();
  readonly securityGroups = new Map<string, SecurityGroupRec>();
  readonly privateNetworks = new Map<string, PrivateNetworkRec>();
  readonly volumes = new Map<string, BlockVolumeRec>();
  readonly snapshots = new Map<string, BlockSnapshotRec>();
  readonly sshKeys = new Map<string, SshKeyRec>();
  readonly baremetal = new Map<string, BaremetalRec>();
  private ipCounter = 10;

  constructor(readonly ctx: EmulatorContext) {}

  now(): number {
    return this.ctx.clock.now();
  }

  iso(ms: number): string {
    return this.ctx.clock.iso(ms);
  }

  /** A v4 UUID from the seeded generator, so a seeded run repeats. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.ctx.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(this.ctx.random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  nextIpv4(): string {
    const n = this.ipCounter++;
    return `51.15.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
  }

  /** Server state from its last power transition (created servers are stopped until powered on). */
  serverState(s: ServerRec): 'running' | 'stopped' | 'starting' | 'stopping' {
    const p = s.power;
    if (!p) return 'stopped';
    if (this.now() < p.until) return p.to === 'running' ? 'starting' : 'stopping';
    return p.to === 'running' ? 'running' : 'stopped';
  }

  /** Terminated servers vanish (with their volumes) once the terminate action is done. */
  settleTerminated(): void {
    for (const s of [...this.servers.values()]) {
      if (s.power?.to === 'terminated' && this.now() >= s.power.until) {
        this.servers.delete(s.id);
        for (const volId of Object.values(s.volumes)) this.volumes.delete(volId);
        for (const n of [...this.nics.values()]) if (n.serverId === s.id) this.nics.delete(n.id);
      }
    }
    for (const b of [...this.baremetal.values()]) if (b.deletingUntil !== null && this.now() >= b.deletingUntil) this.baremetal.delete(b.id);
  }

  hasAddress(s: ServerRec): boolean {
    return s.firstStartedAt !== null && this.now() - s.firstStartedAt >= this.ctx.config.ipDelayMs;
  }

  serversUsingVolume(volumeId: string): ServerRec | undefined {
    return [...this.servers.values()].find((s) => Object.values(s.volumes).includes(volumeId));
  }
}
