import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, rateLimitStyles } from '../../src/transport/index.js';
import { HETZNER_RATE_LIMIT } from '../../src/providers/hetzner/client.js';
import { ProviderError } from '../../src/core/index.js';
import { networkError, strictFetch, type Expectation } from '../support/fake-fetch.js';

const TOKEN = 'tok-SECRET-123456';

function client(expect: Expectation[], extra: { log?: string[]; maxRetries?: number } = {}) {
  const f = strictFetch(expect);
  const http = new HttpClient({
    provider: 'testcloud',
    baseUrl: 'https://api.test/v1',
    timeoutMs: 2_000,
    auth: { kind: 'bearer', token: TOKEN },
    rateLimit: HETZNER_RATE_LIMIT,
    parseError: (_s, body) => {
      const e = (body as { error?: { code?: string; message?: string } })?.error;
      return { message: e?.message ?? 'error', code: e?.code, kind: e?.code === 'resource_limit_exceeded' ? 'quota' : undefined };
    },
    requestIdHeader: 'x-request-id',
    http: { fetch: f.fetch, backoffMs: () => 0, maxRetries: extra.maxRetries ?? 3, budgets: new Map(), log: extra.log ? (l) => extra.log!.push(l) : undefined },
  });
  return { http, f };
}

test('sends the bearer token, query and JSON body; parses JSON', async () => {
  const { http, f } = client([
    {
      method: 'POST',
      path: '/v1/servers?dry=true&tag=a&tag=b',
      respond: ({ headers, body }) => {
        assert.equal(headers.get('authorization'), `Bearer ${TOKEN}`);
        assert.equal(headers.get('content-type'), 'application/json');
        assert.deepEqual(JSON.parse(body!), { name: 'x' });
        return { status: 201, body: { server: { id: 1 } } };
      },
    },
  ]);
  const res = await http.post<{ server: { id: number } }>('/servers', { name: 'x' }, { query: { dry: true, tag: ['a', 'b'], skip: undefined } });
  assert.equal(res.status, 201);
  assert.equal(res.body.server.id, 1);
  f.done();
});

test('a GET is retried on 503 and succeeds', async () => {
  const { http, f } = client([
    { method: 'GET', path: '/v1/servers', respond: { status: 503, body: { error: { code: 'unavailable', message: 'busy' } } } },
    { method: 'GET', path: '/v1/servers', respond: { status: 200, body: { servers: [] } } },
  ]);
  assert.deepEqual((await http.get('/servers')).body, { servers: [] });
  f.done();
});

test('a POST is not retried on 503 or a reset: the failure is ambiguous and surfaces', async () => {
  for (const respond of [{ status: 503, body: { error: { message: 'busy' } } }, { throw: networkError('ECONNRESET') }] as const) {
    const { http, f } = client([{ method: 'POST', path: '/v1/servers', respond }]);
    const err = await http.post('/servers', {}).catch((e: unknown) => e);
    assert.ok(err instanceof ProviderError);
    assert.ok(err.kind === 'api' || err.kind === 'network');
    f.done();
  }
});

test('a POST that was never sent (connection refused) is retried', async () => {
  const { http, f } = client([
    { method: 'POST', path: '/v1/servers', respond: { throw: networkError('ECONNREFUSED') } },
    { method: 'POST', path: '/v1/servers', respond: { status: 201, body: {} } },
  ]);
  assert.equal((await http.post('/servers', {})).status, 201);
  f.done();
});

test('429 is retried for any method, honouring Retry-After', async () => {
  const waits: number[] = [];
  const f = strictFetch([
    { method: 'POST', path: '/v1/servers', respond: { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'rate_limit_exceeded', message: 'slow down' } } } },
    { method: 'POST', path: '/v1/servers', respond: { status: 201, body: {} } },
  ]);
  const http = new HttpClient({
    provider: 'testcloud',
    baseUrl: 'https://api.test/v1',
    timeoutMs: 2_000,
    auth: { kind: 'bearer', token: TOKEN },
    rateLimit: rateLimitStyles.none,
    parseError: () => ({ message: 'x' }),
    http: { fetch: f.fetch, budgets: new Map(), backoffMs: (n) => (waits.push(n), 0) },
  });
  assert.equal((await http.post('/servers', {})).status, 201);
  assert.deepEqual(waits, [], 'Retry-After replaces the backoff');
  f.done();
});

