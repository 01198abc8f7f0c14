/**
 * A DigitalOcean driver wired to a fresh emulator, with every exchange recorded so a test can
 * check each driver request and emulator response against DigitalOcean's OpenAPI description.
 */
import type { TestContext } from 'node:test';
import { startEmulator, type Emulator, type Exchange, type FaultSpec } from '../../../src/emulator/index.js';
import { createProvider, type DigitalOceanProvider } from '../../../src/providers/digitalocean/index.js';
import { loadOpenApi, type OpenApiValidator } from '../../support/openapi.js';

export const DO_SPEC = 'digitalocean/DigitalOcean-public.v2.bundled.yaml';
export const TOKEN = 'dop_v1_0123456789abcdef0123456789abcdef';

export interface Harness {
  emu: Emulator;
  provider: DigitalOceanProvider;
  exchanges: Exchange[];
  /** Same emulator, another token (e.g. one the emulator rejects). */
  withToken(token: string): DigitalOceanProvider;
  /** Every recorded exchange against the spec; [] when all conform. */
  nonConforming(): string[];
}

export interface HarnessOptions {
  faults?: FaultSpec;
  pageSize?: number;
  /** More driver options (e.g. vpcRegion). */
  options?: Record<string, string>;
}

export async function startHarness(t: TestContext, o: HarnessOptions = {}): Promise<Harness> {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({
    providers: ['digitalocean'],
    timeScale: 1000,
    seed: 7,
    faults: o.faults ?? {},
    observe: (x) => exchanges.push(x),
  });
  t.after(() => emu.close());
  const make = (token: string) =>
    createProvider({
      credentials: { token },
      endpoint: emu.urls.digitalocean,
      timeouts: { pollIntervalMs: 2, instanceReadyMs: 20_000, actionCompleteMs: 20_000, httpRequestMs: 5_000 },
      http: { backoffMs: () => 0, budgets: new Map(), timeScale: emu.timeScale },
      options: { ...(o.pageSize ? { pageSize: String(o.pageSize) } : {}), ...o.options },
    });
  return {
    emu,
    provider: make(TOKEN),
    exchanges,
    withToken: make,
    nonConforming: () => {
      const spec = loadOpenApi(DO_SPEC);
      if ('missing' in spec) return [];
      return exchanges.flatMap((x) => conformance(spec, x));
    },
  };
}

function conformance(spec: OpenApiValidator, x: Exchange): string[] {
  const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
  const errs = [
    ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)).map((e) => `request ${where}: ${e}`),
    ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`),
  ];
  return errs;
}

/** Skips loudly when the spec is absent on this machine; returns whether checks can run. */
export function specOrSkip(t: TestContext): boolean {
  const spec = loadOpenApi(DO_SPEC);
  if ('missing' in spec) {
    t.skip(spec.missing);
    return false;
  }
  return true;
}
