import { emulatedApiNames, loadApi } from './apis.js';
import { createEmulatedSsh, parseFaultSpec, placementFaults, scaledClock, Scheduler, seededRandom, serveApi } from './engine/index.js';
import type { ApiFactory, EmulatorContext, Exchange, FaultSpec, LimitRule, RateLimitPolicy, ServedApi } from './engine/index.js';

export { parseFaultSpec, SSH_ENDPOINTS_PATH, FAIL_CLOUD_INIT_MARKER } from './engine/index.js';
export type { Exchange, FaultSpec } from './engine/index.js';

export interface EmulatorOptions {
  /** Which APIs to serve; default all. */
  providers?: string[];
  host?: string;
  /** First port; the i-th provider listens on basePort + i. 0 (default) picks free ports. */
  basePort?: number;
  /** Emulated seconds per real second: 1000 makes a 40 s boot take 40 ms. */
  timeScale?: number;
  faults?: FaultSpec | string;
  seed?: number;
  bootMs?: number;
  ipDelayMs?: number;
  actionMs?: number;
  /** Bare metal: emulated order-to-delivery and install times (default 30 and 15 minutes). */
  orderMs?: number;
  installMs?: number;
  /**
   * Per-provider rate-limit override: a whole policy, null for none, or new figures for the API's
   * first bucket (capacity, refillPerSecond) and its windows (a list of { limit, windowMs }, in order).
   */
  rateLimits?: Record<string, RateLimitOverride>;
  observe?: (x: Exchange) => void;
  /** APIs served besides the ones in src/emulator (a library user's own, or a test fixture's), by name. */
  apis?: Record<string, ApiFactory>;
}

export interface Emulator {
  urls: Record<string, string>;
  /** For APIs that check credentials: the values they accept, keyed by the driver's environment variables. */
  credentials: Record<string, Record<string, string>>;
  timeScale: number;
  /** Each booted emulated server's SSH endpoint: emulated IP → "127.0.0.1:<port>". */
  sshEndpoints(): Promise<Record<string, string>>;
  /** Requests each API answered. */
  requestCounts(): Record<string, number>;
  close(): Promise<void>;
}

export type RateLimitOverride =
  | RateLimitPolicy
  | null
  | { capacity?: number; refillPerSecond?: number; windows?: { limit?: number; windowMs?: number }[] };

function rateLimitOverride(own: RateLimitPolicy | undefined, o: RateLimitOverride | undefined): RateLimitPolicy | null | undefined {
  if (o === undefined || o === null || 'headers' in o) return o;
  if (!own) return own;
  let w = 0;
  const limits = own.limits.map((rule, i): LimitRule => {
    if (rule.kind === 'bucket') return i === 0 ? { ...rule, capacity: o.capacity ?? rule.capacity, refillPerSecond: o.refillPerSecond ?? rule.refillPerSecond } : rule;
    return { ...rule, ...o.windows?.[w++] };
  });
  return { ...own, limits };
}

export function emulatedProviders(): string[] {
  return emulatedApiNames();
}

/** Starts one loopback server per provider API, sharing one clock, seed and fault plan. */
export async function startEmulator(o: EmulatorOptions = {}): Promise<Emulator> {
  const names = o.providers ?? [...emulatedProviders(), ...Object.keys(o.apis ?? {})];
  const unknown = names.filter((n) => !emulatedApiNames().includes(n) && !o.apis?.[n]);
  if (unknown.length) throw new Error(`no emulator for ${unknown.join(', ')}; emulated: ${emulatedProviders().join(', ')}`);
  const faults = typeof o.faults === 'string' ? parseFaultSpec(o.faults) : (o.faults ?? {});
  const clock = scaledClock(o.timeScale ?? 1);
  const random = seededRandom(o.seed ?? 1);
  const served: ServedApi[] = [];
  const credentials: Record<string, Record<string, string>> = {};
  const bootMs = o.bootMs ?? 40_000;
  const ssh = createEmulatedSsh(clock, { bootMs }, o.host && o.host !== '0.0.0.0' && o.host !== '::' ? o.host : '127.0.0.1');
  try {
    for (const [i, name] of names.entries()) {
      const scheduler = new Scheduler(clock);
      const ctx: EmulatorContext & { runDue: () => void } = {
        clock,
        faults: placementFaults(faults, name),
        random,
        config: {
          bootMs,
          ipDelayMs: o.ipDelayMs ?? 20_000,
          actionMs: o.actionMs ?? 10_000,
          orderMs: o.orderMs ?? 30 * 60_000,
          installMs: o.installMs ?? 15 * 60_000,
        },
        schedule: (at, effect) => scheduler.at(at, effect),
        runDue: () => scheduler.runDue(),
        ssh,
      };
      const api = (o.apis?.[name] ?? (await loadApi(name)))(ctx);
      if (api.credentials) credentials[name] = api.credentials;
      const rateLimit = rateLimitOverride(api.rateLimit, o.rateLimits?.[name]);
      served.push(
        await serveApi(api, ctx, {
          host: o.host ?? '127.0.0.1',
          port: o.basePort ? o.basePort + i : 0,
          faults,
          rateLimit,
          observe: o.observe,
        }),
      );
    }
  } catch (err) {
    await Promise.all([...served.map((s) => s.close()), ssh.close()]);
    throw err;
  }
  return {
    urls: Object.fromEntries(served.map((s) => [s.name, s.url])),
    credentials,
    timeScale: clock.scale,
    sshEndpoints: () => ssh.endpoints(),
    requestCounts: () => Object.fromEntries(served.map((s) => [s.name, s.requestCount()])),
    close: async () => {
      await Promise.all([...served.map((s) => s.close()), ssh.close()]);
    },
  };
}
