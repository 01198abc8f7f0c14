/**
 * The Hetzner Robot row of the contract suite. Robot publishes no machine-readable description, so
 * the traffic is checked against the JSON Schemas in ./schemas, written down from the webservice
 * documentation (https://robot.hetzner.com/doc/webservice/en.html; sources named in each file):
 * the emulator's answers and the driver's form bodies alike.
 */
import { formApi, type ContractTarget } from '../../contract/targets.js';
import { schemaChecker, type SchemaRoute } from '../../support/json-schema-routes.js';

export const ROBOT_ROUTES: SchemaRoute[] = [
  { method: 'GET', path: /^\/server$/, responses: { 200: 'serverList' } },
  { method: 'GET', path: /^\/server\/\d+$/, responses: { 200: 'serverOne' } },
  { method: 'POST', path: /^\/server\/\d+$/, request: 'serverName', responses: { 200: 'serverOne' } },
  { method: 'GET', path: /^\/server\/\d+\/cancellation$/, responses: { 200: 'cancellationOne' } },
  { method: 'POST', path: /^\/server\/\d+\/cancellation$/, request: 'cancellation', responses: { 200: 'cancellationOne', 201: 'cancellationOne' } },
  { method: 'GET', path: /^\/boot\/\d+\/rescue$/, responses: { 200: 'rescueOne' } },
  { method: 'POST', path: /^\/boot\/\d+\/rescue$/, request: 'rescue', responses: { 200: 'rescueOne' } },
  { method: 'POST', path: /^\/reset\/\d+$/, request: 'reset', responses: { 200: 'resetOne' } },
  { method: 'GET', path: /^\/order\/server\/product$/, responses: { 200: 'productList' } },
  { method: 'GET', path: /^\/order\/server_market\/product$/, responses: { 200: 'marketList' } },
  { method: 'GET', path: /^\/order\/(server|server_market)\/transaction$/, responses: { 200: 'transactionList' } },
  { method: 'GET', path: /^\/order\/(server|server_market)\/transaction\/[^/]+$/, responses: { 200: 'transactionOne' } },
  { method: 'POST', path: /^\/order\/server\/transaction$/, request: 'order', responses: { 200: 'transactionOne', 201: 'transactionOne' } },
  { method: 'POST', path: /^\/order\/server_market\/transaction$/, request: 'marketOrder', responses: { 200: 'transactionOne', 201: 'transactionOne' } },
  { method: 'GET', path: /^\/key$/, responses: { 200: 'keyList' } },
  { method: 'POST', path: /^\/key$/, request: 'key', responses: { 200: 'keyOne', 201: 'keyOne' } },
];

export const SCHEMAS = 'test/providers/hetzner-robot/schemas';
export const robotSchemaCheck = () => schemaChecker(SCHEMAS, ROBOT_ROUTES);
export const USER = 'ferry-ws-user';
export const basic = (password: string, user = USER) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const target: ContractTarget = {
  provider: 'hetzner-robot',
  credentials: (password) => ({ user: USER, password }),
  secret: 'robot-contract-pw-3e81',
  valid: { region: 'FSN1', size: 'EX44', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'MARS1', names: /\bFSN1\b/ },
    size: { value: 'EX999', names: /\bEX44\b/ },
    image: { value: 'ubuntu-10.04', names: /Ubuntu 24\.04/ },
  },
  missingId: 'B20991231-999999-999999',
  missingSnapshotId: '987654321',
  snapshotName: 'snap-one',
  // Robot lists servers and transactions whole.
  pageSize: null,
  listPage: () => null,
  isCreate: (x) => x.method === 'POST' && /^\/order\/(server|server_market)\/transaction$/.test(x.path),
  raw: (url, password) => formApi(url, basic(password)),
  async rawUnmanaged(api, _name) {
    const r = await api.call('POST', '/order/server/transaction', { product_id: 'AX42', location: 'NBG1', dist: 'Debian 12 base', lang: 'en', password: 'hand-made-0815' });
    if (r.status !== 201) throw new Error(`raw order: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.transaction.id);
  },
  rawSnapshot: () => Promise.reject(new Error('Robot has no snapshots')),
  rawSnapshotNames: () => Promise.resolve([]),
  spec: () => ({ check: robotSchemaCheck() }),
};
