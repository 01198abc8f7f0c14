import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, printable, writeSafe } from '../../src/cli/output.js';

test('text from providers and counterparties cannot drive the terminal: control characters are shown, not obeyed', () => {
  const hostile = 'vm-1\x1b]0;owned\x07\x1b[2J';
  assert.equal(printable(hostile), 'vm-1\\x1b]0;owned\\x07\\x1b[2J');
  assert.doesNotMatch(formatTable(['name'], [[hostile]]), /\x1b/);
  let out = '';
  writeSafe({ write: (s: string) => (out += s) }, 'line one\nline\x1b[31m two\n');
  assert.equal(out, 'line one\nline\\x1b[31m two\n', 'newlines kept, escapes shown');
});
