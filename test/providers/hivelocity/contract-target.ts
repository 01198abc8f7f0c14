/**
 * The Hivelocity row of the contract suite: the driver against the emulated API v2, every exchange
 * checked against Hivelocity's Swagger 2.0 document (basePath /api/v2).
 */
import type { ContractTarget, RawApi } from '../../contract/targets.js';
import { loadSwagger2 } from '../../support/spec-swagger2.js';

export const SPEC = 'hivelocity/hivelocity-api-v2.swagger.yaml';

export function hivelocityRaw(url: string, key: string): RawApi {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** A Swagger 2.0 checker of one exchange: the request (path, query, body) and the response. */
export function swaggerCheck(rel: string) {
  return () => {
    const spec = loadSwagger2(rel);
    if ('missing' in spec) return spec;
    return {
      check: (x: { method: string; path: string; query: string; requestBody: unknown; status: number; responseBody: unknown }) => {
        const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
        // The document declares no rate-limit or gateway answers, which every API can give (and the
        // chaos test injects): for a 429 or 5xx only the request is checked.
        const undeclaredFault = x.status === 429 || x.status >= 500;
        return [
          ...spec.validateRequest(x.method, x.path, x.query, x.requestBody).map((e) => `request ${where}: ${e}`),
          ...(undeclaredFault ? [] : spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`)),
        ];
      },
    };
  };
}

const noSnapshots = () => Promise.reject(new Error('Hivelocity has no snapshots'));

export const target: ContractTarget = {
  provider: 'hivelocity',
  credentials: (apiKey) => ({ apiKey }),
  secret: 'hv-contract-key-5c1e9a7d',
  valid: { region: 'TPA1', size: '525', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'MARS1', names: /\bTPA1\b/ },
    size: { value: '999999', names: /\b525\b/ },
    image: { value: 'ubuntu-10.04', names: /Ubuntu 24\.04/ },
  },
  missingId: '987654321',
  missingSnapshotId: '987654321',
  snapshotName: 'snap-one',
  // GET /bare-metal-devices/ answers with every device at once.
  pageSize: null,
  listPage: () => null,
  isCreate: (x) => x.method === 'POST' && /^\/api\/v2\/bare-metal-devices\/?$/.test(x.path),
  raw: (url, key) => hivelocityRaw(url, key),
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', '/api/v2/bare-metal-devices/', { productId: 525, locationName: 'TPA1', osName: 'Debian 12', hostname: `${name}.example.com`, tags: ['web'] });
    if (r.status !== 200) throw new Error(`raw device order: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.deviceId);
  },
  rawSnapshot: noSnapshots,
  rawSnapshotNames: noSnapshots,
  spec: swaggerCheck(SPEC),
};