test('errors carry kind, status, request id and the provider code; retries stop at maxRetries', async () => {
  const { http, f } = client(
    [
      { method: 'GET', path: '/v1/x', respond: { status: 500, headers: { 'x-request-id': 'req-1' }, body: { error: { code: 'server_error', message: 'boom' } } } },
      { method: 'GET', path: '/v1/x', respond: { status: 500, headers: { 'x-request-id': 'req-2' }, body: { error: { code: 'server_error', message: 'boom' } } } },
    ],
    { maxRetries: 1 },
  );
  const err = (await http.get('/x').catch((e: unknown) => e)) as ProviderError;
  assert.equal(err.kind, 'api');
  assert.equal(err.status, 500);
  assert.equal(err.requestId, 'req-2');
  assert.equal(err.subject, 'server_error');
  assert.equal(err.retryable, true);
  f.done();
});

test('status mapping: 401 authentication, 403 forbidden, 404 not_found, 422 invalid_config; parseError may override', async () => {
  const cases: [number, string, string | undefined][] = [
    [401, 'authentication', undefined],
    [403, 'forbidden', undefined],
    [404, 'not_found', undefined],
    [422, 'invalid_config', undefined],
    [403, 'quota', 'resource_limit_exceeded'],
  ];
  for (const [status, kind, code] of cases) {
    const { http, f } = client([{ method: 'DELETE', path: '/v1/servers/1', respond: { status, body: { error: { code, message: 'no' } } } }]);
    const err = (await http.delete('/servers/1').catch((e: unknown) => e)) as ProviderError;
    assert.equal(err.kind, kind, `status ${status}`);
    assert.equal(err.retryable, false);
    f.done();
  }
});

test('tokens are redacted from log lines and error messages', async () => {
  const log: string[] = [];
  const { http, f } = client(
    [{ method: 'GET', path: `/v1/echo/${TOKEN}`, respond: { status: 400, body: { error: { message: `bad token ${TOKEN}` } } } }],
    { log },
  );
  const err = (await http.get(`/echo/${TOKEN}`).catch((e: unknown) => e)) as ProviderError;
  assert.ok(!err.message.includes(TOKEN), err.message);
  assert.match(err.message, /\*\*\*/);
  assert.equal(log.length, 1);
  assert.ok(!log[0]!.includes(TOKEN), log[0]);
  f.done();
});

test('a request that outlives its timeout is a retryable timeout error', async () => {
  const slow = (async (_u: unknown, init?: RequestInit) =>
    new Promise<Response>((_ok, fail) => init?.signal?.addEventListener('abort', () => fail(init.signal!.reason)))) as typeof fetch;
  const http = new HttpClient({
    provider: 'testcloud',
    baseUrl: 'https://api.test',
    timeoutMs: 20,
    auth: { kind: 'none' },
    rateLimit: rateLimitStyles.none,
    parseError: () => ({ message: 'x' }),
    http: { fetch: slow, maxRetries: 0, budgets: new Map() },
  });
  const keepAlive = setInterval(() => {}, 1000); // AbortSignal.timeout is unref'd; a real socket would hold the loop
  const err = (await http.get('/slow').catch((e: unknown) => e)) as ProviderError;
  clearInterval(keepAlive);
  assert.equal(err.kind, 'timeout');
  assert.equal(err.retryable, true);
});

test('a signing auth sets its headers over method, URL and body; its secrets are redacted; a decoder reads XML', async () => {
  const f = strictFetch([
    {
      method: 'POST',
      path: '/v1/orders?cart=c1',
      respond: ({ headers, body }) => {
        assert.equal(headers.get('x-signature'), `POST https://api.test/v1/orders?cart=c1 ${body}`);
        return { status: 400, body: { message: 'bad signature with app-secret-XYZ' } };
      },
    },
    { method: 'GET', path: '/v1/time', respond: { status: 200, body: '<r><t>42</t></r>', headers: { 'content-type': 'application/xml' } } },
  ]);
  const http = new HttpClient({
    provider: 'signcloud',
    baseUrl: 'https://api.test/v1',
    timeoutMs: 2_000,
    auth: { kind: 'sign', account: 'app-key', secrets: ['app-secret-XYZ'], sign: (r) => void (r.headers['x-signature'] = `${r.method} ${r.url} ${r.body}`) },
    rateLimit: rateLimitStyles.none,
    parseError: (_s, body) => ({ message: (body as { message: string }).message }),
    decode: (text, type) => (type?.includes('xml') ? { xml: text } : JSON.parse(text)),
    http: { fetch: f.fetch, backoffMs: () => 0, maxRetries: 0, budgets: new Map() },
  });
  await assert.rejects(http.post('/orders', { item: 1 }, { query: { cart: 'c1' } }), (e: ProviderError) => {
    assert.ok(!e.message.includes('app-secret-XYZ'), e.message);
    return e.kind === 'invalid_config';
  });
  assert.match((await http.get<{ xml: string }>('/time')).body.xml, /<r><t>42<\/t><\/r>/, 'the decoder saw the XML text');
  f.done();
});
