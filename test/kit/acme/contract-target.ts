/** The contract row of the kit's throwaway provider: the same suite every shipped driver passes. */
import { expectStatus, jsonApi, pageOf, type ContractTarget } from '../../contract/targets.js';
import { acmeDescriptor } from './driver.js';
import { createApi } from './emulator.js';

/** Acme's "official description" is its emulator's code; the check holds the wire shapes to it. */
function checkShape(x: { method: string; path: string; status: number; responseBody: unknown }): string[] {
  const b = x.responseBody as Record<string, unknown> | undefined;
  if (x.status >= 400) return b && typeof b.error === 'object' ? [] : [`${x.method} ${x.path} → ${x.status}: no error object`];
  if (x.method === 'GET' && x.path === '/v1/servers' && !Array.isArray(b?.servers)) return ['GET /v1/servers: no servers array'];
  return [];
}

export const target: ContractTarget = {
  provider: 'acme',
  fixture: { descriptor: acmeDescriptor, createApi },
  credentials: (token) => ({ token }),
  secret: 'acme-contract-token',
  valid: { region: 'r1', size: 'small', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'mars', names: /\br1\b/ },
    size: { value: 'huge', names: /\bsmall\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24\.04/ },
  },
  missingId: '999999',
  missingSnapshotId: '999999',
  snapshotName: 'snap-one',
  pageSize: 25,
  listPage: (x) => pageOf(x, 'GET', '/v1/servers'),
  isCreate: (x) => x.method === 'POST' && x.path === '/v1/servers',
  raw: (url, token) => jsonApi(url, `Bearer ${token}`),
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', '/v1/servers', { name, region: 'r1', size: 'small', image: 'debian-12', labels: { role: 'web' } });
    expectStatus('raw server create', r, 201);
    return String(r.body.server.id);
  },
  rawSnapshot: async () => {
    throw new Error('acme has no snapshots');
  },
  rawSnapshotNames: async () => [],
  spec: () => ({ check: checkShape }),
};
