/**
 * In-memory state of one emulated Latitude.sh team. No timers: a server's status is computed from
 * the emulated clock when read — an order goes starting_deploy → disk_erasing → deploying → on
 * over minutes (at once for pre-installed stock), a reinstall disk_erasing → deploying → on, a
 * power action flips after actionMs, a scheduled deletion removes the server when its time comes.
 */
import type { EmulatorContext } from '../engine/index.js';
import { SEED_PLANS, STOCK_BY_LEVEL, type SeedPlan } from './seed.js';

export interface Phase {
  status: string;
  until: number;
}

export interface ServerRec {
  id: string;
  hostname: string;
  label: string;
  plan: SeedPlan;
  site: string;
  os: string;
  projectId: string;
  billing: string;
  tagIds: string[];
  sshKeys: string[];
  userData: string | null;
  ipxe: string | null;
  ipv4: string;
  createdAt: number;
  /** The deploy or the last reinstall: statuses in order, each until a time; `on` after the last. */
  phases: Phase[];
  power?: { to: 'on' | 'off'; until: number };
  scheduledDeletionAt: number | null;
}

export interface TagRec {
  id: string;
  name: string;
  description: string | null;
  color: string;
}

export interface SshKeyRec {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  createdAt: number;
}

export interface ProjectRec {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  provisioningType: string;
  createdAt: number;
}

export interface VlanRec {
  id: string;
  vid: number;
  description: string;
  site: string;
  projectId: string;
  createdAt: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class LatitudeState {
  readonly servers = new Map<string, ServerRec>();
  readonly tags = new Map<string, TagRec>();
  readonly sshKeys = new Map<string, SshKeyRec>();
  readonly projects = new Map<string, ProjectRec>();
  readonly userData = new Map<string, { id: string; description: string; content: string; projectId: string | null; createdAt: number }>();
  readonly vlans = new Map<string, VlanRec>();
  /** Servers left per plan and site. */
  readonly stock = new Map<string, number>();
  private ipCounter = 0;
  private vidCounter = 2000;

  constructor(readonly ctx: EmulatorContext) {
    for (const p of SEED_PLANS) {
      for (const r of p.regions) for (const site of r.available) this.stock.set(`${p.slug}@${site}`, r.inStock.includes(site) ? STOCK_BY_LEVEL[r.stockLevel] : 0);
    }
    const project: ProjectRec = { id: this.newId('proj'), name: 'Default Project', slug: 'default-project', description: null, provisioningType: 'on_demand', createdAt: this.now() };
    this.projects.set(project.id, project);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  newId(prefix: string): string {
    let s = '';
    for (let i = 0; i < 13; i++) s += ALPHABET[Math.floor(this.ctx.random() * ALPHABET.length)];
    return `${prefix}_${s}`;
  }

  nextIp(): string {
    this.ipCounter++;
    return `177.54.${146 + Math.floor(this.ipCounter / 250)}.${(this.ipCounter % 250) + 2}`;
  }

  nextVid(): number {
    return ++this.vidCounter;
  }

  /**
   * An order's phases, from the emulated boot time: stock pre-installed with the OS ("deploys
   * instantly") skips the disk erase and installs fast; anything else takes tens of minutes.
   */
  deployPhases(start: number, instant: boolean): Phase[] {
    const b = this.ctx.config.bootMs;
    const steps: [string, number][] = instant
      ? [['starting_deploy', b], ['deploying', 2 * b]]
      : [['starting_deploy', 3 * b], ['disk_erasing', 6 * b], ['deploying', 15 * b]];
    return this.chain(start, steps);
  }

  reinstallPhases(start: number): Phase[] {
    const b = this.ctx.config.bootMs;
    return this.chain(start, [['disk_erasing', 6 * b], ['deploying', 12 * b]]);
  }

  private chain(start: number, steps: [string, number][]): Phase[] {
    let t = start;
    return steps.map(([status, ms]) => ({ status, until: (t += ms) }));
  }

  status(s: ServerRec): string {
    const now = this.now();
    const phase = s.phases.find((p) => now < p.until);
    if (phase) return phase.status;
    if (s.power && now < s.power.until) return s.power.to === 'on' ? 'off' : 'on';
    return s.power?.to ?? 'on';
  }

  /** Servers whose scheduled deletion has come are gone, as the real team sees them. */
  purge(): void {
    const now = this.now();
    for (const s of this.servers.values()) if (s.scheduledDeletionAt !== null && now >= s.scheduledDeletionAt) this.release(s);
  }

  release(s: ServerRec): void {
    this.servers.delete(s.id);
    const key = `${s.plan.slug}@${s.site}`;
    if (this.stock.has(key)) this.stock.set(key, this.stock.get(key)! + 1);
  }
}
