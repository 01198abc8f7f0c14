/** The contract suite's row for Scaleway: the emulator, an account, and the three API descriptions. */
import type { Exchange } from '../../../src/emulator/index.js';
import type { ContractTarget, RawApi } from '../../contract/targets.js';
import { loadOpenApiSet } from '../../support/spec-openapi31.js';

export const PROJECT_ID = '6ee5b6d1-4b24-4f3f-9d5a-0f1d2c3b4a59';
export const ZONE = 'fr-par-1';

/** Raw JSON calls with the account's X-Auth-Token, behind the driver's back. */
export function scalewayRaw(url: string, secret: string): RawApi {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'X-Auth-Token': secret, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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

export const SPEC_FILES = {
  '/instance/v1/': 'scaleway/scaleway.instance.v1.Api.yml',
  '/vpc/v2/': 'scaleway/scaleway.vpc.v2.Api.yml',
  '/baremetal/v1/': 'scaleway/scaleway.baremetal.v1.Api.yml',
};
/** Block Storage v1alpha1, IAM v1alpha1 and Marketplace v2 have no description in the specs folder. */
export const UNDESCRIBED = ['/block/v1alpha1/', '/iam/v1alpha1/', '/marketplace/v2/'];

export function scalewaySpec(): { check(x: Exchange): string[] } | { missing: string } {
  return loadOpenApiSet(SPEC_FILES, UNDESCRIBED);
}

const SERVERS = `/instance/v1/zones/${ZONE}/servers`;

export const target: ContractTarget = {
  provider: 'scaleway',
  credentials: (secretKey) => ({ secretKey, projectId: PROJECT_ID, zone: ZONE }),
  secret: 'scw-contract-secret-5f1c2e7a-0d3b-4c1e-9a8f',
  options: { pageSize: '2' },
  valid: { region: ZONE, size: 'DEV1-S', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'mars-olm-1', names: /\bfr-par-1\b/ },
    size: { value: 'DEV9-XXL', names: /\bDEV1-S\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24\.04/ },
  },
  missingId: `${ZONE}/00000000-0000-4000-8000-000000000000`,
  missingSnapshotId: `${ZONE}/00000000-0000-4000-8000-000000000001`,
  snapshotName: 'snap-one',
  pageSize: 2,
  listPage: (x) => (x.method === 'GET' && x.path === SERVERS ? Number(new URLSearchParams(x.query).get('page') ?? '1') : null),
  isCreate: (x) => x.method === 'POST' && /^\/(instance\/v1|baremetal\/v1)\/zones\/[^/]+\/servers$/.test(x.path),
  raw: scalewayRaw,
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', SERVERS, { name, commercial_type: 'DEV1-S', image: 'ubuntu_jammy', project: PROJECT_ID, tags: ['web'] });
    expectStatus('raw server create', r, 201);
    return `${ZONE}/${r.body.server.id as string}`;
  },
  async rawSnapshot(api, instanceId) {
    const name = 'hand-made-snapshot';
    const id = instanceId.split('/')[1]!;
    const r = await api.call('POST', `${SERVERS}/${id}/action`, { action: 'backup', name });
    expectStatus('raw backup', r, 200);
    const imageId = /\/images\/(.+)$/.exec(r.body.task.href_result as string)![1]!;
    for (let i = 0; i < 2_000; i++) {
      const img = await api.call('GET', `/instance/v1/zones/${ZONE}/images/${imageId}`);
      if (img.body?.image?.state === 'available') return name;
      await new Promise((ok) => setTimeout(ok, 2));
    }
    throw new Error('raw backup did not finish');
  },
  async rawSnapshotNames(api) {
    const r = await api.call('GET', `/instance/v1/zones/${ZONE}/images?per_page=100`);
    expectStatus('raw image list', r, 200);
    return (r.body.images as { name: string }[]).map((i) => i.name);
  },
  spec: scalewaySpec,
};
