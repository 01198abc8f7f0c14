/**
 * One emulated Robot account on the emulated clock. An order is a transaction "in process" until
 * the server is delivered (ctx.config.orderMs), then "ready" with its server number; the server is
 * "in process" while its dist installs (installMs), then "ready". A cancellation keeps the server,
 * `cancelled: true`, until its cancellation date; a rescue activation holds for the next boot.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from '../engine/index.js';

export interface TxRec {
  id: string;
  market: boolean;
  date: number;
  productId: string | number;
  productName: string;
  location: string;
  dist: string;
  lang: string;
  keys: { name: string; fingerprint: string; type: string; size: number }[];
  comment: string | null;
  deliverAt: number;
  serverNumber: number | null;
}

export interface ServerRec {
  number: number;
  ip: string;
  ipv6: string;
  name: string;
  product: string;
  dc: string;
  /** "in process" until then (delivery install, or an install started from the rescue system). */
  busyUntil: number;
  createdAt: number;
  cancellation: { date: string; effectiveAt: number; reason: string | null } | null;
  rescue: { password: string; activatedAt: number; bootedAt: number | null } | null;
  /** What the rescue system's SSH server was asked to run, in order. */
  rescueLog: string[];
  chainloaded: string | null;
}

export interface KeyRec {
  name: string;
  fingerprint: string;
  type: string;
  size: number;
  data: string;
  created_at: string;
}

export class RobotState {
  readonly transactions = new Map<string, TxRec>();
  readonly servers = new Map<number, ServerRec>();
  readonly keys = new Map<string, KeyRec>();
  private nextServer = 1_421_000;
  private nextIp = 10;
  /** GET /server calls per emulated hour (Robot: 200). */
  private serverListCalls: number[] = [];

  constructor(readonly ctx: EmulatorContext) {}

  now(): number {
    return this.ctx.clock.now();
  }

  /** Orders: B<yyyymmdd>-<number>-<number>, as Robot's transaction ids. */
  order(fields: Omit<TxRec, 'id' | 'date' | 'deliverAt' | 'serverNumber'>): TxRec {
    const now = this.now();
    const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
    const id = `B${day}-${300_000 + this.transactions.size * 17 + Math.floor(this.ctx.random() * 10)}-${200_000 + Math.floor(this.ctx.random() * 99_999)}`;
    const lead = this.ctx.config.orderMs * (fields.market ? 0.5 : 1);
    const tx: TxRec = { ...fields, id, date: now, deliverAt: now + lead, serverNumber: null };
    this.transactions.set(id, tx);
    this.ctx.schedule(tx.deliverAt, () => this.deliver(tx));
    return tx;
  }

  private deliver(tx: TxRec): void {
    const number = this.nextServer++;
    const n = this.nextIp++;
    const dc = tx.location.includes('-') ? tx.location : `${tx.location}-DC${1 + (n % 8)}`;
    this.servers.set(number, {
      number,
      ip: `203.0.113.${n}`,
      ipv6: `2a01:4f8:10a:${n.toString(16)}::/64`,
      name: '',
      product: String(tx.productName.replace(/^Dedicated (GPU )?Server /, '')),
      dc,
      busyUntil: tx.deliverAt + this.ctx.config.installMs,
      createdAt: tx.deliverAt,
      cancellation: null,
      rescue: null,
      rescueLog: [],
      chainloaded: null,
    });
    tx.serverNumber = number;
  }

  /** Servers still in the account: a cancelled one leaves on its cancellation date. */
  live(): ServerRec[] {
    const now = this.now();
    for (const [n, s] of this.servers) if (s.cancellation && s.cancellation.effectiveAt <= now) this.servers.delete(n);
    return [...this.servers.values()];
  }

  server(n: number): ServerRec | undefined {
    return this.live().find((s) => s.number === n);
  }

  status(s: ServerRec): 'ready' | 'in process' {
    return this.now() < s.busyUntil ? 'in process' : 'ready';
  }

  /** The first day of the next month (UTC): Robot's earliest cancellation date is the end of the billing month. */
  earliestCancellation(): string {
    const d = new Date(this.now());
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    return end.toISOString().slice(0, 10);
  }

  newPassword(): string {
    return randomBytes(9).toString('base64').replace(/[+/=]/g, 'x');
  }

  /** Robot allows GET /server 200 times an hour: true when this call is over the limit. */
  overServerListLimit(): boolean {
    const now = this.now();
    this.serverListCalls = this.serverListCalls.filter((t) => t > now - 3600_000);
    if (this.serverListCalls.length >= 200) return true;
    this.serverListCalls.push(now);
    return false;
  }
}
