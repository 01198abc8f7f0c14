/**
 * The Swagger 2.0 validator itself: a known-bad body is rejected, basePath is honoured, body
 * parameters and #/definitions refs are followed, x-nullable admits null, path and query
 * parameters are typed. Once on a small document, once on Hivelocity's own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSwagger2, swagger2Validator } from '../../support/spec-swagger2.js';
import { SPEC } from './contract-target.js';

const MINI = {
  swagger: '2.0',
  basePath: '/api/v9',
  security: [{ apiKey: [] }],
  paths: {
    '/things/': {
      post: {
        parameters: [{ name: 'payload', in: 'body', required: true, schema: { $ref: '#/definitions/ThingCreate' } }],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Thing' } }, '400': { description: 'bad' } },
      },
    },
    '/things/{thingId}': {
      parameters: [{ name: 'thingId', in: 'path', required: true, type: 'integer' }],
      get: { responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Thing' } } } },
      delete: {
        parameters: [{ name: 'mode', in: 'query', required: true, type: 'string', enum: ['soft', 'hard'] }],
        responses: { '204': { description: 'gone' } },
      },
    },
  },
  definitions: {
    ThingCreate: { type: 'object', required: ['name', 'size'], properties: { name: { type: 'string' }, size: { type: 'integer' } } },
    Thing: {
      type: 'object',
      properties: { id: { type: 'integer' }, note: { type: 'string', 'x-nullable': true }, parent: { $ref: '#/definitions/Ref', 'x-nullable': true } },
    },
    Ref: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
  },
};

test('swagger 2.0: a body parameter is checked against its definition; a known-bad body is rejected', () => {
  const v = swagger2Validator(MINI);
  assert.deepEqual(v.validateRequest('POST', '/api/v9/things/', '', { name: 'a', size: 2 }), []);
  const bad = v.validateRequest('POST', '/api/v9/things', '', { name: 'a', size: 'two' });
  assert.equal(bad.length, 1, bad.join('; '));
  assert.match(bad[0]!, /size.*integer/);
  assert.match(v.validateRequest('POST', '/api/v9/things/', '', { name: 'a' }).join(), /required.*size/);
  assert.match(v.validateRequest('POST', '/api/v9/things/', '', undefined).join(), /body parameter payload is required/);
});

test('swagger 2.0: paths are under basePath; without it no operation matches', () => {
  const v = swagger2Validator(MINI);
  assert.equal(v.basePath, '/api/v9');
  assert.ok(v.hasOperation('GET', '/api/v9/things/7'));
  assert.ok(!v.hasOperation('GET', '/things/7'), 'a path outside basePath is no operation');
  assert.match(v.validateResponse('GET', '/v9/things/7', 200, {}).join(), /no operation/);
});

test('swagger 2.0: x-nullable admits null, on a plain type and on a $ref; without it null is refused', () => {
  const v = swagger2Validator(MINI);
  assert.deepEqual(v.validateResponse('GET', '/api/v9/things/7', 200, { id: 7, note: null, parent: null }), []);
  assert.deepEqual(v.validateResponse('GET', '/api/v9/things/7', 200, { id: 7, parent: { id: 1 } }), []);
  assert.notDeepEqual(v.validateResponse('GET', '/api/v9/things/7', 200, { id: null }), []);
  assert.notDeepEqual(v.validateResponse('GET', '/api/v9/things/7', 200, { id: 7, parent: {} }), [], 'the $ref is followed');
});

test('swagger 2.0: path and query parameters are typed; undeclared statuses are reported, a 401 under security is not', () => {
  const v = swagger2Validator(MINI);
  assert.match(v.validateRequest('GET', '/api/v9/things/abc', '', undefined).join(), /thingId must be an integer/);
  assert.deepEqual(v.validateRequest('DELETE', '/api/v9/things/3', '?mode=hard', undefined), []);
  assert.match(v.validateRequest('DELETE', '/api/v9/things/3', '', undefined).join(), /mode is required/);
  assert.match(v.validateRequest('DELETE', '/api/v9/things/3', '?mode=later', undefined).join(), /one of soft, hard/);
  assert.match(v.validateRequest('GET', '/api/v9/things/3', '', { x: 1 }).join(), /takes none/);
  assert.match(v.validateResponse('GET', '/api/v9/things/3', 404, {}).join(), /status 404 not declared/);
  assert.deepEqual(v.validateResponse('GET', '/api/v9/things/3', 401, { code: 401 }), []);
  assert.deepEqual(v.validateResponse('POST', '/api/v9/things/', 400, { anything: true }), [], 'a response without schema takes any body');
});

test("swagger 2.0 on Hivelocity's document: a bad order and a bad device are rejected, good ones pass", (t) => {
  const v = loadSwagger2(SPEC);
  if ('missing' in v) {
    console.warn(`\n*** ${v.missing} ***\n`);
    t.skip(v.missing);
    return;
  }
  assert.equal(v.basePath, '/api/v2');
  const order = { productId: 525, locationName: 'TPA1', osName: 'Ubuntu 24.04', hostname: 'a.example.com', tags: ['x=y'] };
  assert.deepEqual(v.validateRequest('POST', '/api/v2/bare-metal-devices/', '', order), []);
  assert.match(v.validateRequest('POST', '/api/v2/bare-metal-devices/', '', { ...order, productId: '525' }).join(), /productId.*integer/);
  assert.match(v.validateRequest('POST', '/api/v2/bare-metal-devices/', '', { productId: 525 }).join(), /required/);
  assert.match(v.validateRequest('POST', '/api/v2/device/12/power', '', undefined).join(), /action is required/);
  assert.deepEqual(v.validateResponse('GET', '/api/v2/bare-metal-devices/12', 200, { deviceId: 12, powerStatus: 'ON', tags: [] }), []);
  assert.match(v.validateResponse('GET', '/api/v2/bare-metal-devices/12', 200, { deviceId: '12' }).join(), /deviceId.*integer/);
  assert.match(v.validateResponse('GET', '/api/v2/inventory/product', 200, { TPA1: [{ product_monthly_price: 'cheap' }] }).join(), /product_monthly_price.*number/);
});
