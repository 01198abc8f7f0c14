import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/index.js';
import { encodeSshKeys } from '../../../src/providers/proxmox/create.js';
import { parsePveError, taskFailureKind } from '../../../src/providers/proxmox/errors.js';
import { resolveImage } from '../../../src/providers/proxmox/images.js';
import { formatNote, labelsToTags, mergeTags, parseNote, tagsToLabels } from '../../../src/providers/proxmox/labels.js';
import { guestAddresses, isFerrySnapshot, memoryMb, parseSnapshotId, parseUpid, toInstance, toSnapshot, vmStatus } from '../../../src/providers/proxmox/mapping.js';
import type { PveAgentInterfaces, PveClusterResource, PveSnapshot, PveTaskStatus, PveVmConfig, PveVmStatus } from '../../../src/providers/proxmox/schema.js';
import { parseSize } from '../../../src/providers/proxmox/sizes.js';
import { vmidCandidates } from '../../../src/providers/proxmox/vmid.js';
import { fixture } from './fixtures.js';

const CID = '5f0c2b8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';

test('status table: lock first, then QMP state, then process status, unknown kept raw', () => {
  assert.deepEqual(vmStatus({ status: 'running', qmpstatus: 'running' }), { state: 'active', raw: 'running' });
  assert.deepEqual(vmStatus({ status: 'stopped', qmpstatus: 'stopped' }), { state: 'off', raw: 'stopped' });
  assert.deepEqual(vmStatus({ status: 'running', qmpstatus: 'paused' }), { state: 'off', raw: 'paused' });
  assert.deepEqual(vmStatus({ status: 'stopped', lock: 'clone' }), { state: 'new', raw: 'locked:clone' });
  assert.deepEqual(vmStatus({ status: 'stopped' }), { state: 'off', raw: 'stopped' });
  assert.deepEqual(vmStatus({ status: 'stopped', template: 1 }), { state: 'archive', raw: 'template' });
  assert.deepEqual(vmStatus({ status: 'running', qmpstatus: 'colo' }), { state: 'unknown', raw: 'colo' });
  assert.deepEqual(vmStatus({ status: 'running', lock: 'frobnicating' }), { state: 'unknown', raw: 'locked:frobnicating' });
  assert.deepEqual(vmStatus({}), { state: 'unknown', raw: 'unknown' });
});

test('a VM being cloned reads as new (fixture)', () => {
  const s = fixture<PveVmStatus>('status-current-cloning.json').data;
  assert.equal(vmStatus(s).state, 'new');
});

test('guest agent addresses: loopback and link-local skipped, first global of each family', () => {
  const agent = fixture<PveAgentInterfaces>('agent-network-get-interfaces.json').data;
  assert.deepEqual(guestAddresses(agent), { ipv4: '192.168.1.57', ipv6: '2001:db8::57' });
  assert.deepEqual(guestAddresses(null), { ipv4: null, ipv6: null });
  assert.deepEqual(guestAddresses({ result: [{ name: 'eth0' }] }), { ipv4: null, ipv6: null });
});

test('toInstance maps status/current + config + agent (fixtures)', () => {
  const inst = toInstance({
    vmid: 123456,
    node: 'pve1',
    status: fixture<PveVmStatus>('status-current-running.json').data,
    config: fixture<PveVmConfig>('config-managed.json').data,
    agent: fixture<PveAgentInterfaces>('agent-network-get-interfaces.json').data,
  });
  assert.deepEqual(inst, {
    provider: 'proxmox',
    id: '123456',
    name: 'web-1',
    status: { state: 'active', raw: 'running' },
    ipv4: '192.168.1.57',
    ipv6: '2001:db8::57',
    region: 'pve1',
    size: '2c-4g',
    image: 'ubuntu-24.04 (template 9000)',
    labels: { 'managed-by': 'ferry', 'ferry-create-id': CID },
    createdAt: '2026-01-04T10:00:00.000Z',
  });
});

test('labels travel as "key+value" tags; other tags are left alone', () => {
  const tags = labelsToTags({ 'managed-by': 'ferry', env: 'prod', empty: '' });
  assert.deepEqual(tags, ['managed-by+ferry', 'env+prod', 'empty+']);
  for (const t of tags) assert.match(t, /^[a-z0-9_][a-z0-9_+.-]*$/i); // PVE's tag charset
  assert.deepEqual(tagsToLabels('managed-by+ferry;env+prod;home;c++;empty+'), { 'managed-by': 'ferry', env: 'prod', empty: '' });
  assert.equal(mergeTags('home;env+old', { env: 'new' }), 'home;env+new');
  assert.deepEqual(tagsToLabels(undefined), {});
});

test('the description note round-trips and foreign descriptions are not ferry notes', () => {
  const note = { createId: CID, created: '2026-01-04T10:00:00.000Z', image: 'debian-12 (template 9001)' };
  assert.deepEqual(parseNote(formatNote(note)), note);
  assert.equal(parseNote('my own VM'), null);
  assert.equal(parseNote(undefined), null);
});

test('snapshots: only ferry-marked ones count, ids are <vmid>/<name>, "current" is not a snapshot', () => {
  const list = fixture<PveSnapshot[]>('snapshot-list.json').data;
  const ours = list.filter(isFerrySnapshot);
  assert.deepEqual(ours.map((s) => s.name), ['nightly']);
  assert.deepEqual(toSnapshot(123456, ours[0]!), {
    provider: 'proxmox',
    id: '123456/nightly',
    name: 'nightly',
    createdAt: '2026-01-04T10:00:00.000Z',
    sizeGb: null,
    instanceId: '123456',
  });
  assert.deepEqual(parseSnapshotId('123456/nightly'), { vmid: 123456, name: 'nightly' });
  assert.equal(parseSnapshotId('nightly'), null);
});

