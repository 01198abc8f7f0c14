/**
 * The emulated OVH API with raw signed calls: the seed's cart flow step by step, every exchange
 * checked against order.json (native) and the /dedicated/server OpenAPI; a tampered signature, a
 * skewed clock and an unknown consumer key are refused as OVH refuses them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { EMULATOR_KEYS, MAX_SKEW_S } from '../../../src/emulator/ovh/index.js';
import { ovhRaw, ovhSpecCheck } from './raw.js';

const KEYS = { applicationKey: EMULATOR_KEYS.OVH_APPLICATION_KEY, applicationSecret: EMULATOR_KEYS.OVH_APPLICATION_SECRET, consumerKey: EMULATOR_KEYS.OVH_CONSUMER_KEY };

/** The emulated clock runs this much faster; OVH's skew window is real time, so it scales too. */
const SCALE = 1000;

async function emulator(t: { after(fn: () => unknown): void }) {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['ovh'], timeScale: SCALE, seed: 3, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  return { url: emu.urls.ovh!, exchanges, credentials: emu };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 5_000; i++) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} did not happen`);
}

test('ovh emulator: cart → assign → products → item → configure → checkout → delivery, every call per the specs', async (t) => {
  const { url, exchanges } = await emulator(t);
  const api = ovhRaw(url, KEYS);
  const ok = (r: { status: number; body: unknown }, what: string) => assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);

  const catalog = await fetch(`${url}/1.0/order/catalog/public/baremetalServers?ovhSubsidiary=FR`).then((r) => r.json() as Promise<any>);
  const rise = catalog.plans.find((p: any) => p.planCode === '24rise01');
  assert.ok(rise.pricings.some((p: any) => p.capacities.includes('installation')), 'setup fees are listed');
  assert.deepEqual([...new Set(rise.pricings.map((p: any) => p.commitment))], [0, 12, 24], 'commitment terms (0: month to month)');

  const cart = await api.call('POST', '/order/cart', { ovhSubsidiary: 'FR', description: 'ferry test' });
  ok(cart, 'create cart');
  const cartId = cart.body.cartId as string;
  ok(await api.call('POST', `/order/cart/${cartId}/assign`), 'assign');
  const products = await api.call('GET', `/order/cart/${cartId}/baremetalServers`);
  ok(products, 'products');
  const price = products.body.find((p: any) => p.planCode === '24rise01').prices.find((p: any) => p.duration === 'P1M');
  const item = await api.call('POST', `/order/cart/${cartId}/baremetalServers`, { planCode: '24rise01', duration: 'P1M', pricingMode: price.pricingMode, quantity: 1 });
  ok(item, 'add item');
  const itemId = item.body.itemId as number;
  const early = await api.call('POST', `/order/cart/${cartId}/checkout`, { autoPayWithPreferredPaymentMethod: true, waiveRetractationPeriod: true });
  assert.equal(early.status, 400, 'an unconfigured item cannot be checked out');
  assert.match(early.body.message, /dedicated_datacenter/);
  const bad = await api.call('POST', `/order/cart/${cartId}/item/${itemId}/configuration`, { label: 'dedicated_datacenter', value: 'mars' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /one of .*gra/);
  for (const [label, value] of [['dedicated_datacenter', 'gra'], ['dedicated_os', 'none_64.en'], ['region', 'europe']]) {
    ok(await api.call('POST', `/order/cart/${cartId}/item/${itemId}/configuration`, { label, value }), `configure ${label}`);
  }
  const order = await api.call('POST', `/order/cart/${cartId}/checkout`, { autoPayWithPreferredPaymentMethod: true, waiveRetractationPeriod: true });
  ok(order, 'checkout');
  const orderId = order.body.orderId as number;
  const again = await api.call('POST', `/order/cart/${cartId}/checkout`, { autoPayWithPreferredPaymentMethod: true });
  assert.equal(again.status, 403, `a cart is checked out once: ${JSON.stringify(again.body)}`);

  const seen: string[] = [];
  await until(async () => {
    const s = await api.call('GET', `/me/order/${orderId}/status`);
    if (!seen.includes(s.body)) seen.push(s.body);
    return s.body === 'delivered';
  }, 'the delivery');
  assert.deepEqual(seen.slice(-1), ['delivered']);
  const [detailId] = (await api.call('GET', `/me/order/${orderId}/details`)).body;
  const detail = await api.call('GET', `/me/order/${orderId}/details/${detailId}`);
  assert.equal(detail.body.cartItemID, itemId);
  const serviceName = detail.body.domain as string;
  assert.ok((await api.call('GET', '/dedicated/server')).body.includes(serviceName));
  const server = await api.call('GET', `/dedicated/server/${encodeURIComponent(serviceName)}`);
  ok(server, 'server');
  assert.equal(server.body.datacenter, 'gra3');

  const spec = ovhSpecCheck();
  if ('missing' in spec) {
    console.warn(`\n*** OVH SPEC CHECK SKIPPED: ${spec.missing} ***\n`);
    return;
  }
  const cartCalls = exchanges.filter((x) => x.path.startsWith('/1.0/order/cart'));
  assert.ok(cartCalls.length >= 10, `${cartCalls.length} cart calls`);
  const errors = exchanges.flatMap((x) => spec.check(x));
  assert.deepEqual(errors.slice(0, 20), [], `${errors.length} exchanges do not match the specs`);
  t.diagnostic(`unchecked (not in the given specs): ${[...new Set(spec.unchecked.map((u) => u.replace(/\d+/g, '{id}')))].join(', ')}`);
});

test('ovh emulator: a tampered signature, a skewed clock and an unknown consumer key are refused', async (t) => {
  const { url } = await emulator(t);
  const good = await ovhRaw(url, KEYS).call('GET', '/dedicated/server');
  assert.equal(good.status, 200);
  const tampered = await ovhRaw(url, KEYS, { tamper: true }).call('GET', '/dedicated/server');
  assert.equal(tampered.status, 400);
  assert.equal(tampered.body.errorCode, 'INVALID_SIGNATURE');
  assert.equal(tampered.body.message, 'Invalid signature');
  const skewed = await ovhRaw(url, KEYS, { skewS: (MAX_SKEW_S + 60) * SCALE }).call('GET', '/dedicated/server');
  assert.equal(skewed.status, 400);
  assert.equal(skewed.body.errorCode, 'QUERY_TIME_OUT');
  assert.equal((await ovhRaw(url, KEYS, { skewS: -(MAX_SKEW_S - 30) * SCALE }).call('GET', '/dedicated/server')).status, 200, 'a skew inside the window is accepted');
  const stranger = await ovhRaw(url, { ...KEYS, consumerKey: 'invalidConsumer000' }).call('GET', '/dedicated/server');
  assert.equal(stranger.status, 401);
  assert.equal(stranger.body.errorCode, 'INVALID_CREDENTIAL');
  const wrongApp = await ovhRaw(url, { ...KEYS, applicationKey: 'unknownApp' }).call('GET', '/dedicated/server');
  assert.equal(wrongApp.status, 403);
  assert.equal(wrongApp.body.errorCode, 'INVALID_KEY');
  const wrongSecret = await ovhRaw(url, { ...KEYS, applicationSecret: 'not-the-secret' }).call('POST', '/order/cart', { ovhSubsidiary: 'FR' });
  assert.equal(wrongSecret.status, 400, 'a signed call is checked even where the schema needs no authentication');
});
