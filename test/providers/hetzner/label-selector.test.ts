import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidLabel, parseSelector } from '../../../src/emulator/hetzner/labels.js';

const match = (selector: string, labels: Record<string, string>) => {
  const p = parseSelector(selector);
  if (typeof p === 'string') throw new Error(p);
  return p(labels);
};

test('selector terms: =, ==, !=, presence, absence, in, notin, and AND by comma', () => {
  const l = { 'managed-by': 'ferry', env: 'prod', 'example.com/team': 'a' };
  assert.equal(match('managed-by=ferry', l), true);
  assert.equal(match('managed-by==ferry', l), true);
  assert.equal(match('managed-by=other', l), false);
  assert.equal(match('env!=dev', l), true);
  assert.equal(match('env!=prod', l), false);
  assert.equal(match('missing!=x', l), true, '!= matches when the key is absent');
  assert.equal(match('env', l), true);
  assert.equal(match('!env', l), false);
  assert.equal(match('!missing', l), true);
  assert.equal(match('env in (dev,prod)', l), true);
  assert.equal(match('env in (dev, stage)', l), false);
  assert.equal(match('env notin (dev,stage)', l), true);
  assert.equal(match('missing notin (x)', l), true);
  assert.equal(match('managed-by=ferry,env in (prod,dev),!missing', l), true);
  assert.equal(match('managed-by=ferry,env=dev', l), false);
  assert.equal(match('example.com/team=a', l), true, 'prefixed keys');
  assert.equal(match('', l), true, 'empty matches all');
});

test('invalid selectors are reported, not ignored', () => {
  for (const bad of ['=x', 'a=b=c', 'a in b', 'a b', '-bad=x']) {
    assert.equal(typeof parseSelector(bad), 'string', bad);
  }
});

test('label rules', () => {
  assert.equal(invalidLabel({ 'managed-by': 'ferry', 'example.com/my': 'label', 'just-a-key': '' }), undefined);
  assert.match(invalidLabel({ '-x': 'y' })!, /key/);
  assert.match(invalidLabel({ k: 'has space' })!, /value/);
  assert.match(invalidLabel({ k: 'x'.repeat(64) })!, /value/);
  assert.match(invalidLabel([])!, /object/);
});
