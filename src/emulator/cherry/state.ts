/**
 * In-memory state of one emulated Cherry Servers account. Statuses are computed from the clock:
 * an order is pending, then provisioning, then active while the OS deploys, then deployed; a
 * rebuild deploys again; power flips after actionMs; a deleted server is terminating, then gone.
 */
import type { EmulatorContext } from '../engine/index.js';
import { SEED_PLANS, type SeedPlan } from './seed.js';

export interface ServerRec {
  id: number;
  hostname: string;
  plan: SeedPlan;
  region: string;
  image: string;
  projectId: number;
  cycle: string;
  tags: Record<string, string>;
  sshKeys: number[];
  userData: string | null;
  ipxeChain: string | null;
  ipv4: string;
  createdAt: number;
  /** [state, status, until] in order; active/deployed after the last. */
  phases: { state: string; status: string; until: number }[];
  power?: { to: 'on' | 'off'; until: number };
  terminatingUntil: number | null;
}

export interface SshKeyRec {
  id: number;
  label: string;
  key: string;
  fingerprint: string;
  created: number;
}

export class CherryState {
  readonly servers = new Map<number, ServerRec>();
  readonly sshKeys = new Map<number, SshKeyRec>();
  readonly teams = [{ id: 112233, name: 'Emulated team' }];
  readonly projects = new Map<number, { id: number; name: string; teamId: number }>([[223344, { id: 223344, name: 'Default project', teamId: 112233 }]]);
  readonly stock = new Map<string, number>();
  private counters = { server: 600_000, key: 9_000, project: 223_344, ip: 0 };

  constructor(readonly ctx: EmulatorContext) {
    for (const p of SEED_PLANS) for (const [region, n] of Object.entries(p.stock)) this.stock.set(`${p.slug}@${region}`, n);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  next(kind: 'server' | 'key' | 'project'): number {
    return ++this.counters[kind];
  }

  nextIp(): string {
    const n = ++this.counters.ip;
    return `5.199.${160 + Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  deployPhases(start: number, vps: boolean): ServerRec['phases'] {
    const b = this.ctx.config.bootMs;
    const steps: [string, string, number][] = vps
      ? [['pending', 'pending', b], ['active', 'deploying', 2 * b]]
      : [['pending', 'pending', 3 * b], ['provisioning', 'deploying', 6 * b], ['active', 'deploying', 15 * b]];
    let t = start;
    return steps.map(([state, status, ms]) => ({ state, status, until: (t += ms) }));
  }

  rebuildPhases(start: number): ServerRec['phases'] {
    return [{ state: 'active', status: 'deploying', until: start + 12 * this.ctx.config.bootMs }];
  }

  /** [state, status] now. */
  statusOf(s: ServerRec): { state: string; status: string } {
    if (s.terminatingUntil !== null) return { state: 'terminating', status: 'deployed' };
    const phase = s.phases.find((p) => this.now() < p.until);
    return phase ? { state: phase.state, status: phase.status } : { state: 'active', status: 'deployed' };
  }

  power(s: ServerRec): 'on' | 'off' {
    if (!s.power) return 'on';
    if (this.now() < s.power.until) return s.power.to === 'on' ? 'off' : 'on';
    return s.power.to;
  }

  /** Terminated servers leave when their winding down is over, and their hardware goes back to stock. */
  purge(): void {
    for (const s of this.servers.values()) {
      if (s.terminatingUntil !== null && this.now() >= s.terminatingUntil) {
        this.servers.delete(s.id);
        const key = `${s.plan.slug}@${s.region}`;
        this.stock.set(key, (this.stock.get(key) ?? 0) + 1);
      }
    }
  }
}
