/** src/emulator/OPERATIONS.md is the one list of emulated operations: it must match what each emulator registers. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EmulatorContext } from '../../src/emulator/engine/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function documented(api: string): string[] {
  const text = readFileSync(resolve(ROOT, 'src/emulator/OPERATIONS.md'), 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith(`${api}\n`)) ?? '';
  return [...section.matchAll(/^- `([A-Z]+ \S+)`$/gm)].map((m) => m[1]!).sort();
}

async function registered(api: string): Promise<string[]> {
  const { createApi } = (await import(`../../src/emulator/${api}/index.js`)) as { createApi: (ctx: EmulatorContext) => { register(r: { on(m: string, p: string): void }): void } };
  const ctx = {
    clock: { now: () => 0, iso: (ms: number) => new Date(ms).toISOString() },
    faults: { capacity: () => false, quota: () => false },
    random: () => 0.5,
    config: { bootMs: 1, ipDelayMs: 1, actionMs: 1, orderMs: 1, installMs: 1 },
    schedule: () => undefined,
  } as unknown as EmulatorContext;
  const seen: string[] = [];
  createApi(ctx).register({ on: (m, p) => void seen.push(`${m} ${p}`) });
  return seen.sort();
}

for (const api of ['digitalocean', 'hetzner', 'proxmox']) {
  test(`${api}: the documented operations are exactly the registered routes`, async () => {
    assert.deepEqual(documented(api), await registered(api));
  });
}
