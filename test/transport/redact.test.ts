import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactor } from '../../src/transport/index.js';

test('a redactor hides each secret, plain and URL-encoded, the longer one first; short or missing ones are not secrets', () => {
  const redact = redactor(['p@ss/word+1', 'p@ss', undefined, 'abc']);
  assert.equal(redact('token p@ss/word+1 in a message'), 'token *** in a message');
  assert.equal(redact(`GET /v1/x?password=${encodeURIComponent('p@ss/word+1')}&k=p@ss`), 'GET /v1/x?password=***&k=***');
  assert.equal(redact('abc is too short to be taken for a secret'), 'abc is too short to be taken for a secret');
  assert.equal(redact('nothing to hide'), 'nothing to hide');
  assert.equal(redactor([])('p@ss'), 'p@ss');
});
