import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, parseHetznerError } from '../../../src/providers/hetzner/errors.js';
import { fixture } from './fixtures.js';

test('error bodies map to typed kinds', () => {
  assert.deepEqual(parseHetznerError(401, fixture('error-unauthorized')), {
    message: 'unable to authenticate [unauthorized]',
    code: 'unauthorized',
    kind: 'authentication',
  });
  const quota = parseHetznerError(403, fixture('error-resource-limit-exceeded'));
  assert.equal(quota.kind, 'quota', 'a 403 resource_limit_exceeded is a quota, not a permission problem');
  assert.equal(quota.retryable, false);
  const capacity = parseHetznerError(412, fixture('error-resource-unavailable'));
  assert.equal(capacity.kind, 'capacity');
  assert.equal(capacity.retryable, false);
  assert.equal(parseHetznerError(429, fixture('error-rate-limit-exceeded')).kind, 'rate_limited');
  const locked = parseHetznerError(423, fixture('error-locked'));
  assert.deepEqual([locked.kind, locked.retryable], ['conflict', true], 'locked: another action runs, worth retrying');
});

test('invalid_input names the fields and their messages', () => {
  const p = parseHetznerError(400, fixture('error-invalid-input'));
  assert.equal(p.kind, 'invalid_config');
  assert.equal(p.message, "invalid input in field 'server_type' (server_type: server type not found) [invalid_input]");
});

test('codes of every documented kind', () => {
  const kinds = (codes: string[]) => codes.map((c) => ERROR_CODES[c]?.kind);
  assert.deepEqual(kinds(['forbidden', 'token_readonly', 'not_found']), ['forbidden', 'forbidden', 'not_found']);
  assert.deepEqual(kinds(['uniqueness_error', 'conflict', 'protected']), ['conflict', 'conflict', 'conflict']);
  assert.deepEqual(kinds(['placement_error', 'no_space_left_in_location']), ['capacity', 'capacity']);
  assert.deepEqual(kinds(['server_error', 'service_error', 'maintenance', 'unavailable']), ['api', 'api', 'api', 'api']);
  for (const c of ['server_error', 'service_error', 'maintenance', 'unavailable']) assert.equal(ERROR_CODES[c]!.retryable, true, c);
});

test('unknown codes and foreign bodies fall back to the status mapping', () => {
  assert.deepEqual(parseHetznerError(418, { error: { code: 'teapot', message: 'short and stout' } }), {
    message: 'short and stout [teapot]',
    code: 'teapot',
  });
  assert.deepEqual(parseHetznerError(502, '<html>bad gateway</html>'), { message: '<html>bad gateway</html>' });
  assert.deepEqual(parseHetznerError(500, undefined), { message: 'HTTP 500' });
  assert.deepEqual(parseHetznerError(400, { error: { code: 'toString', message: 'x' } }), { message: 'x [toString]', code: 'toString' });
});
