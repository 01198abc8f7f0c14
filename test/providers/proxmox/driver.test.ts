import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREATE_ID_KEY, newCreateId, ProviderError, UserError } from '../../../src/core/index.js';
import { vmidCandidates } from '../../../src/providers/proxmox/index.js';
import { harness, KEY, UBUNTU } from './harness.js';

const posts = <X extends { method: string; path: string }>(xs: X[], suffix: string) => xs.filter((x) => x.method === 'POST' && x.path.endsWith(suffix));

test('clone, cloud-init config, start, ready with the guest agent address, list, destroy twice', async (t) => {
  const h = await harness(t);
  if (!h) return;
  try {
    const p = h.provider;
    const inst = await p.createInstance({ name: 'web-1', region: 'pve1', size: '2c-4g', image: UBUNTU, sshKeys: [KEY], labels: { env: 'test' } });
    assert.equal(inst.id, String([...vmidCandidates('web-1')][0]));
    assert.equal(inst.labels['managed-by'], 'ferry');
    assert.equal(inst.labels.env, 'test');
    assert.equal(inst.size, '2c-4g');
    const ready = await p.waitReady(inst.id);
    assert.equal(ready.status.state, 'active');
    assert.match(ready.ipv4 ?? '', /^10\.10\.\d+\.\d+$/);

    const config = await p.client.vmConfig('pve1', Number(inst.id));
    assert.equal(config?.sshkeys, encodeURIComponent(KEY));
    assert.equal(config?.ipconfig0, 'ip=dhcp');
    assert.equal(String(config?.memory), '4096');

    const listed = await p.listInstances();
    assert.deepEqual(listed.map((i) => i.id), [inst.id]); // the templates are not ferry's
    assert.equal((await p.listInstances({ labels: { env: 'other' } })).length, 0);

    await p.destroyInstance(inst.id);
    await p.destroyInstance(inst.id);
    assert.equal(await p.getInstance(inst.id), null);
    assert.equal(await p.getInstance('999999999'), null);
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('while the guest boots its agent is not running: active, no address yet, no error', async (t) => {
  // Ten emulated hours of boot: the test is long done before the agent would answer.
  const h = await harness(t, { bootMs: 36_000_000 });
  if (!h) return;
  try {
    const inst = await h.provider.createInstance({ name: 'boot-1', region: 'pve1', size: '1c-1g', image: UBUNTU });
    const seen = await h.provider.getInstance(inst.id);
    assert.deepEqual([seen?.status.state, seen?.ipv4], ['active', null]);
    const agent = h.exchanges.filter((x) => x.path.endsWith('/agent/network-get-interfaces'));
    assert.ok(agent.length > 0 && agent.every((x) => x.status === 500));
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a create retried with the same create id finds its earlier attempt: one VM, same id', async (t) => {
  const h = await harness(t);
  if (!h) return;
  try {
    const createId = newCreateId();
    const req = { name: 'db-1', region: 'pve1', size: 'small', image: UBUNTU, createId };
    const first = await h.provider.createInstance(req);
    const again = await h.provider.createInstance(req);
    assert.equal(again.id, first.id);
    assert.equal(posts(h.exchanges, '/clone').length, 1);
    // Same name, another create: a conflict, not a second VM.
    await assert.rejects(h.provider.createInstance({ ...req, createId: newCreateId() }), (e) => ProviderError.is(e, 'conflict'));
    assert.equal(posts(h.exchanges, '/clone').length, 1);
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a connection reset after the clone was accepted resumes that clone instead of cloning twice', async (t) => {
  let cut = false;
  const fetchOnce: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!cut && init?.method === 'POST' && String(input).endsWith('/clone')) {
      cut = true;
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    }
    return res;
  };
  const h = await harness(t, { fetch: fetchOnce });
  if (!h) return;
  try {
    const inst = await h.provider.createInstance({ name: 'resume-1', region: 'pve1', size: '1c-1g', image: UBUNTU });
    assert.ok(cut);
    assert.equal(posts(h.exchanges, '/clone').length, 1);
    const all = (await h.provider.listInstances()).map((i) => i.id);
    assert.deepEqual(all, [inst.id]);
    assert.equal(inst.labels['managed-by'], 'ferry');
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a VM id taken by another VM steps to the next candidate, deterministically', async (t) => {
  const h = await harness(t);
  if (!h) return;
  try {
    const [first, second] = [...vmidCandidates('app-1', undefined, 2)];
    const c = h.provider.client;
    await c.waitTask(await c.clone('pve1', 9001, { newid: first!, name: 'someone-else', full: true }), 'setup clone');
    const inst = await h.provider.createInstance({ name: 'app-1', region: 'pve1', size: '1c-1g', image: UBUNTU });
    assert.equal(inst.id, String(second));
    // The other VM is not ferry's: not listed, listed with all.
    assert.deepEqual((await h.provider.listInstances()).map((i) => i.id), [String(second)]);
    assert.ok((await h.provider.listInstances({ all: true })).some((i) => i.id === String(first)));
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a failed clone task is surfaced with its log tail; nothing is left behind', async (t) => {
  const h = await harness(t, { faults: { capacity: [{ provider: 'proxmox', region: 'pve2' }] } });
  if (!h) return;
  try {
    await assert.rejects(h.provider.createInstance({ name: 'full-1', region: 'pve2', size: '1c-1g', image: UBUNTU }), (e) => {
      assert.ok(ProviderError.is(e, 'capacity'), String(e));
      assert.match(e.message, /insufficient free space/);
      assert.match(e.message, /task log: .*Logical volume/);
      return true;
    });
    assert.equal(posts(h.exchanges, '/clone').length, 1); // a final failure, not retried blindly
    assert.deepEqual(await h.provider.listInstances({ all: true }), []);
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a VM that cannot start is removed and the error says why', async (t) => {
  const h = await harness(t, { faults: { capacity: [{ provider: 'proxmox', region: 'pve1', size: '4c-8g' }] } });
  if (!h) return;
  try {
    await assert.rejects(h.provider.createInstance({ name: 'big-1', region: 'pve1', size: '4c-8g', image: UBUNTU }), (e) => {
      assert.ok(ProviderError.is(e, 'capacity'), String(e));
      assert.match(e.message, /Cannot allocate memory/);
      return true;
    });
    assert.deepEqual(await h.provider.listInstances({ all: true }), []);
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('snapshots: create, list only ferry\'s, repeat-create returns it, delete twice', async (t) => {
  const h = await harness(t);
  if (!h) return;
  try {
    const p = h.provider;
    const inst = await p.createInstance({ name: 'snap-1', region: 'pve1', size: '1c-1g', image: UBUNTU });
    const vmid = Number(inst.id);
    await p.client.waitTask(await p.client.createSnapshot('pve1', vmid, 'manual', 'made by hand'), 'setup snapshot');
    const snap = await p.createSnapshot(inst.id, 'nightly');
    assert.equal(snap.id, `${inst.id}/nightly`);
    assert.equal((await p.createSnapshot(inst.id, 'nightly')).id, snap.id);
    await assert.rejects(p.createSnapshot(inst.id, 'manual'), (e) => ProviderError.is(e, 'conflict'));
    assert.deepEqual((await p.listSnapshots()).map((s) => s.id), [snap.id]);
    await p.deleteSnapshot(snap.id);
    await p.deleteSnapshot(snap.id);
    assert.deepEqual(await p.listSnapshots(), []);
    await assert.rejects(p.createSnapshot(inst.id, '1bad'), UserError);
    await p.destroyInstance(inst.id);
    await p.deleteSnapshot(snap.id); // its VM is gone: still success
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a bad token is an authentication error everywhere, never "gone"', async (t) => {
  const h = await harness(t, { tokenSecret: 'invalid-0000' });
  if (!h) return;
  try {
    const auth = (e: unknown) => ProviderError.is(e, 'authentication') && !String((e as Error).message).includes('invalid-0000');
    await assert.rejects(h.provider.validateCredentials(), auth);
    await assert.rejects(h.provider.listInstances(), auth);
    await assert.rejects(h.provider.destroyInstance('123456'), auth);
    await assert.rejects(h.provider.getInstance('123456'), auth);
    assert.ok(h.exchanges.every((x) => x.status === 401));
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('unknown node, template or size, user data and key ids are UserErrors with no clone sent', async (t) => {
  const h = await harness(t);
  if (!h) return;
  try {
    const p = h.provider;
    const base = { name: 'x-1', region: 'pve1', size: '1c-1g', image: UBUNTU };
    await assert.rejects(p.createInstance({ ...base, region: 'pve9' }), (e) => e instanceof UserError && /pve1, pve2/.test(e.message));
    await assert.rejects(p.createInstance({ ...base, image: { kind: 'debian', version: '11' } }), (e) => e instanceof UserError && /debian-12-cloudinit \(9001\)/.test(e.message));
    await assert.rejects(p.createInstance({ ...base, image: { kind: 'custom', id: '4242' } }), UserError);
    const before = h.exchanges.length;
    await assert.rejects(p.createInstance({ ...base, size: 'cx22' }), (e) => e instanceof UserError && /2c-4g/.test(e.hint ?? ''));
    await assert.rejects(p.createInstance({ ...base, userData: '#cloud-config\n' }), (e) => e instanceof UserError && /cicustom/.test(e.hint ?? ''));
    await assert.rejects(p.createInstance({ ...base, sshKeys: ['12345'] }), UserError);
    assert.equal(h.exchanges.length, before); // decided without asking PVE
    assert.equal(posts(h.exchanges, '/clone').length, 0);
    await assert.rejects(p.getSshKeys(), (e) => ProviderError.is(e, 'not_supported') && /cloud-init/.test(e.message));
    await assert.rejects(p.validateRegion('pve9'), UserError);
    await p.validateRegion('pve2');
    assert.deepEqual((await p.listImages()).map((i) => [i.id, i.distribution, i.version]), [['9000', 'ubuntu', '24.04'], ['9001', 'debian', '12']]);
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a template on another node is cloned onto the requested node; storage and pool are passed', async (t) => {
  const h = await harness(t, { options: { pool: 'ferry' } });
  if (!h) return;
  try {
    const inst = await h.provider.createInstance({ name: 'far-1', region: 'pve2', size: '1c-1g', image: { kind: 'debian', version: '12' } });
    assert.equal(inst.region, 'pve2');
    const clone = posts(h.exchanges, '/clone')[0]!;
    assert.deepEqual({ target: (clone.requestBody as Record<string, string>).target, pool: (clone.requestBody as Record<string, string>).pool }, { target: 'pve2', pool: 'ferry' });
    assert.equal((await h.provider.waitReady(inst.id)).region, 'pve2');
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});

test('a create interrupted after the clone was sent (before its tags) is still found by its create id, as gc looks', async (t) => {
  // Ctrl-C or a crash while a full clone copies its disk: the VM exists, carrying the create id
  // only in its description. gc asks listInstances for the create-id label; it must not answer "none".
  const stop = new AbortController();
  const cutAfterClone: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (init?.method === 'POST' && String(input).endsWith('/clone')) stop.abort();
    return res;
  };
  const h = await harness(t, { fetch: cutAfterClone });
  if (!h) return;
  try {
    const createId = newCreateId();
    await assert.rejects(
      h.provider.createInstance({ name: 'cut-1', region: 'pve1', size: '1c-1g', image: UBUNTU, createId }, { signal: stop.signal }),
      (e) => ProviderError.is(e, 'cancelled'),
    );
    assert.equal(posts(h.exchanges, '/clone').length, 1);
    const found = await h.provider.listInstances({ labels: { [CREATE_ID_KEY]: createId } });
    assert.deepEqual(found.map((i) => [i.name, i.labels[CREATE_ID_KEY], i.labels['managed-by']]), [['cut-1', createId, 'ferry']]);
    // Another create id finds nothing.
    assert.deepEqual(await h.provider.listInstances({ labels: { [CREATE_ID_KEY]: newCreateId() } }), []);
    // Once found it can be destroyed like any instance.
    await h.provider.destroyInstance(found[0]!.id);
    assert.deepEqual(await h.provider.listInstances({ all: true }), []);
    assert.deepEqual(h.schemaErrors(), []);
  } finally {
    await h.close();
  }
});
