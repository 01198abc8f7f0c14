/** The official @vultr/vultr-node SDK, unchanged, against the emulator: create, wait, list, delete. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { assertConformant, KEY, startVultr } from './support.js';

const require = createRequire(import.meta.url);

interface SdkResult {
  instance?: { id: string; status: string; server_status: string; power_status: string; main_ip: string; tags: string[] };
  instances?: { id: string }[];
  meta?: { total: number };
}

test('@vultr/vultr-node creates an instance, waits for it, lists it and deletes it against the emulator', async (t) => {
  const h = await startVultr(t);
  const VultrNode = require('@vultr/vultr-node') as { initialize(c: { apiKey: string; baseUrl: string }): any };
  const vultr = VultrNode.initialize({ apiKey: KEY, baseUrl: `${h.url}/v2` });

  // The SDK declares os_id a string and sends it so; the emulator accepts it as the live API does.
  const created: SdkResult = await vultr.instances.createInstance({ region: 'ewr', plan: 'vc2-1c-1gb', os_id: '2284', label: 'sdk-1', tags: ['sdk'] });
  assert.ok(created.instance, `create answered ${String(created)}`);
  const id = created.instance.id;
  assert.equal(created.instance.status, 'pending');

  let ready: SdkResult['instance'];
  for (let i = 0; i < 2_000 && !ready; i++) {
    const got: SdkResult = await vultr.instances.getInstance({ 'instance-id': id });
    if (got.instance?.status === 'active' && got.instance.server_status === 'ok') ready = got.instance;
    else await new Promise((ok) => setTimeout(ok, 2));
  }
  assert.ok(ready, 'the instance became active');
  assert.equal(ready.power_status, 'running');
  assert.match(ready.main_ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.notEqual(ready.main_ip, '0.0.0.0');

  const listed: SdkResult = await vultr.instances.listInstances({ tag: 'sdk' });
  assert.deepEqual(listed.instances?.map((i) => i.id), [id]);
  assert.equal(listed.meta?.total, 1);

  const deleted = await vultr.instances.deleteInstance({ 'instance-id': id });
  assert.equal(deleted, undefined, 'a 204 answers nothing');
  const gone = await vultr.instances.getInstance({ 'instance-id': id });
  assert.ok(gone instanceof Error && /Not Found/.test(gone.message), `after delete: ${String(gone)}`);
  // Every response matches the spec; of the requests, only the SDK's string os_id differs from it.
  const sdkQuirk = /^request POST \/v2\/instances → 202: \/os_id must be integer/;
  assert.deepEqual(h.violations.filter((v) => !sdkQuirk.test(v)), []);
  if (h.specPresent) assert.equal(h.violations.length, 1, 'the string os_id is the one difference');
});

test('@vultr/vultr-node reads plans, regions and bare-metal plans from the emulator without an API key', async (t) => {
  const h = await startVultr(t);
  const vultr = (require('@vultr/vultr-node') as { initialize(c: { baseUrl: string }): any }).initialize({ baseUrl: `${h.url}/v2` });
  const regions = await vultr.regions.listRegions();
  assert.ok(regions.regions.some((r: { id: string }) => r.id === 'ewr'));
  const plans = await vultr.plans.listPlans({ type: 'vcg' });
  assert.ok(plans.plans.length > 0 && plans.plans.every((p: { gpu_type?: string }) => p.gpu_type));
  const metal = await vultr.plans.listBareMetalPlans();
  assert.ok(metal.plans_metal.some((p: { id: string }) => p.id === 'vbm-4c-32gb'));
  assertConformant(h);
});
