/** The contract suite's row for proxmox: how the driver meets its emulated API. */
import type { Exchange } from '../../../src/emulator/index.js';
import { expectStatus, formApi, until, type ContractTarget, type RawApi } from '../../contract/targets.js';
import { loadPveSchema, validateExchange } from '../../support/pve-schema.js';

const PVE_TOKEN_ID = 'root@pam!ferry';

export const target: ContractTarget = {
  provider: 'proxmox',
  credentials: (tokenSecret) => ({ tokenId: PVE_TOKEN_ID, tokenSecret, node: 'pve1' }),
  secret: 'c0ffee00-1111-4222-8333-444455556666',
  valid: { region: 'pve1', size: '1c-1g', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'pve9', names: /\bpve1\b.*\bpve2\b/ },
    size: { value: 'enormous', names: /\bsmall\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24\.04-cloudinit/ },
  },
  missingId: '987654',
  missingSnapshotId: '987654/snap-one',
  snapshotName: 'snap-one',
  pageSize: null,
  listPage: () => null,
  isCreate: (x) => x.method === 'POST' && /^\/api2\/json\/nodes\/[^/]+\/qemu\/\d+\/clone$/.test(x.path),
  raw: (url, secret) => formApi(url, `PVEAPIToken=${PVE_TOKEN_ID}=${secret}`),
  async rawUnmanaged(api, name) {
    const vmid = 4242;
    const r = await api.call('POST', '/api2/json/nodes/pve1/qemu/9000/clone', { newid: vmid, name, full: 1 });
    expectStatus('raw clone', r, 200);
    await pveTask(api, r.body.data as string);
    return String(vmid);
  },
  async rawSnapshot(api, id, node) {
    const name = 'handmade';
    const r = await api.call('POST', `/api2/json/nodes/${node}/qemu/${id}/snapshot`, { snapname: name, description: 'taken by hand' });
    expectStatus('raw snapshot', r, 200);
    await pveTask(api, r.body.data as string);
    return name;
  },
  async rawSnapshotNames(api, id, node) {
    const r = await api.call('GET', `/api2/json/nodes/${node}/qemu/${id}/snapshot`);
    expectStatus('raw snapshot list', r, 200);
    return (r.body.data as { name: string }[]).map((s) => s.name).filter((n) => n !== 'current');
  },
  spec: () => {
    const loaded = loadPveSchema();
    if (!loaded.ok) return { missing: loaded.message };
    return { check: (x) => validateExchange(loaded.schema, x) };
  },
};

async function pveTask(api: RawApi, upid: string): Promise<void> {
  const node = upid.split(':')[1]!;
  await until(async () => {
    const r = await api.call('GET', `/api2/json/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`);
    if (r.body?.data?.status !== 'stopped') return false;
    if (r.body.data.exitstatus !== 'OK') throw new Error(`task ${upid} failed: ${r.body.data.exitstatus}`);
    return true;
  }, `task ${upid}`);
}

