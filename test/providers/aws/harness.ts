/** An emulated AWS and the driver pointed at it, with every exchange recorded and checked against the botocore model. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startEmulator, type Emulator, type Exchange, type FaultSpec } from '../../../src/emulator/index.js';
import type { AwsProvider } from '../../../src/providers/aws/index.js';
import { withDefaults } from '../../../src/providers/registry.js';
import { loadBotocore, queryFieldsOf } from '../../support/spec-botocore.js';
import { ACCESS_KEY, REGION, SECRET } from './contract-target.js';

export const TIME_SCALE = 1000;

export interface AwsHarness {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  provider: AwsProvider;
  make(o?: { secret?: string; options?: Record<string, string>; maxRetries?: number; backoffMs?: (n: number) => number; timeScale?: number }): Promise<AwsProvider>;
  /** The Actions sent so far, in order. */
  actions(): string[];
  conformant(): void;
}

export async function awsHarness(t: TestContext, o: { faults?: FaultSpec; timeScale?: number; seed?: number } = {}): Promise<AwsHarness> {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['aws'], timeScale: o.timeScale ?? TIME_SCALE, seed: o.seed ?? 7, observe: (x) => exchanges.push(x), ...(o.faults ? { faults: o.faults } : {}) });
  t.after(() => emu.close());
  const url = emu.urls.aws!;
  const make: AwsHarness['make'] = async (m = {}) =>
    (await withDefaults().create(
      'aws',
      {
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: m.secret ?? SECRET, region: REGION },
        endpoint: url,
        timeouts: { pollIntervalMs: 2, instanceReadyMs: 60_000, actionCompleteMs: 60_000, httpRequestMs: 10_000 },
        http: { timeScale: m.timeScale ?? o.timeScale ?? TIME_SCALE, backoffMs: m.backoffMs ?? (() => 0), budgets: new Map(), ...(m.maxRetries === undefined ? {} : { maxRetries: m.maxRetries }) },
        ...(m.options ? { options: m.options } : {}),
      },
      {},
    )) as AwsProvider;
  return {
    emu,
    url,
    exchanges,
    provider: await make(),
    make,
    actions: () => exchanges.map((x) => queryFieldsOf(x)?.Action ?? `(${x.method} ${x.path})`),
    conformant() {
      const spec = loadBotocore();
      if ('missing' in spec) {
        console.warn(`\n*** AWS conformance not checked: ${spec.missing} ***\n`);
        return;
      }
      const errors = exchanges.flatMap((x) => spec.checkExchange(x));
      assert.deepEqual(errors.slice(0, 20), [], `${errors.length} exchanges do not match the botocore model`);
    },
  };
}