test('UPIDs parse in PVE format, including token users', () => {
  const t = fixture<PveTaskStatus>('task-status-failed.json').data;
  const p = parseUpid(t.upid);
  assert.ok(p);
  assert.equal(p.node, t.node);
  assert.equal(p.pid, t.pid);
  assert.equal(p.pstart, t.pstart);
  assert.equal(p.starttime, t.starttime);
  assert.equal(p.type, 'qmclone');
  assert.equal(p.user, 'root@pam!ferry');
  assert.equal(parseUpid('UPID:broken'), null);
});

test('sizes: <cores>c-<mem>g, megabytes and presets; nonsense is null', () => {
  assert.deepEqual(parseSize('2c-4g'), { cores: 2, memoryMb: 4096 });
  assert.deepEqual(parseSize('1c-512m'), { cores: 1, memoryMb: 512 });
  assert.deepEqual(parseSize('medium'), { cores: 2, memoryMb: 4096 });
  for (const bad of ['0c-1g', '2c-8m', 'cx22', '2c4g', '']) assert.equal(parseSize(bad), null, bad);
  assert.equal(memoryMb('current=2048'), 2048);
  assert.equal(memoryMb('4096'), 4096);
});

test('VM ids: a name always maps to the same candidates, inside the range, probing linearly', () => {
  const a = [...vmidCandidates('web-1', { min: 100000, max: 999999 }, 3)];
  assert.deepEqual([...vmidCandidates('web-1', { min: 100000, max: 999999 }, 3)], a);
  assert.equal(a[1], a[0]! + 1 > 999999 ? 100000 : a[0]! + 1);
  for (const id of a) assert.ok(id >= 100000 && id <= 999999);
  assert.notEqual([...vmidCandidates('web-2', undefined, 1)][0], a[0]);
  const tiny = [...vmidCandidates('x', { min: 200, max: 202 }, 10)];
  assert.deepEqual([...tiny].sort(), [200, 201, 202]);
});

test('images resolve to templates by name, id or snapshot; unknown names the templates', () => {
  const resources = fixture<PveClusterResource[]>('cluster-resources-vm.json').data;
  assert.equal(resolveImage({ kind: 'ubuntu', version: '24.04' }, 'pve1', resources, undefined).vmid, 9000);
  assert.equal(resolveImage({ kind: 'debian', version: '12' }, 'pve2', resources, undefined).vmid, 9001);
  assert.equal(resolveImage({ kind: 'custom', id: '9001' }, 'pve1', resources, undefined).vmid, 9001);
  assert.equal(resolveImage({ kind: 'custom', id: 'default' }, 'pve1', resources, 9000).vmid, 9000);
  assert.deepEqual(resolveImage({ kind: 'snapshot', id: '123456/nightly' }, 'pve1', resources, undefined), {
    vmid: 123456,
    node: 'pve1',
    snapname: 'nightly',
    label: 'snapshot:123456/nightly',
  });
  assert.throws(
    () => resolveImage({ kind: 'ubuntu', version: '22.04' }, 'pve1', resources, undefined),
    (e: unknown) => e instanceof UserError && e.message.includes('ubuntu-24.04-cloudinit (9000)') && e.message.includes('debian-12-cloudinit (9001)'),
  );
  // A running VM is not a template.
  assert.throws(() => resolveImage({ kind: 'custom', id: '101' }, 'pve1', resources, undefined), UserError);
});

test('sshkeys are URL-encoded as PVE requires: %20 for spaces, %0A between keys', () => {
  const enc = encodeSshKeys(['ssh-ed25519 AAAA me@host', ' ssh-rsa BBBB+/= you@host ']);
  assert.equal(enc, 'ssh-ed25519%20AAAA%20me%40host%0Assh-rsa%20BBBB%2B%2F%3D%20you%40host');
  assert.match(enc, /^[-%a-zA-Z0-9_.!~*'()]*$/); // PVE's urlencoded format
});

test('PVE errors: body message, reason phrase, parameter errors, and which 500s are final', () => {
  assert.deepEqual(parsePveError(500, { data: null, message: "Configuration file 'nodes/pve1/qemu-server/1.conf' does not exist\n" }, new Headers()), {
    message: "Configuration file 'nodes/pve1/qemu-server/1.conf' does not exist",
    code: 'not_found',
    kind: 'not_found',
    retryable: false,
  });
  assert.equal(parsePveError(500, { data: null }, new Headers(), 'QEMU guest agent is not running').code, 'agent_not_running');
  const p = parsePveError(400, { data: null, errors: { newid: 'invalid format - value does not look like a valid VM ID' } }, new Headers(), 'Parameter verification failed.');
  assert.equal(p.kind, 'invalid_config');
  assert.match(p.message, /newid: invalid format/);
  assert.deepEqual(parsePveError(401, { data: null }, new Headers()), { message: 'authentication failure' });
  // A plain 500 stays retryable (the transport decides by status).
  assert.deepEqual(parsePveError(500, { data: null, message: 'got timeout\n' }, new Headers()), { message: 'got timeout' });
  assert.equal(taskFailureKind('Volume group "pve" has insufficient free space'), 'capacity');
  assert.equal(taskFailureKind("snapshot name 'x' already used"), 'conflict');
});
