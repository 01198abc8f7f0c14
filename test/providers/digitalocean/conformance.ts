import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { loadOpenApi } from '../../support/openapi.js';
import { DO_SPEC, TOKEN, type Harness } from './harness.js';

/** Ends a test: every request and response it caused must match the spec (skipped loudly without it). */
export function assertConformant(t: TestContext, h: Harness): void {
  const spec = loadOpenApi(DO_SPEC);
  if ('missing' in spec) {
    t.skip(spec.missing);
    return;
  }
  assert.ok(h.exchanges.length > 0, 'the test made no requests');
  assert.deepEqual(h.nonConforming(), []);
}

/** A droplet made behind ferry's back (no ferry tags), straight through the API. */
export async function createForeignDroplet(h: Harness, name: string): Promise<number> {
  const res = await fetch(`${h.emu.urls.digitalocean}/v2/droplets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, region: 'fra1', size: 's-1vcpu-1gb', image: 'debian-12-x64', tags: ['web'] }),
  });
  assert.equal(res.status, 202);
  return ((await res.json()) as { droplet: { id: number } }).droplet.id;
}

export function requests(h: Harness, method: string, path: string | RegExp): { query: string; body: any }[] {
  return h.exchanges
    .filter((x) => x.method === method && (typeof path === 'string' ? x.path === path : path.test(x.path)))
    .map((x) => ({ query: x.query, body: x.requestBody }));
}
