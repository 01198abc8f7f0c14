/** The Linode row of the shared contract suite: the driver against the emulated Linode API v4. */
import type { Exchange } from '../../../src/emulator/index.js';
import type { ContractTarget, RawApi } from '../../contract/targets.js';
import { loadOpenApi } from '../../support/openapi.js';

export const LINODE_SPEC = 'linode/linode-openapi-v4.189.0.yaml';

function jsonApi(url: string, token: string): RawApi {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

function expectStatus(what: string, got: { status: number; body: unknown }, ...want: number[]): void {
  if (!want.includes(got.status)) throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body)}`);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} did not finish`);
}

/** Request and response of every exchange against the official OpenAPI document. */
export function linodeSpec(): { check(x: Exchange): string[] } | { missing: string } {
  const spec = loadOpenApi(LINODE_SPEC, { mergeAllOf: true });
  if ('missing' in spec) return spec;
  return {
    check: (x) => {
      const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
      return [
        ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)).map((e) => `request ${where}: ${e}`),
        ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`),
      ];
    },
  };
}

export const target: ContractTarget = {
  provider: 'linode',
  credentials: (token) => ({ token }),
  secret: 'contract-token-linode-4f1a',
  // The smallest page Linode allows, so 26 Linodes take two pages.
  options: { pageSize: '25' },
  valid: { region: 'us-east', size: 'g6-nanode-1', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'mars-north', names: /\bus-east\b/ },
    size: { value: 'g6-huge-9999', names: /\bg6-nanode-1\b/ },
    image: { value: 'ubuntu-10.04', names: /linode\/ubuntu24\.04/ },
  },
  missingId: '987654321',
  missingSnapshotId: 'private/987654321',
  snapshotName: 'snap-one',
  pageSize: 25,
  listPage: (x) => (x.method === 'GET' && x.path === '/v4/linode/instances' ? Number(new URLSearchParams(x.query).get('page') ?? '1') : null),
  isCreate: (x) => x.method === 'POST' && x.path === '/v4/linode/instances',
  raw: (url, token) => jsonApi(url, token),
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', '/v4/linode/instances', { label: name, region: 'us-east', type: 'g6-nanode-1', image: 'linode/debian12', root_pass: 'Hand-made-Pass-9', tags: ['web'] });
    expectStatus('raw linode create', r, 200);
    return String(r.body.id);
  },
  async rawSnapshot(api, id) {
    const label = 'hand-made-image';
    const disks = await api.call('GET', `/v4/linode/instances/${id}/disks`);
    expectStatus('raw disk list', disks, 200);
    const disk = (disks.body.data as { id: number; filesystem: string }[]).find((d) => d.filesystem !== 'swap')!;
    const r = await api.call('POST', '/v4/images', { disk_id: disk.id, label, description: 'made by hand' });
    expectStatus('raw image create', r, 200);
    const imageId = encodeURIComponent(r.body.id as string);
    await until(async () => (await api.call('GET', `/v4/images/${imageId}`)).body?.status === 'available', 'raw image capture');
    return label;
  },
  async rawSnapshotNames(api) {
    const r = await api.call('GET', '/v4/images?page_size=500');
    expectStatus('raw image list', r, 200);
    return (r.body.data as { label: string; is_public: boolean }[]).filter((i) => !i.is_public).map((i) => i.label);
  },
  spec: linodeSpec,
};
