/**
 * Proxmox answers the driver must read as PVE sends them: a VM removed between the status read
 * and the stop, an agent reported by status/current only, tags that are not ferry's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tagsToLabels } from '../../../src/providers/proxmox/labels.js';
import { harness, KEY, UBUNTU } from './harness.js';

/** The real fetch, with some exchanges rewritten the way a real cluster answered them. */
function rewriting(rewrite: (method: string, path: string, res: Response) => Promise<Response | null>): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    const url = new URL(String(input));
    return (await rewrite(init?.method ?? 'GET', url.pathname, res)) ?? res;
  }) as typeof fetch;
}

test('destroy: "does not exist" from the stop call means already gone', async (t) => {
  let stops = 0;
  const h = await harness(t, {
    fetch: rewriting(async (method, path) => {
      if (method !== 'POST' || !/\/status\/stop$/.test(path)) return null;
      stops += 1;
      const vmid = /qemu\/(\d+)\//.exec(path)![1];
      // PVE's answer when another client removed the VM first: text in the reason phrase, data null.
      return new Response(JSON.stringify({ data: null }), { status: 500, statusText: `Configuration file 'nodes/pve1/qemu-server/${vmid}.conf' does not exist`, headers: { 'content-type': 'application/json' } });
    }),
  });
  if (!h) return;
  try {
    const inst = await h.provider.createInstance({ name: 'gone-1', region: 'pve1', size: '2c-4g', image: UBUNTU, sshKeys: [KEY] });
    await h.provider.waitReady(inst.id);
    await h.provider.destroyInstance(inst.id);
    assert.equal(stops, 1);
  } finally {
    await h.close();
  }
});

test('guest agent addresses are read when status/current reports agent: 1, even if the config read lacks it', async (t) => {
  const h = await harness(t, {
    fetch: rewriting(async (method, path, res) => {
      if (method !== 'GET' || !/\/qemu\/\d+\/config$/.test(path) || !res.ok) return null;
      const body = (await res.json()) as { data: Record<string, unknown> };
      delete body.data.agent;
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    }),
  });
  if (!h) return;
  try {
    const inst = await h.provider.createInstance({ name: 'agent-1', region: 'pve1', size: '2c-4g', image: UBUNTU, sshKeys: [KEY] });
    const ready = await h.provider.waitReady(inst.id);
    assert.match(ready.ipv4 ?? '', /^10\.10\.\d+\.\d+$/, 'the address comes from the guest agent');
    assert.ok(h.exchanges.some((x) => x.path.endsWith('/agent/network-get-interfaces') && x.status === 200));
    await h.provider.destroyInstance(inst.id);
  } finally {
    await h.close();
  }
});

test('tags that are not ferry\'s key+value form are not read as labels', () => {
  assert.deepEqual(tagsToLabels('prod;c++;+x;a+b+c;web;managed-by+ferry'), { 'managed-by': 'ferry' });
  assert.deepEqual(tagsToLabels('ferry-create-id+0f1e2d3c,env+prod home'), { 'ferry-create-id': '0f1e2d3c', env: 'prod' });
});
