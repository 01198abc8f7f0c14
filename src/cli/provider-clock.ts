/**
 * One clock for ages and costs. A server's creation time is on its provider's clock; a real
 * provider's clock is ours (within seconds), a time-scaled emulator's runs ahead and its Date header
 * says where it is. The last Date seen, with our time then, extrapolates the emulator's now at its
 * scale. With FERRY_TIME_SCALE set, ferry's records (inventory, history) and reports (costs,
 * inventory, ls) use that clock too; the last reading is kept in the state directory, so a report
 * that talks to no provider (costs) still knows where the emulator's clock is.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fetch } from '../core/index.js';
import { defaultFetch } from '../transport/node-fetch.js';
import { stateDir } from '../ssh/known-hosts.js';
import type { Context } from './context.js';

interface Reading {
  serverMs: number;
  localMs: number;
  scale: number;
}

const byProvider = new WeakMap<Context, Map<string, Reading>>();
const latest = new WeakMap<Context, Reading>();

/** A fetch that notes the provider's Date header (only used against a time-scaled emulator). */
export function clockedFetch(ctx: Context, provider: string, scale: number, inner: Fetch = defaultFetch): Fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const date = Date.parse(res.headers.get('date') ?? '');
    if (Number.isFinite(date)) {
      let map = byProvider.get(ctx);
      if (!map) byProvider.set(ctx, (map = new Map()));
      const reading = { serverMs: date, localMs: Date.now(), scale };
      map.set(provider, reading);
      latest.set(ctx, reading);
    }
    return res;
  };
}

function extrapolate(r: Reading): Date {
  return new Date(r.serverMs + (Date.now() - r.localMs) * r.scale);
}

/** The provider's now: extrapolated from its last Date header when one was seen, else the records' clock. */
export function providerNow(ctx: Context, provider: string): Date {
  const r = byProvider.get(ctx)?.get(provider);
  return r ? extrapolate(r) : recordsNow(ctx);
}

function scaled(ctx: Context): boolean {
  const n = Number(ctx.env.FERRY_TIME_SCALE);
  return Number.isFinite(n) && n > 1;
}

function clockFile(ctx: Context): string {
  return join(stateDir(ctx.env), 'emulator-clock.json');
}

const saved = new WeakMap<Context, Reading | null>();

/** The reading an earlier command kept, read once per command. */
function savedReading(ctx: Context): Reading | undefined {
  if (!saved.has(ctx)) {
    let found: Reading | null = null;
    try {
      const r = JSON.parse(readFileSync(clockFile(ctx), 'utf8')) as Partial<Reading>;
      if ([r.serverMs, r.localMs, r.scale].every((n) => typeof n === 'number' && Number.isFinite(n))) found = r as Reading;
    } catch {
      // No reading yet (or an unreadable one): the records fall back to our clock.
    }
    saved.set(ctx, found);
  }
  return saved.get(ctx) ?? undefined;
}

/**
 * The clock of ferry's records and reports: with FERRY_TIME_SCALE, the emulator's (the last one heard
 * from, in this command or an earlier one); otherwise ours.
 */
export function recordsNow(ctx: Context): Date {
  if (!scaled(ctx)) return ctx.now();
  const r = latest.get(ctx) ?? savedReading(ctx);
  return r ? extrapolate(r) : ctx.now();
}

/** Keeps this command's last reading for the next one (written whole, then renamed into place). */
export function saveReading(ctx: Context): void {
  const r = latest.get(ctx);
  if (!r || !scaled(ctx)) return;
  const file = clockFile(ctx);
  try {
    mkdirSync(stateDir(ctx.env), { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(r)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch {
    // A read-only state directory costs only the next report's clock, never the command.
  }
}
