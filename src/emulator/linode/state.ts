/**
 * The emulated account. Nothing runs on timers: each Linode keeps a timeline of timed statuses
 * and each event its end, and both are read against the emulated clock when asked.
 */
import type { EmulatorContext } from '../engine/index.js';
import { FixedWindows } from './limits.js';

export interface Step {
  status: string;
  until: number;
}

export interface Linode {
  id: number;
  label: string;
  region: string;
  type: string;
  image: string | null;
  tags: string[];
  created: number;
  updated: number;
  ipv4: string[];
  ipv6: string;
  timeline: Step[];
  settled: string;
  hasUserData: boolean;
  disks: Disk[];
}

export interface Disk {
  id: number;
  label: string;
  filesystem: string;
  size: number;
  created: number;
}

export interface Event {
  id: number;
  action: string;
  entity: { id: number | string; type: string; label: string; url: string };
  created: number;
  doneAt: number;
}

export interface PrivateImage {
  id: string;
  label: string;
  description: string;
  created: number;
  readyAt: number;
  size: number;
  tags: string[];
}

export interface SshKey {
  id: number;
  label: string;
  ssh_key: string;
  created: number;
}

export interface Firewall {
  id: number;
  label: string;
  rules: Record<string, unknown>;
  tags: string[];
  created: number;
  devices: number[];
}

export interface Vpc {
  id: number;
  label: string;
  region: string;
  description: string;
  subnets: { id: number; label: string; ipv4: string; created: number }[];
  created: number;
}

export interface Volume {
  id: number;
  label: string;
  size: number;
  region: string;
  tags: string[];
  created: number;
  readyAt: number;
  linodeId: number | null;
}

/** Everything of one token's account. */
export interface Account {
  linodes: Map<number, Linode>;
  events: Event[];
  images: Map<string, PrivateImage>;
  sshKeys: Map<number, SshKey>;
  firewalls: Map<number, Firewall>;
  vpcs: Map<number, Vpc>;
  volumes: Map<number, Volume>;
}

export class LinodeState {
  private readonly accounts = new Map<string, Account>();
  private nextId = 1000;
  readonly limits: FixedWindows;

  constructor(readonly ctx: EmulatorContext) {
    this.limits = new FixedWindows(ctx.clock);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  id(): number {
    return ++this.nextId;
  }

  account(token: string | undefined): Account {
    const key = token ?? '';
    let a = this.accounts.get(key);
    if (!a) {
      a = { linodes: new Map(), events: [], images: new Map(), sshKeys: new Map(), firewalls: new Map(), vpcs: new Map(), volumes: new Map() };
      this.accounts.set(key, a);
    }
    return a;
  }

  statusOf(l: Linode): string {
    const t = this.now();
    return l.timeline.find((s) => t < s.until)?.status ?? l.settled;
  }

  /** Records an event that finishes after `durationMs` of emulated time. */
  event(a: Account, action: string, entity: Event['entity'], durationMs: number): Event {
    const created = this.now();
    const e: Event = { id: this.id(), action, entity, created, doneAt: created + durationMs };
    a.events.push(e);
    return e;
  }

  /** A public IPv4 from the documentation range, unique per Linode. */
  ipv4For(id: number): string {
    return `203.0.${Math.floor(id / 250) % 250}.${(id % 250) + 2}`;
  }
}
