/**
 * The table the shared contract suite runs over: one row per driver, each with how it is
 * configured against the emulator, a valid and an invalid region/size/image, how to reach
 * the emulated API behind the driver's back (an unmanaged instance, a hand-made snapshot),
 * and the official description its traffic is checked against.
 */
import type { Exchange } from '../../src/emulator/index.js';
import { loadOpenApi } from '../support/openapi.js';
import { loadPveSchema, validateExchange } from '../support/pve-schema.js';

/** Raw calls to an emulated API with the account's credentials: JSON or form in, JSON out. */
export interface RawApi {
  call(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

export interface Choice {
  value: string;
  /** The valid choices the UserError must name (message or hint). */
  names: RegExp;
}

export interface ContractTarget {
  /** Registry name, also the emulated API's name. */
  provider: string;
  /** Credentials with the given secret; a secret starting with "invalid" is refused by the emulator. */
  credentials(secret: string): Record<string, string>;
  secret: string;
  options?: Record<string, string>;
  valid: { region: string; size: string; image: string };
  invalid: { region: Choice; size: Choice; image: Choice };
  /** An id of the provider's format that does not exist. */
  missingId: string;
  /** A snapshot id of the provider's format that does not exist. */
  missingSnapshotId: string;
  /** A snapshot name every driver accepts. */
  snapshotName: string;
  /** Instances in one list page as configured (null: the API lists everything at once). */
  pageSize: number | null;
  /** The page number of a list-instances request, or null for any other exchange. */
  listPage(x: Exchange): number | null;
  /** Whether this exchange is a create of an instance. */
  isCreate(x: Exchange): boolean;
  raw(url: string, secret: string): RawApi;
  /** An instance made behind ferry's back (no ferry labels); returns its id. */
  rawUnmanaged(api: RawApi, name: string): Promise<string>;
  /** A snapshot made behind ferry's back, finished when this resolves; returns its name. */
  rawSnapshot(api: RawApi, instanceId: string, region: string): Promise<string>;
  /** Names of every snapshot of the account / the instance, as the API lists them. */
  rawSnapshotNames(api: RawApi, instanceId: string, region: string): Promise<string[]>;
  /** A checker of exchanges against the official description, or why it is missing. */
  spec(): { check(x: Exchange): string[] } | { missing: string };
}

function jsonApi(url: string, authorization: string): RawApi {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

function formApi(url: string, authorization: string): RawApi {
  return {
    async call(method, path, body) {
      const form = body === undefined ? undefined : new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
        body: form,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Polls a raw GET until done() says so (the emulated clock runs fast, so this is short). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} did not finish`);
}

function expectStatus(what: string, got: { status: number; body: unknown }, ...want: number[]): void {
  if (!want.includes(got.status)) throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body)}`);
}

/** An OpenAPI checker: the request body (when there is one) and the response. */
function openApiSpec(rel: string): () => { check(x: Exchange): string[] } | { missing: string } {
  return () => {
    const spec = loadOpenApi(rel);
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
  };
}

const pageOf = (x: Exchange, method: string, path: string): number | null =>
  x.method === method && x.path === path ? Number(new URLSearchParams(x.query).get('page') ?? '1') : null;

export const DIGITALOCEAN: ContractTarget = {
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

export const HETZNER: ContractTarget = {
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

const PVE_TOKEN_ID = 'root@pam!ferry';

export const PROXMOX: ContractTarget = {
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

export const TARGETS: readonly ContractTarget[] = [DIGITALOCEAN, HETZNER, PROXMOX];
