/** The proxmox-api npm client, unchanged, against the emulated PVE: nextid, clone, start, task polling, stop, destroy. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import proxmoxApi from 'proxmox-api';
import { startFor, until } from './clients.js';

test('proxmox-api: nextid → clone → start → status → stop → destroy, tasks polled to the end', async (t) => {
  const run = await startFor(t, 'proxmox', {});
  const url = new URL(run.url);
  const pve = proxmoxApi({ host: url.hostname, port: Number(url.port), schema: 'http', tokenID: 'root@pam!client', tokenSecret: 'c0ffee00-1111-2222-3333-444455556666' } as never);
  const waitTask = (upid: string) =>
    until(`task ${upid}`, async () => {
      const s = await pve.nodes.$('pve1').tasks.$(upid).status.$get();
      return s.status === 'stopped' ? s : undefined;
    });
  const vmid = Number(await pve.cluster.nextid.$get());
  assert.ok(vmid >= 100);
  const cloned = await waitTask(await pve.nodes.$('pve1').qemu.$(9000).clone.$post({ newid: vmid, name: 'sdk-1', full: true }));
  assert.equal(cloned.exitstatus, 'OK');
  await waitTask(await pve.nodes.$('pve1').qemu.$(vmid).status.start.$post());
  assert.equal((await pve.nodes.$('pve1').qemu.$(vmid).status.current.$get()).status, 'running');
  const listed = await pve.nodes.$('pve1').qemu.$get();
  assert.ok(listed.some((v) => v.vmid === vmid));
  await waitTask(await pve.nodes.$('pve1').qemu.$(vmid).status.stop.$post());
  await waitTask(await pve.nodes.$('pve1').qemu.$(vmid).$delete());
  await assert.rejects(pve.nodes.$('pve1').qemu.$(vmid).status.current.$get(), /does not exist/);
});
