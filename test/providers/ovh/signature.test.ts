/**
 * The signature against the vectors OVHcloud's own clients test with (python-ovh
 * tests/test_client.py, go-ovh ovh_test.go, php-ovh ApiTest): /auth on ovh-eu at 1457018875.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OvhClock, ovhSignature, ovhSigner } from '../../../src/providers/ovh/signature.js';

const KEYS = { applicationKey: 'TDPKJdwZwAQPwKX2', applicationSecret: '9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk', consumerKey: '5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY' };
const URL_AUTH = 'https://eu.api.ovh.com/1.0/auth';
const TIME = 1457018875;
const BODY = '{"a":"b","c":"d"}';

test('ovh signature: the documented vectors for GET, POST, PUT, DELETE', () => {
  assert.equal(ovhSignature(KEYS, 'GET', URL_AUTH, '', TIME), '$1$e9556054b6309771395efa467c22e627407461ad');
  assert.equal(ovhSignature(KEYS, 'POST', URL_AUTH, BODY, TIME), '$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1');
  assert.equal(ovhSignature(KEYS, 'PUT', URL_AUTH, BODY, TIME), '$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b');
  assert.equal(ovhSignature(KEYS, 'DELETE', URL_AUTH, '', TIME), '$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85');
  assert.notEqual(ovhSignature(KEYS, 'GET', URL_AUTH, '', TIME + 1), '$1$e9556054b6309771395efa467c22e627407461ad', 'the timestamp is signed');
});

test('ovh signer: server time offset learnt once, headers set, unauthenticated calls carry only the application key', async () => {
  let asked = 0;
  // Our clock is 100 s behind the API's.
  const clock = new OvhClock(async () => (asked++, TIME), () => (TIME - 100) * 1000);
  const sign = ovhSigner(KEYS, clock, (url) => url.endsWith('/auth/time'));
  const headers: Record<string, string> = {};
  await sign({ method: 'GET', url: URL_AUTH, body: undefined, headers });
  assert.equal(headers['x-ovh-application'], KEYS.applicationKey);
  assert.equal(headers['x-ovh-consumer'], KEYS.consumerKey);
  assert.equal(headers['x-ovh-timestamp'], String(TIME));
  assert.equal(headers['x-ovh-signature'], '$1$e9556054b6309771395efa467c22e627407461ad');
  await sign({ method: 'DELETE', url: URL_AUTH, body: undefined, headers: {} });
  assert.equal(asked, 1, 'the offset is kept');
  const unauth: Record<string, string> = {};
  await sign({ method: 'GET', url: 'https://eu.api.ovh.com/1.0/auth/time', body: undefined, headers: unauth });
  assert.equal(unauth['x-ovh-signature'], undefined);
  clock.forget();
  await clock.now();
  assert.equal(asked, 2, 'forgotten offset is learnt again');
});
