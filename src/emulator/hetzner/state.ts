/**
 * In-memory state of one emulated Hetzner Cloud project. Nothing runs on timers: every status is
 * computed from the emulated clock when it is read (server boot, action progress, image creation).
 */
import type { EmulatorContext } from '../engine/index.js';

export type Labels = Record<string, string>;

export interface ActionRec {
  id: number;
  command: string;
  resources: { id: number; type: string }[];
  startedAt: number;
  durationMs: number;
}

export interface ServerRec {
  id: number;
  name: string;
  typeName: string;
  location: string;
  /** System image id or snapshot id. */
  imageId: number;
  labels: Labels;
  createdAt: number;
  startAfterCreate: boolean;
  sshKeys: number[];
  userData: string | null;
  /** The last power action: the server is in transition until `until`, then on or off. */
  power?: { to: 'on' | 'off'; until: number };
  /** Set by enable_rescue: the next boot goes to the rescue system. */
  rescue?: boolean;
}

export interface SnapshotRec {
  id: number;
  description: string;
  labels: Labels;
  createdAt: number;
  /** When the create_image action finishes and the image becomes available. */
  readyAt: number;
  architecture: 'x86' | 'arm';
  diskSize: number;
  imageSize: number;
  createdFrom: { id: number; name: string };
  osFlavor: string;
  osVersion: string | null;
}

export interface SshKeyRec {
  id: number;
  name: string;
  publicKey: string;
  fingerprint: string;
  labels: Labels;
  createdAt: number;
}

export interface NetworkRec {
  id: number;
  name: string;
  ipRange: string;
  subnets: { type: string; ip_range: string; network_zone: string; gateway: string }[];
  labels: Labels;
  createdAt: number;
}

export interface FirewallRule {
  direction: 'in' | 'out';
  protocol: string;
  port: string | null;
  source_ips: string[];
  destination_ips: string[];
  description: string | null;
}

export interface FirewallRec {
  id: number;
  name: string;
  rules: FirewallRule[];
  labels: Labels;
  createdAt: number;
}

export interface VolumeRec {
  id: number;
  name: string;
  size: number;
  location: string;
  server: number | null;
  format: string | null;
  labels: Labels;
  createdAt: number;
  readyAt: number;
}

/** Finished actions kept for GET /actions/{id}; beyond this the oldest finished ones are dropped. */
export const ACTION_HISTORY = 10_000;

export class HetznerState {
  readonly servers = new Map<number, ServerRec>();
  readonly snapshots = new Map<number, SnapshotRec>();
  readonly sshKeys = new Map<number, SshKeyRec>();
  readonly networks = new Map<number, NetworkRec>();
  readonly firewalls = new Map<number, FirewallRec>();
  readonly volumes = new Map<number, VolumeRec>();
  /** Kept actions by id, oldest first. */
  readonly actions = new Map<number, ActionRec>();
  /** Kept actions per server, oldest first, for GET /servers/{id}/actions. */
  private readonly byServer = new Map<number, ActionRec[]>();
  private readonly counters = new Map<string, number>();

  constructor(readonly ctx: EmulatorContext) {}

  now(): number {
    return this.ctx.clock.now();
  }

  /** Ids per resource kind, starting where real ones of that kind roughly are. */
  nextId(kind: 'server' | 'image' | 'ssh_key' | 'network' | 'firewall' | 'volume' | 'action'): number {
    const base = { server: 52_000_000, image: 190_000_000, ssh_key: 21_000_000, network: 10_400_000, firewall: 1_700_000, volume: 101_000_000, action: 1_900_000_000 }[kind];
    const n = (this.counters.get(kind) ?? base) + 1;
    this.counters.set(kind, n);
    return n;
  }

  startAction(command: string, resources: { id: number; type: string }[], durationMs = this.ctx.config.actionMs, startedAt = this.now()): ActionRec {
    const a: ActionRec = { id: this.nextId('action'), command, resources, startedAt, durationMs };
    this.actions.set(a.id, a);
    for (const r of resources) {
      if (r.type !== 'server') continue;
      const mine = this.byServer.get(r.id);
      if (mine) mine.push(a);
      else this.byServer.set(r.id, [a]);
    }
    this.pruneActions();
    return a;
  }

  /** The server's kept actions, oldest first. */
  actionsOf(serverId: number): readonly ActionRec[] {
    return this.byServer.get(serverId) ?? [];
  }

  private pruneActions(): void {
    if (this.actions.size <= ACTION_HISTORY) return;
    const now = this.now();
    const touched = new Set<number>();
    for (const a of this.actions.values()) {
      if (this.actions.size <= ACTION_HISTORY) break;
      if (now - a.startedAt < a.durationMs) continue;
      this.actions.delete(a.id);
      for (const r of a.resources) if (r.type === 'server') touched.add(r.id);
    }
    for (const id of touched) {
      const kept = this.byServer.get(id)!.filter((a) => this.actions.has(a.id));
      if (kept.length) this.byServer.set(id, kept);
      else this.byServer.delete(id);
    }
  }

  /** Boot: initializing for the create action, then starting, running after bootMs. */
  serverStatus(s: ServerRec): string {
    const age = this.now() - s.createdAt;
    const createMs = this.ctx.config.bootMs / 2;
    if (age < createMs) return 'initializing';
    if (s.power) {
      if (this.now() < s.power.until) return s.power.to === 'on' ? 'starting' : 'stopping';
      return s.power.to === 'on' ? 'running' : 'off';
    }
    if (!s.startAfterCreate) return 'off';
    return age < this.ctx.config.bootMs ? 'starting' : 'running';
  }

  findServerByName(name: string): ServerRec | undefined {
    return [...this.servers.values()].find((s) => s.name === name);
  }
}
