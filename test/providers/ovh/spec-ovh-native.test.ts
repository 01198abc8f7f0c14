/** The OVH native-schema validator itself: it accepts what the schema allows and refuses the rest. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOvhNative } from '../../support/spec-ovh-native.js';

const ORDER = 'ovh/ovh-eu-1.0-order.json';

test('ovh native schema: cart calls typed from order.json; known-bad bodies are refused', (t) => {
  const v = loadOvhNative(ORDER);
  if ('missing' in v) {
    console.warn(`\n*** OVH NATIVE SPEC SELF-TEST SKIPPED: ${v.missing} ***\n`);
    t.skip(v.missing);
    return;
  }
  assert.ok(v.hasOperation('POST', '/1.0/order/cart'));
  assert.ok(v.hasOperation('POST', '/order/cart/abc/baremetalServers'));
  assert.ok(!v.hasOperation('PATCH', '/order/cart/abc'));
  // A good cart creation, then the bad ones: missing required, enum out of range, unknown field, wrong type.
  assert.deepEqual(v.validateRequest('POST', '/order/cart', '', { ovhSubsidiary: 'FR', description: 'x' }), []);
  assert.match(v.validateRequest('POST', '/order/cart', '', { description: 'x' }).join(), /ovhSubsidiary: required/);
  assert.match(v.validateRequest('POST', '/order/cart', '', { ovhSubsidiary: 'XX' }).join(), /not one of nichandle\.OvhSubsidiaryEnum/);
  assert.match(v.validateRequest('POST', '/order/cart', '', { ovhSubsidiary: 'FR', colour: 'red' }).join(), /colour: not a field/);
  const item = { planCode: '24rise01', duration: 'P1M', pricingMode: 'default', quantity: 1 };
  assert.deepEqual(v.validateRequest('POST', '/order/cart/c1/baremetalServers', '', item), []);
  assert.match(v.validateRequest('POST', '/order/cart/c1/baremetalServers', '', { ...item, quantity: '1' }).join(), /quantity: expected long/);
  assert.match(v.validateRequest('POST', '/order/cart/c1/baremetalServers', '', { ...item, quantity: 1.5 }).join(), /quantity: expected long/);
  assert.match(v.validateRequest('GET', '/order/catalog/public/baremetalServers', '', undefined).join(), /ovhSubsidiary: required/);
  assert.match(v.validateRequest('GET', '/order/catalog/public/baremetalServers', '?ovhSubsidiary=ZZ', undefined).join(), /not one of/);
  // Responses: datetime, long[], boolean; price; T[] of models; void.
  assert.deepEqual(v.validateResponse('GET', '/order/cart/c1', 200, { cartId: 'c1', description: '', expire: '2026-12-02T10:00:00+01:00', items: [1, 2], readOnly: false }), []);
  assert.match(v.validateResponse('GET', '/order/cart/c1', 200, { cartId: 'c1', expire: 'tomorrow', items: [1], readOnly: false }).join(), /expected datetime/);
  assert.match(v.validateResponse('GET', '/order/cart/c1', 200, { cartId: 'c1', items: ['1'], readOnly: 'no' }).join(), /items\[0\]: expected long.*readOnly: expected boolean/);
  assert.match(v.validateResponse('GET', '/order/cart/c1', 200, { cartId: null }).join(), /cannot be null/);
  assert.match(v.checkType('price', { value: '1', text: 'x' }).join(), /value: expected a number/);
  assert.deepEqual(v.checkType('order.cart.GenericProductDefinition[]', [{ planCode: 'p', productName: 'n', productType: 'delivery', prices: [] }]), []);
  assert.match(v.checkType('order.cart.GenericProductDefinition[]', [{ productType: 'spaceship' }]).join(), /not one of order\.cart\.GenericProductTypeEnum/);
  assert.deepEqual(v.validateResponse('POST', '/order/cart/c1/assign', 200, undefined), []);
  assert.match(v.validateResponse('POST', '/order/cart/c1/assign', 200, { ok: true }).join(), /returns void/);
  assert.deepEqual(v.validateResponse('GET', '/order/cart/c1', 404, { class: 'Client::NotFound', message: 'nope' }), []);
  assert.match(v.validateResponse('GET', '/order/cart/c1', 404, { error: 'nope' }).join(), /class, message/);
});
