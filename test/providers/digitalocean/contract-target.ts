/** The contract suite's row for digitalocean: how the driver meets its emulated API. */
import { expectStatus, jsonApi, openApiSpec, pageOf, until, type ContractTarget } from '../../contract/targets.js';

export const target: ContractTarget = {
  provider: 'digitalocean',
  credentials: (token) => ({ token }),
  secret: 'dop_v1_contract0123456789abcdef0123456789abcdef',
  options: { pageSize: '2', vpcRegion: 'fra1' },
  valid: { region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'atlantis9', names: /\bfra1\b/ },
    size: { value: 's-64vcpu-1tb-nope', names: /\bs-1vcpu-1gb\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24-04-x64/ },
  },
  missingId: '987654321',
  missingSnapshotId: '987654321',
  snapshotName: 'snap-one',
  pageSize: 2,
  listPage: (x) => pageOf(x, 'GET', '/v2/droplets'),
  isCreate: (x) => x.method === 'POST' && x.path === '/v2/droplets',
  raw: (url, token) => jsonApi(url, `Bearer ${token}`),
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', '/v2/droplets', { name, region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: ['web'] });
    expectStatus('raw droplet create', r, 202);
    return String(r.body.droplet.id);
  },
  async rawSnapshot(api, id) {
    const name = 'hand-made-snapshot';
    const r = await api.call('POST', `/v2/droplets/${id}/actions`, { type: 'snapshot', name });
    expectStatus('raw snapshot action', r, 201);
    const actionId = r.body.action.id as number;
    await until(async () => (await api.call('GET', `/v2/actions/${actionId}`)).body?.action?.status === 'completed', 'raw snapshot action');
    return name;
  },
  async rawSnapshotNames(api) {
    const r = await api.call('GET', '/v2/snapshots?resource_type=droplet&per_page=200');
    expectStatus('raw snapshot list', r, 200);
    return (r.body.snapshots as { name: string }[]).map((s) => s.name);
  },
  spec: openApiSpec('digitalocean/DigitalOcean-public.v2.bundled.yaml'),
};

