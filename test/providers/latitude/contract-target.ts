/**
 * Latitude.sh in the shared contract suite. With no official machine-readable description, the
 * traffic is checked against the JSON Schemas in ./schemas, written down from the official Go SDK
 * and the Terraform provider's recorded answers (sources named in each file).
 */
import type { ContractTarget } from '../../contract/targets.js';
import { schemaChecker, type SchemaRoute } from '../../support/json-schema-routes.js';

const SV = '/servers/sv_[A-Za-z0-9]+';

export const LATITUDE_ROUTES: SchemaRoute[] = [
  { method: 'GET', path: /^\/servers$/, responses: { 200: 'servers' } },
  { method: 'POST', path: /^\/servers$/, request: 'createServer', responses: { 201: 'server' } },
  { method: 'GET', path: new RegExp(`^${SV}$`), responses: { 200: 'server' } },
  { method: 'PATCH', path: new RegExp(`^${SV}$`), request: 'updateServer', responses: { 200: 'server' } },
  { method: 'DELETE', path: new RegExp(`^${SV}$`), responses: { 204: 'empty' } },
  { method: 'POST', path: new RegExp(`^${SV}/actions$`), request: 'action', responses: { 201: 'action' } },
  { method: 'POST', path: new RegExp(`^${SV}/reinstall$`), request: 'reinstall', responses: { 201: 'empty' } },
  { method: 'POST', path: new RegExp(`^${SV}/schedule_deletion$`), responses: { 201: 'scheduleDeletion' } },
  { method: 'GET', path: /^\/plans$/, responses: { 200: 'plans' } },
  { method: 'GET', path: /^\/plans\/operating_systems$/, responses: { 200: 'operatingSystems' } },
  { method: 'GET', path: /^\/regions$/, responses: { 200: 'regions' } },
  { method: 'GET', path: /^\/projects$/, responses: { 200: 'projects' } },
  { method: 'POST', path: /^\/projects$/, request: 'project', responses: { 201: 'project' } },
  { method: 'GET', path: /^\/ssh_keys$/, responses: { 200: 'sshKeys' } },
  { method: 'POST', path: /^\/ssh_keys$/, request: 'sshKey', responses: { 201: 'sshKey' } },
  { method: 'GET', path: /^\/tags$/, responses: { 200: 'tags' } },
  { method: 'POST', path: /^\/tags$/, request: 'tag', responses: { 201: 'tag' } },
  { method: 'POST', path: /^\/user_data$/, request: 'userData', responses: { 201: 'userData' } },
  { method: 'GET', path: /^\/firewalls$/, responses: { 200: 'firewalls' } },
  { method: 'POST', path: /^\/firewalls$/, request: 'firewall', responses: { 201: 'firewall' } },
  { method: 'DELETE', path: /^\/firewalls\/fw_[A-Za-z0-9]+$/, responses: { 204: 'empty' } },
  { method: 'GET', path: /^\/virtual_networks$/, responses: { 200: 'virtualNetworks' } },
  { method: 'POST', path: /^\/virtual_networks$/, request: 'virtualNetwork', responses: { 201: 'virtualNetwork' } },
  { method: 'DELETE', path: /^\/virtual_networks\/vlan_[A-Za-z0-9]+$/, responses: { 204: 'empty' } },
];

export const latitudeSchemaCheck = () => schemaChecker('test/providers/latitude/schemas', LATITUDE_ROUTES);

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
  provider: 'latitude',
  credentials: (token) => ({ token }),
  secret: 'contract-latitude-key-5f1c',
  options: { pageSize: '2' },
  valid: { region: 'SAO', size: 'c2-small-x86', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'ATL', names: /\bSAO\b/ },
    size: { value: 'c9-huge-x86', names: /\bc2-small-x86\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu_24_04_x64_lts/ },
  },
  missingId: 'sv_missing0000000',
  missingSnapshotId: 'sv_missing0000000',
  snapshotName: 'snap-one',
  pageSize: 2,
  listPage: (x) => (x.method === 'GET' && x.path === '/servers' ? Number(new URLSearchParams(x.query).get('page[number]') ?? '1') : null),
  isCreate: (x) => x.method === 'POST' && x.path === '/servers',
  raw: (url, token) => ({ call: (method, path, body) => raw(url, token, method, path, body) }),
  async rawUnmanaged(api, name) {
    const projects = await api.call('GET', '/projects');
    const project = projects.body.data[0].id as string;
    const r = await api.call('POST', '/servers', { data: { type: 'servers', attributes: { project, plan: 'c2-small-x86', site: 'SAO', operating_system: 'debian_12', hostname: name } } });
    if (r.status !== 201) throw new Error(`raw server create: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data.id as string;
  },
  rawSnapshot: () => Promise.reject(new Error('Latitude.sh has no snapshots')),
  rawSnapshotNames: () => Promise.resolve([]),
  spec: () => ({ check: latitudeSchemaCheck() }),
};
