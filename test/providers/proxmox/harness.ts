import type { TestContext } from 'node:test';
import { startEmulator, type Exchange, type FaultSpec } from '../../../src/emulator/index.js';
import { ProxmoxProvider } from '../../../src/providers/proxmox/index.js';
import { loadPveSchema, validateExchange } from '../../support/pve-schema.js';

export interface Harness {
  provider: ProxmoxProvider;
  url: string;
  exchanges: Exchange[];
  /** Every request and response so far, checked against the official apidoc schema. */
  schemaErrors(): string[];
  close(): Promise<void>;
}

/**
 * The emulated PVE cluster plus a driver pointed at it: emulated time runs 10,000x
 * (a 40 s boot takes 4 ms), polls every 2 ms, backoff is zero. Skips loudly when the
 * official schema is absent, since validating traffic is half of what these tests check.
 */
export async function harness(
  t: TestContext,
  o: { bootMs?: number; faults?: FaultSpec; tokenSecret?: string; options?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<Harness | null> {
  const loaded = loadPveSchema();
  if (!loaded.ok) {
    t.skip(loaded.message);
    return null;
  }
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['proxmox'], timeScale: 10_000, seed: 7, faults: o.faults ?? {}, ...(o.bootMs ? { bootMs: o.bootMs } : {}), observe: (x) => exchanges.push(x) });
  const url = emu.urls.proxmox!;
  const provider = new ProxmoxProvider({
    credentials: { tokenId: 'root@pam!ferry', tokenSecret: o.tokenSecret ?? 'c0ffee00-1111-2222-3333-444455556666', node: 'pve1' },
    endpoint: url,
    timeouts: { pollIntervalMs: 2, instanceReadyMs: 20_000, actionCompleteMs: 20_000, httpRequestMs: 5_000 },
    http: { backoffMs: () => 0, budgets: new Map(), timeScale: 10_000, ...(o.fetch ? { fetch: o.fetch } : {}) },
    options: o.options,
  });
  return {
    provider,
    url,
    exchanges,
    schemaErrors: () => exchanges.flatMap((x) => validateExchange(loaded.schema, x)),
    close: () => emu.close(),
  };
}

export const UBUNTU = { kind: 'ubuntu', version: '24.04' } as const;
export const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMx me@host';
