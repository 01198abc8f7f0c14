/** The bare-metal kit and the configurable tag codec, on their own: every driver's waits go through these. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkIpxeUrl,
  formatElapsed,
  powerAndWait,
  ProviderError,
  refuseUnmanaged,
  resolveTimeouts,
  tagCodec,
  UserError,
  waitThroughStages,
  waitUntilOn,
  type Instance,
  type Progress,
} from '../../src/core/index.js';

const timeouts = resolveTimeouts({ pollIntervalMs: 1, instanceReadyMs: 5_000, actionCompleteMs: 5_000 });

function server(raw: string, ipv4: string | null = '192.0.2.10', labels: Record<string, string> = { 'managed-by': 'ferry' }): Instance {
  return { id: '7', name: 'm1', status: { state: raw === 'on' ? 'active' : 'pending', raw }, ipv4, ipv6: null, labels } as unknown as Instance;
}

/** Reads that return the given servers in turn; a read past the end fails the test. */
function reads(...seq: (Instance | null)[]) {
  let i = 0;
  return async () => {
    assert.ok(i < seq.length, `unexpected read #${i + 1}`);
    return seq[i++]!;
  };
}

test('formatElapsed: seconds, minutes, hours, and a time-scaled clock', () => {
  assert.deepEqual([formatElapsed(42_000), formatElapsed(187_000), formatElapsed(7_500_000), formatElapsed(90, 1000)], ['42s', '3m07s', '2h05m', '1m30s']);
});

test('checkIpxeUrl: only http(s) URLs, and no raw characters the script line cannot hold', () => {
  assert.throws(() => checkIpxeUrl('not a url', 'iPXE'), (e: unknown) => UserError.is(e) && /not a URL/.test(e.message));
  assert.throws(() => checkIpxeUrl('tftp://boot.example.com/a.ipxe', 'Latitude.sh'), (e: unknown) => UserError.is(e) && /http/.test(e.message) && /Latitude/.test(e.hint ?? ''));
  assert.throws(() => checkIpxeUrl("https://boot.example.com/a'b.ipxe", 'iPXE', { chars: /['\s]/, named: 'quotes or spaces' }), (e: unknown) => UserError.is(e) && /quotes/.test(e.message));
  checkIpxeUrl("https://boot.example.com/a'b.ipxe", 'iPXE');
});

test('waitUntilOn: each stage once, in order, then active; a stale `on` before the transition is not the end', async () => {
  const seen: Progress[] = [];
  const stageOf = (raw: string) => ({ provisioning: 'provisioning', deploying: 'installing' })[raw] ?? raw;
  const inst = await waitUntilOn({
    provider: 'p',
    id: '7',
    what: 'iPXE reinstall',
    timeouts,
    o: { onProgress: (x) => seen.push(x) },
    read: reads(server('on'), server('on'), server('provisioning'), server('deploying'), server('deploying'), server('on', null), server('on')),
    failed: new Set(['failed']),
    stageOf,
    afterTransition: true,
  });
  assert.equal(inst.status.raw, 'on');
  assert.deepEqual(seen.map((x) => x.phase), ['waiting', 'provisioning', 'installing', 'on', 'active']);
  assert.match(seen.at(-1)!.message, /^m1: active after \d+s$/);
});

test('waitUntilOn: a failed status and a vanished server end the wait with typed errors', async () => {
  const base = { provider: 'p', id: '7', what: 'deployment', timeouts, failed: new Set(['failed']), stageOf: (r: string) => r };
  await assert.rejects(waitUntilOn({ ...base, read: reads(server('deploying'), server('failed')) }), (e: unknown) => ProviderError.is(e, 'api') && /failed: status failed/.test(e.message));
  await assert.rejects(waitUntilOn({ ...base, read: reads(null) }), (e: unknown) => ProviderError.is(e, 'not_found'));
});

test('waitThroughStages: reportLast also reports the read that ends the wait; a wait that never ends times out', async () => {
  const seen: string[] = [];
  const stage = (v: Instance) => ({ key: v.status.raw, phase: v.status.raw, message: () => v.status.raw });
  const spec = { provider: 'p', operation: 'delivery', timeoutMs: 5_000, intervalMs: 1, o: { onProgress: (x: Progress) => seen.push(x.phase) }, done: (v: Instance) => v.status.raw === 'ready', stage };
  await waitThroughStages({ ...spec, read: reads(server('ordered'), server('ready')), reportLast: true });
  assert.deepEqual(seen, ['ordered', 'ready']);
  await assert.rejects(waitThroughStages({ ...spec, timeoutMs: 3, read: async () => server('ordered') }), (e: unknown) => ProviderError.is(e, 'timeout'));
});

test('powerAndWait: sends once, then waits for the wanted state; a server that disappears is not_found', async () => {
  let sent = 0;
  const send = async () => void sent++;
  const seen: string[] = [];
  const on = await powerAndWait({ provider: 'p', id: '7', action: 'power_on', want: 'on', timeouts, o: { onProgress: (x) => seen.push(x.message) }, send, read: reads(server('off'), server('on')) });
  assert.equal(on.status.raw, 'on');
  assert.equal(sent, 1);
  assert.deepEqual(seen, ['m1: off, waiting for on']);
  await assert.rejects(powerAndWait({ provider: 'p', id: '7', action: 'power_off', want: 'off', timeouts, send, read: reads(null) }), (e: unknown) => ProviderError.is(e, 'not_found'));
});

test('refuseUnmanaged: a server without the managed-by label is forbidden', () => {
  refuseUnmanaged('p', '7', server('on'), 'reinstall');
  assert.throws(() => refuseUnmanaged('p', '7', server('on', null, {}), 'reinstall'), (e: unknown) => ProviderError.is(e, 'forbidden'));
});

test('tagCodec: ":" escaped and a key alias round-trip exactly; an unknown escape stays a foreign tag', () => {
  const codec = tagCodec({ escapeColon: true, keyAliases: { 'ferry-create-id': '_cid' } });
  const labels = { 'ferry-create-id': 'abc', 'a.b_c': 'x:y' };
  const tags = codec.labelsToTags(labels);
  assert.deepEqual(tags, ['_cid:abc', 'a_db__c:x_cy']);
  assert.deepEqual(codec.tagsToLabels([...tags, 'team_x:1', 'plain']), { ...labels, 'team_x:1': '', plain: '' });
  // The plain codec leaves ":" in values and has no aliases.
  assert.deepEqual(tagCodec().labelsToTags(labels), ['ferry-create-id:abc', 'a_db__c:x:y']);
});
