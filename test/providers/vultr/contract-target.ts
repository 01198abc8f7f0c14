/**
 * The Vultr row of the contract suite: the driver against the emulated API v2, every exchange
 * checked against Vultr's official OpenAPI description (2023). Where the live API has moved on
 * from that document, the difference is listed in SPEC_ERRATA, each with its reason; nothing
 * else is excused.
 */
import type { Exchange } from '../../../src/emulator/index.js';
import type { ContractTarget, RawApi } from '../../contract/targets.js';
import { loadOpenApi } from '../../support/openapi.js';

export const VULTR_SPEC = 'vultr/vultr-api-v2.openapi.json';
export const VULTR_KEY = 'VULTRCONTRACTKEY0123456789ABCDEFGHIJ';

/** Known differences between the 2023 description and the live API, matched on the exact problem. */
export const SPEC_ERRATA: readonly { re: RegExp; why: string }[] = [
  {
    re: /^response GET \/v2\/plans\S* → 200: \/plans\/\d+\/monthly_cost must be integer/,
    why: 'monthly_cost is a decimal in the live API ($2.50 for vc2-1c-0.5gb-v6); the 2023 spec types it integer',
  },
  {
    re: /^response GET \/v2\/blocks\/[^ ]+ → 404: status 404 not declared/,
    why: 'GET /blocks/{id} of a deleted block answers 404 ("Invalid block-id."), which the 2023 spec omits',
  },
  {
    re: /^response GET \/v2\/blocks\S* → 20\d: \/(blocks\/\d+|block)\/cost must be integer/,
    why: 'block storage cost is a decimal ($0.10 per GB); the 2023 spec types it integer',
  },
  {
    re: /^response \S+ \S+ → (429|5\d\d): status (429|5\d\d) not declared/,
    why: 'a 429 (Vultr\'s documented rate limit) or a server failure can answer any operation; the spec declares neither',
  },
];

function check(spec: ReturnType<typeof loadOpenApi>, x: Exchange): string[] {
  if ('missing' in spec) return [];
  const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
  const problems = [
    ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)).map((e) => `request ${where}: ${e}`),
    ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`),
  ];
  return problems.filter((p) => !SPEC_ERRATA.some((e) => e.re.test(p)));
}

function jsonApi(url: string, key: string): RawApi {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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

async function until(checkDone: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await checkDone()) return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} did not finish`);
}

export const target: ContractTarget = {
  provider: 'vultr',
  credentials: (apiKey) => ({ apiKey }),
  secret: VULTR_KEY,
  options: { pageSize: '2' },
  valid: { region: 'ewr', size: 'vc2-1c-1gb', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'atlantis', names: /\bewr\b.*\bfra\b/ },
    size: { value: 'vc2-64c-1tb', names: /\bvc2-1c-1gb\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24\.04/ },
  },
  missingId: 'cb676a46-66fd-4dfb-b839-443f2e6c0b60',
  missingSnapshotId: '0b5c2e3d-0000-4000-a000-00000000dead',
  snapshotName: 'snap-one',
  pageSize: 2,
  listPage: (x) => {
    if (x.method !== 'GET' || x.path !== '/v2/instances') return null;
    const cursor = new URLSearchParams(x.query).get('cursor');
    if (!cursor) return 1;
    const m = /__(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    return m ? Math.floor(Number(m[1]) / 2) + 1 : 2;
  },
  isCreate: (x) => x.method === 'POST' && (x.path === '/v2/instances' || x.path === '/v2/bare-metals'),
  raw: (url, key) => jsonApi(url, key),
  async rawUnmanaged(api, name) {
    const r = await api.call('POST', '/v2/instances', { region: 'ewr', plan: 'vc2-1c-1gb', os_id: 2136, label: name, tags: ['web'] });
    expectStatus('raw instance create', r, 202);
    return String(r.body.instance.id);
  },
  async rawSnapshot(api, id) {
    const description = 'hand-made-snapshot';
    const r = await api.call('POST', '/v2/snapshots', { instance_id: id, description });
    expectStatus('raw snapshot create', r, 201);
    const snapId = r.body.snapshot.id as string;
    await until(async () => (await api.call('GET', `/v2/snapshots/${snapId}`)).body?.snapshot?.status === 'complete', 'raw snapshot');
    return description;
  },
  async rawSnapshotNames(api) {
    const r = await api.call('GET', '/v2/snapshots?per_page=500');
    expectStatus('raw snapshot list', r, 200);
    return (r.body.snapshots as { description: string }[]).map((s) => s.description);
  },
  spec: () => {
    const spec = loadOpenApi(VULTR_SPEC);
    if ('missing' in spec) return spec;
    return { check: (x) => check(spec, x) };
  },
};
