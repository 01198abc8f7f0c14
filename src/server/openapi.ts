/** The OpenAPI 3.1 document, generated from the route table so it cannot miss a route. */
import { schemas, schemaRef } from './api-schemas.js';
import type { Route } from './http.js';

const envelope = (data: object): object => ({
  type: 'object',
  required: ['success'],
  properties: { success: { type: 'boolean' }, data, error: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
});

const signatureHeaders = ['X-Timestamp', 'X-Nonce', 'X-Signature'];

export function openApiDocument(routes: readonly Route[], serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = (route.doc.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: q.schema }));
    const op: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: route.doc.summary,
      tags: [route.doc.tag],
      parameters: [...params, ...query],
      responses: responsesFor(route),
    };
    if (route.auth === 'signed') op.security = [{ PartyKey: [], ...Object.fromEntries(signatureHeaders.map((h) => [h, []])) }, { AgentKey: [], ...Object.fromEntries(signatureHeaders.map((h) => [h, []])) }];
    if (route.auth === 'operator') op.security = [{ OperatorSession: [] }];
    if (route.doc.request) op.requestBody = { required: !route.doc.requestOptional, content: { 'application/json': { schema: route.doc.request } } };
    if (route.doc.response === 'redirect' || route.doc.response === 'html') {
      if (route.method === 'POST') op.requestBody = { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = op;
  }
  const apiKey = (name: string, description: string) => ({ type: 'apiKey', in: 'header', name, description });
  return {
    openapi: '3.1.0',
    info: {
      title: 'ferry control plane',
      version: '1',
      description:
        'Wire-compatible with the Decent Cloud provider API. Signed requests: message = X-Timestamp (Unix ns) ‖ X-Nonce (UUID v4) ‖ METHOD ‖ path (no query) ‖ body; ' +
        'X-Signature = hex Ed25519ph (SHA-512 prehash, context "decent-cloud"); signer in X-Public-Key or, for a delegated agent key, X-Agent-Pubkey. ' +
        'Rejected: more than 5 minutes of skew, a reused nonce, a key that is not the party\'s.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: { ...schemas, Envelope: envelope({}) },
      securitySchemes: {
        PartyKey: apiKey('X-Public-Key', "the party's Ed25519 public key (hex)"),
        AgentKey: apiKey('X-Agent-Pubkey', 'a delegated agent Ed25519 public key (hex)'),
        'X-Timestamp': apiKey('X-Timestamp', 'Unix time in nanoseconds'),
        'X-Nonce': apiKey('X-Nonce', 'UUID v4, single use'),
        'X-Signature': apiKey('X-Signature', 'hex Ed25519ph signature'),
        OperatorSession: { type: 'apiKey', in: 'cookie', name: 'ferry_operator', description: 'set by POST /login with the operator token' },
      },
    },
  };
}

function responsesFor(route: Route): Record<string, unknown> {
  const error = { description: 'error', content: { 'application/json': { schema: envelope({ type: 'null' }) } } };
  if (route.doc.response === 'html') return { '200': { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } }, '303': { description: 'sign in first' } };
  if (route.doc.response === 'redirect') return { '303': { description: 'done; redirect' }, '401': { description: 'not signed in' }, '403': { description: 'bad CSRF token' } };
  const out: Record<string, unknown> = {
    '200': { description: 'success', content: { 'application/json': { schema: envelope(route.doc.response ?? {}) } } },
    '400': error,
    '404': error,
  };
  if (route.auth === 'signed') Object.assign(out, { '401': error, '403': error, '409': error });
  return out;
}

export { schemaRef };
