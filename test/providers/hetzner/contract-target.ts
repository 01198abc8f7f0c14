/** The contract suite's row for hetzner: how the driver meets its emulated API. */
import { expectStatus, jsonApi, openApiSpec, pageOf, until, type ContractTarget } from '../../contract/targets.js';

export const target: ContractTarget = {
  provider: 'hetzner',
  credentials: (token) => ({ token }),
  secret: 'contract-token-hcloud-7d2e',
  valid: { region: 'fsn1', size: 'cx22', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'mars1', names: /\bfsn1\b/ },
    size: { value: 'cx9999', names: /\bcx22\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24\.04/ },
  },
  missingId: '987654321',
  missingSnapshotId: '987654321',
  snapshotName: 'snap-one',
  // The driver asks for Hetzner's maximum page; more than 50 servers take two pages.
  pageSize: 50,
  listPage: (x) => pageOf(x, 'GET', '/v1/servers'),
  isCreate: (x) => x.method === 'POST' && x.path === '/v1/servers',
  raw: (url, token) => jsonApi(url, `Bearer ${token}`),
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', '/v1/servers', { name, server_type: 'cx22', location: 'fsn1', image: 'debian-12', labels: { role: 'web' } });
    expectStatus('raw server create', r, 201);
    return String(r.body.server.id);
  },
  async rawSnapshot(api, id) {
    const description = 'hand-made-snapshot';
    const r = await api.call('POST', `/v1/servers/${id}/actions/create_image`, { type: 'snapshot', description });
    expectStatus('raw create_image', r, 201);
    const actionId = r.body.action.id as number;
    await until(async () => (await api.call('GET', `/v1/actions/${actionId}`)).body?.action?.status === 'success', 'raw create_image action');
    return description;
  },
  async rawSnapshotNames(api) {
    const r = await api.call('GET', '/v1/images?type=snapshot&per_page=50');
    expectStatus('raw image list', r, 200);
    return (r.body.images as { description: string }[]).map((s) => s.description);
  },
  spec: openApiSpec('hetzner-cloud/hcloud.openapi.json'),
};

