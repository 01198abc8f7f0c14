/**
 * The emulated Hivelocity API on its own, spoken to as raw HTTP: auth and error format, the
 * order's stages on the emulated clock, reload rules, power, cancellation, the store. Every
 * exchange is checked against Hivelocity's Swagger document.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { harness } from './harness.js';

const ORDER = { productId: 525, locationName: 'TPA1', osName: 'Debian 12', hostname: 'raw-1.example.com', tags: ['role=db'] };

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 5_000; i++) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} never happened`);
}

test('hivelocity emulator: X-API-KEY is required; errors are {code, message, description}, unknown routes too', async (t) => {
  const h = await harness(t);
  const bare = await fetch(`${h.url}/api/v2/bare-metal-devices/`);
  assert.equal(bare.status, 401);
  assert.deepEqual(await bare.json(), { code: 401, message: 'Unauthorized', description: 'Invalid or missing API key (X-API-KEY)' });
  const bearer = await fetch(`${h.url}/api/v2/bare-metal-devices/`, { headers: { authorization: 'Bearer hv-test-key-0b7e41' } });
  assert.equal(bearer.status, 401, 'a bearer token is not how Hivelocity authenticates');
  const nowhere = await h.raw.call('GET', '/api/v2/no-such-thing');
  assert.equal(nowhere.status, 404);
  assert.deepEqual(Object.keys(nowhere.body).sort(), ['code', 'description', 'message']);
  const bad = await h.raw.call('POST', '/api/v2/bare-metal-devices/', { ...ORDER, hostname: 'no-domain' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.description, /fully qualified/);
  const missing = await h.raw.call('GET', '/api/v2/bare-metal-devices/4242');
  assert.deepEqual(missing, { status: 404, body: { code: 404, message: 'Not Found', description: 'Device Not Found' } });
  h.assertConformant((x) => x.path !== '/api/v2/no-such-thing'); // a route the API does not have is not in its spec
});

test('hivelocity emulator: an order walks verification → provisioning → complete; the device RESERVED → … → IN_USE with an address', async (t) => {
  // A slower clock, so the short stages are seen on a loaded machine; the order is checked, not the timing.
  const h = await harness(t, { timeScale: 200 });
  const r = await h.raw.call('POST', '/api/v2/bare-metal-devices/', ORDER);
  assert.equal(r.status, 200);
  assert.equal(r.body.period, 'hourly', 'the API default period');
  assert.equal(r.body.primaryIp, undefined, 'no address before the hardware is assigned');
  const id = r.body.deviceId as number;
  const orders: string[] = [];
  const stages: string[] = [];
  await until(async () => {
    const o = (await h.raw.call('GET', `/api/v2/order/${r.body.orderId}`)).body.status as string;
    const d = (await h.raw.call('GET', `/api/v2/device/${id}`)).body.spsStatus as string;
    if (orders.at(-1) !== o) orders.push(o);
    if (stages.at(-1) !== d) stages.push(d);
    return d === 'IN_USE';
  }, 'IN_USE');
  const inOrder = (seen: string[], walk: string[]) => seen.every((s, i) => i === 0 || walk.indexOf(s) > walk.indexOf(seen[i - 1]!));
  assert.ok(inOrder(orders, ['verification', 'provisioning', 'complete']) && orders.at(-1) === 'complete' && orders.length >= 2, orders.join(' → '));
  assert.ok(inOrder(stages, ['RESERVED', 'PROVISION_STARTED', 'PROVISION_WAIT_FOR_ADDONS', 'IN_USE']) && stages.length >= 3, stages.join(' → '));
  assert.equal(stages[0], 'RESERVED');
  const dev = await h.raw.call('GET', `/api/v2/bare-metal-devices/${id}`);
  assert.equal(dev.body.powerStatus, 'ON');
  assert.match(dev.body.primaryIp, /^66\.165\./);
  assert.deepEqual(dev.body.tags, ['role=db']);
  h.assertConformant();
});

test('hivelocity emulator: a reload of a powered-on device is refused unless skipPowerCheck; power and tags work', async (t) => {
  const h = await harness(t, { timeScale: 250 }); // the reload is read right after it starts: a slower clock keeps it visible
  const id = (await h.raw.call('POST', '/api/v2/bare-metal-devices/', ORDER)).body.deviceId as number;
  assert.equal((await h.raw.call('POST', `/api/v2/device/${id}/power?action=shutdown`)).status, 400, 'no power actions during provisioning');
  await until(async () => (await h.raw.call('GET', `/api/v2/device/${id}`)).body.spsStatus === 'IN_USE', 'IN_USE');
  const reload = { hostname: 'raw-1.example.com', osName: 'Custom iPXE', customIPXEScriptURL: 'http://boot.example/x.ipxe' };
  const refused = await h.raw.call('PUT', `/api/v2/bare-metal-devices/${id}`, reload);
  assert.equal(refused.status, 400);
  assert.match(refused.body.description, /power off device/);
  const noScript = await h.raw.call('PUT', `/api/v2/bare-metal-devices/${id}?skipPowerCheck=true`, { hostname: 'raw-1.example.com', osName: 'Custom iPXE' });
  assert.match(noScript.body.description, /customIPXEScriptURL/, 'custom iPXE needs a script');
  const forced = await h.raw.call('PUT', `/api/v2/bare-metal-devices/${id}?skipPowerCheck=true`, reload);
  assert.equal(forced.status, 200);
  assert.equal((await h.raw.call('GET', `/api/v2/device/${id}`)).body.isReload, true);
  await until(async () => (await h.raw.call('GET', `/api/v2/device/${id}`)).body.spsStatus === 'IN_USE', 'reload done');
  assert.equal((await h.raw.call('POST', `/api/v2/device/${id}/power?action=shutdown`)).status, 202);
  await until(async () => (await h.raw.call('GET', `/api/v2/device/${id}/power`)).body.powerStatus === 'OFF', 'OFF');
  assert.equal((await h.raw.call('POST', `/api/v2/device/${id}/power?action=explode`)).status, 400);
  assert.deepEqual((await h.raw.call('PUT', `/api/v2/device/${id}/tags`, { tags: ['a=b'] })).body, { tags: ['a=b'] });
  assert.deepEqual((await h.raw.call('GET', `/api/v2/device/${id}/tags`)).body, { tags: ['a=b'] });
  // The spec declares only 202 and 403 for power, but a refused power action has to be answered somehow:
  // 400, as Flask-RESTX answers any bad argument. The driver never causes one (it checks the stage first).
  h.assertConformant((x) => !(x.path.endsWith('/power') && x.status === 400));
});

test('hivelocity emulator: cancelling a monthly device starts a cancellation (201, then 409); an hourly one is deleted (204, then 404)', async (t) => {
  const h = await harness(t);
  const monthly = (await h.raw.call('POST', '/api/v2/bare-metal-devices/', { ...ORDER, period: 'monthly' })).body.deviceId;
  const hourly = (await h.raw.call('POST', '/api/v2/bare-metal-devices/', { ...ORDER, hostname: 'raw-2.example.com' })).body.deviceId;
  assert.equal((await h.raw.call('DELETE', `/api/v2/bare-metal-devices/${monthly}`)).status, 201);
  assert.equal((await h.raw.call('DELETE', `/api/v2/bare-metal-devices/${monthly}`)).status, 409);
  assert.equal((await h.raw.call('GET', `/api/v2/bare-metal-devices/${monthly}`)).status, 200, 'billed until its period ends');
  assert.equal((await h.raw.call('DELETE', `/api/v2/bare-metal-devices/${hourly}`)).status, 204);
  assert.equal((await h.raw.call('DELETE', `/api/v2/bare-metal-devices/${hourly}`)).status, 404);
  h.assertConformant();
});

test('hivelocity emulator: the store lists instant servers under MAIN and the RTX 4090 under GPU, per facility, with stock', async (t) => {
  const h = await harness(t);
  const main = (await h.raw.call('GET', '/api/v2/inventory/product?location=MAIN&group_by=facility')).body;
  assert.deepEqual(Object.keys(main).sort(), ['ATL2', 'LAX2', 'MIA1', 'NYC1', 'TPA1']);
  assert.ok(main.TPA1.every((s: { product_gpu: string }) => s.product_gpu === ''));
  const gpu = (await h.raw.call('GET', '/api/v2/inventory/product?location=GPU')).body;
  assert.match(gpu.LAX2[0].product_gpu, /RTX 4090/);
  assert.deepEqual(Object.fromEntries(Object.entries(gpu).map(([f, rows]) => [f, (rows as { stock: string }[])[0]!.stock])), {
    TPA1: 'limited', ATL2: 'limited', LAX2: 'available', NYC1: 'unavailable', MIA1: 'unavailable',
  });
  const out = await h.raw.call('POST', '/api/v2/bare-metal-devices/', { ...ORDER, productId: 640, locationName: 'NYC1' });
  assert.equal(out.status, 400);
  assert.match(out.body.description, /out of stock/);
  assert.ok((await h.raw.call('GET', '/api/v2/product/640/operating-systems')).body.some((o: { name: string }) => o.name === 'Custom iPXE'));
  assert.equal((await h.raw.call('GET', '/api/v2/inventory/locations')).body.length, 5);
  h.assertConformant();
});

test('hivelocity emulator: POST /device/{id}/reload reloads by OS option id, custom iPXE with its URL, once powered off', async (t) => {
  const h = await harness(t, { timeScale: 250 }); // the reload is read right after it starts: a slower clock keeps it visible
  const id = (await h.raw.call('POST', '/api/v2/bare-metal-devices/', ORDER)).body.deviceId as number;
  await until(async () => (await h.raw.call('GET', `/api/v2/device/${id}`)).body.spsStatus === 'IN_USE', 'IN_USE');
  const os = (await h.raw.call('GET', '/api/v2/product/525/operating-systems')).body as { id: number; name: string }[];
  const ipxe = os.find((o) => o.name === 'Custom iPXE')!.id;
  const url = 'https://boot.example.com/alt.ipxe';
  assert.match((await h.raw.call('POST', `/api/v2/device/${id}/reload`, { operatingSystemId: ipxe, customIPXEScriptUrl: url })).body.description, /power off device/);
  await h.raw.call('POST', `/api/v2/device/${id}/power?action=shutdown`);
  await until(async () => (await h.raw.call('GET', `/api/v2/device/${id}/power`)).body.powerStatus === 'OFF', 'OFF');
  assert.equal((await h.raw.call('POST', `/api/v2/device/${id}/reload`, { operatingSystemId: ipxe, customIPXEScriptUrl: url })).status, 202);
  assert.equal((await h.raw.call('GET', `/api/v2/device/${id}`)).body.spsStatus, 'RELOADING');
  const dev = (await h.raw.call('GET', `/api/v2/bare-metal-devices/${id}`)).body;
  assert.deepEqual([dev.osName, dev.customIPXEScriptURL], ['Custom iPXE', url]);
  h.assertConformant((x) => !(x.path.endsWith('/power') && x.status === 400));
});
