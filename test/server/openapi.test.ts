import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { agentOf, OFFERING, party, SSH_KEY, sqliteFactory } from './helpers.js';

describe('/openapi.json', () => {
  let server: ServerHandle;
  let cleanup: () => Promise<void>;
  let doc: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: { schemas: Record<string, object> } };

  before(async () => {
    const made = await sqliteFactory();
    cleanup = made.cleanup;
    server = await startServer({ db: made.db, operatorToken: 't' });
    const res = await fetch(`${server.url}/openapi.json`);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    doc = JSON.parse(await res.text());
  });
  after(async () => {
    await server.close();
    await cleanup();
  });

  it('is OpenAPI 3.1 and lists every implemented route and method', () => {
    assert.equal(doc.openapi, '3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const implemented = server.routes.map((r) => `${r.method} ${r.path}`).sort();
    assert.deepEqual(documented, implemented);
    for (const required of [
      'GET /api/v1/providers/{pubkey}/contracts/pending-provision',
      'PUT /api/v1/provider/rental-requests/{id}/provisioning',
      'POST /api/v1/provider/contracts/{id}/health',
      'POST /api/v1/providers/{pubkey}/heartbeat',
      'POST /api/v1/providers/{pubkey}/contracts/{id}/terminated',
      'POST /api/v1/providers/{pubkey}/reconcile',
      'POST /api/v1/providers/{pubkey}/contracts/{id}/lock',
      'DELETE /api/v1/providers/{pubkey}/contracts/{id}/lock',
    ]) assert.ok(implemented.includes(required), required);
  });

  it('has schemas that compile and describe what the server actually sends', async () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const validate = (path: string, method: string, data: unknown) => {
      const schema = doc.paths[path]![method]!.responses['200']!.content!['application/json']!.schema;
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'));
      const ok = ajv.validate(rewritten, data);
      assert.ok(ok, `${method} ${path}: ${ajv.errorsText()}`);
    };
    for (const name of Object.keys(doc.components.schemas)) ajv.getSchema(`doc#/components/schemas/${name}`);

    const provider = party(server.url);
    const requester = party(server.url);
    const agent = await agentOf(server.url, provider);
    const offer = await provider.client.addOffering(OFFERING);
    const contract = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
    const get = async (path: string, client = agent.client) => {
      const res = await fetch(server.url + path, { headers: (await import('../../src/protocol/signing.js')).signRequest(client === agent.client ? agent.secretKey : requester.secretKey, 'GET', path, '', { role: client === agent.client ? 'agent' : 'provider' }) });
      return res.json();
    };
    validate('/api/v1/providers/{pubkey}/contracts/pending-provision', 'get', await get(`/api/v1/providers/${provider.publicKey}/contracts/pending-provision`));
    const poll = (await get(`/api/v1/providers/${provider.publicKey}/contracts/pending-provision?teardown=0`)) as { data: { pending: unknown; teardown: unknown; cursor: unknown } };
    assert.ok(Array.isArray(poll.data.pending) && Array.isArray(poll.data.teardown) && Number.isInteger(poll.data.cursor), 'an AgentPoll when asked for tear-downs');
    validate('/api/v1/providers/{pubkey}/contracts/pending-provision', 'get', poll);
    validate('/api/v1/contracts/{id}', 'get', await get(`/api/v1/contracts/${contract.contract_id}`, requester.client));
    validate('/api/v1/offerings', 'get', await (await fetch(`${server.url}/api/v1/offerings`)).json());
  });
});
