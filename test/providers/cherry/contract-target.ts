/**
 * Cherry Servers in the shared contract suite. With no official machine-readable description,
 * the traffic is checked against the JSON Schemas in ./schemas, written down from the official Go
 * and Python clients (sources named in each file).
 */
import type { ContractTarget } from '../../contract/targets.js';
import { schemaChecker, type SchemaRoute } from '../../support/json-schema-routes.js';

export const CHERRY_ROUTES: SchemaRoute[] = [
  { method: 'GET', path: /^\/v1\/projects\/\d+\/servers$/, responses: { 200: 'servers' } },
  { method: 'POST', path: /^\/v1\/projects\/\d+\/servers$/, request: 'createServer', responses: { 201: 'server' } },
  { method: 'GET', path: /^\/v1\/servers\/\d+$/, responses: { 200: 'server' } },
  { method: 'PUT', path: /^\/v1\/servers\/\d+$/, request: 'updateServer', responses: { 201: 'server' } },
  { method: 'DELETE', path: /^\/v1\/servers\/\d+$/, responses: { 204: 'empty' } },
  { method: 'POST', path: /^\/v1\/servers\/\d+\/actions$/, request: 'action', responses: { 201: 'server' } },
  { method: 'GET', path: /^\/v1\/teams$/, responses: { 200: 'teams' } },
  { method: 'GET', path: /^\/v1\/teams\/\d+\/projects$/, responses: { 200: 'projects' } },
  { method: 'POST', path: /^\/v1\/teams\/\d+\/projects$/, request: 'project', responses: { 201: 'project' } },
  { method: 'GET', path: /^\/v1\/teams\/\d+\/plans$/, responses: { 200: 'plans' } },
  { method: 'GET', path: /^\/v1\/plans$/, responses: { 200: 'plans' } },
  { method: 'GET', path: /^\/v1\/plans\/[^/]+\/images$/, responses: { 200: 'images' } },
  { method: 'GET', path: /^\/v1\/regions$/, responses: { 200: 'regions' } },
  { method: 'GET', path: /^\/v1\/ssh-keys$/, responses: { 200: 'sshKeys' } },
  { method: 'POST', path: /^\/v1\/ssh-keys$/, request: 'sshKey', responses: { 201: 'sshKey' } },
];

/** GET /servers/{id}?fields=power answers the power object, not the server. */
export const cherrySchemaCheck = () => {
  const check = schemaChecker('test/providers/cherry/schemas', CHERRY_ROUTES);
  const power = schemaChecker('test/providers/cherry/schemas', [{ method: 'GET', path: /^\/v1\/servers\/\d+$/, responses: { 200: 'power' } }]);
  return (x: Parameters<typeof check>[0]) => (x.method === 'GET' && /(^|[?&])fields=power/.test(x.query.replace(/^\?/, '')) ? power(x) : check(x));
};

async function raw(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const target: ContractTarget = {
  provider: 'cherry',
  credentials: (token) => ({ token }),
  secret: 'contract-cherry-key-77a0',
  options: { pageSize: '2' },
  valid: { region: 'eu_nord_1', size: 'e3_1240v3', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'mars_1', names: /\beu_nord_1\b/ },
    size: { value: 'e9_9999', names: /\be3_1240v3\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu_24_04_64bit/ },
  },
  missingId: '987654',
  missingSnapshotId: '987654',
  snapshotName: 'snap-one',
  pageSize: 2,
  listPage: (x) => {
    if (x.method !== 'GET' || !/^\/v1\/projects\/\d+\/servers$/.test(x.path)) return null;
    const q = new URLSearchParams(x.query);
    return Math.floor(Number(q.get('offset') ?? 0) / Number(q.get('limit') ?? 1)) + 1;
  },
  isCreate: (x) => x.method === 'POST' && /^\/v1\/projects\/\d+\/servers$/.test(x.path),
  raw: (url, token) => ({ call: (method, path, body) => raw(url, token, method, path, body) }),
  async rawUnmanaged(api, name) {
    const teams = await api.call('GET', '/v1/teams');
    const project = teams.body[0].projects[0].id as number;
    const r = await api.call('POST', `/v1/projects/${project}/servers`, { plan: 'e3_1240v3', region: 'eu_nord_1', image: 'debian_12_64bit', hostname: name, tags: { role: 'web' }, spot_market: false });
    if (r.status !== 201) throw new Error(`raw server create: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.id);
  },
  rawSnapshot: () => Promise.reject(new Error('Cherry Servers has no snapshots')),
  rawSnapshotNames: () => Promise.resolve([]),
  spec: () => ({ check: cherrySchemaCheck() }),
};
