import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ProviderError } from '../../src/core/index.js';
import { HttpClient, nodeFetch, rateLimitStyles, ResponseTooLargeError } from '../../src/transport/index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server answering each request with `handle`; unknown paths fail the test. */
async function server(handle: (req: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(r);
      handle(r, res);
    });
  });
  s.on('connection', () => connections++);
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    connections: () => connections,
    close: () => new Promise<void>((ok) => (s.closeAllConnections(), s.close(() => ok()))),
  };
}

const f = nodeFetch();

test('sends the method, headers and body; reads status, reason, headers and text', async () => {
  const srv = await server((req, res) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(201, 'Made It', { 'content-type': 'application/json', 'x-request-id': 'r-1' });
    res.end(JSON.stringify({ echoed: req.body }));
  });
  try {
    const body = JSON.stringify({ name: 'é' });
    const res = await f(`${srv.url}/v1/servers?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body });
    assert.equal(res.status, 201);
    assert.equal(res.statusText, 'Made It');
    assert.equal(res.ok, true);
    assert.equal(res.headers.get('X-Request-Id'), 'r-1');
    assert.equal(res.headers.get('set-cookie'), 'a=1, b=2');
    assert.equal(res.headers.get('x-missing'), null);
    assert.deepEqual(JSON.parse(await res.text()), { echoed: body });
    const [req] = srv.seen;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.url, '/v1/servers?x=1');
    assert.equal(req!.headers.authorization, 'Bearer t');
    assert.equal(req!.headers['content-length'], String(Buffer.byteLength(body)));
    const notOk = await f(`${srv.url}/`, { method: 'GET', headers: {} });
    assert.equal(notOk.ok, true);
  } finally {
    await srv.close();
  }
});

test('gzip and br answers are decoded; an unknown coding is refused', async () => {
  const text = JSON.stringify({ servers: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `s-${i}` })) });
  const srv = await server((req, res) => {
    const coding = req.url.slice(1);
    const data = coding === 'gzip' ? gzipSync(text) : coding === 'br' ? brotliCompressSync(text) : Buffer.from(text);
    res.writeHead(200, { 'content-encoding': coding, 'content-type': 'application/json' });
    res.end(data);
  });
  try {
    for (const coding of ['gzip', 'br']) {
      const res = await f(`${srv.url}/${coding}`, { method: 'GET', headers: {} });
      assert.equal(await res.text(), text, coding);
    }
    assert.equal(srv.seen[0]!.headers['accept-encoding'], 'gzip, br');
    await assert.rejects(f(`${srv.url}/compress`, { method: 'GET', headers: {} }), /unsupported content-encoding compress/);
  } finally {
    await srv.close();
  }
});

test('an answer over maxResponseBytes is refused, declared, streamed or inflated past it, and the connection dropped', async () => {
  const max = 64 * 1024;
  let streamed = 0;
  let streamClosed!: () => void;
  const closed = new Promise<void>((ok) => (streamClosed = ok));
  const srv = await server((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(max + 1) });
      return void res.write('{');
    }
    if (req.url === '/bomb') {
      // 64 MiB of spaces inflate from ≈ 64 KiB of gzip.
      res.writeHead(200, { 'content-encoding': 'gzip' });
      return void res.end(gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
    }
    if (req.url === '/fits') return void res.end('x'.repeat(max));
    res.writeHead(200);
    res.on('close', streamClosed);
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && streamed < 64 * 1024 * 1024) {
        streamed += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  const capped = nodeFetch({ maxResponseBytes: max });
  try {
    assert.equal((await (await capped(`${srv.url}/fits`, { method: 'GET', headers: {} })).text()).length, max);
    for (const path of ['/declared', '/bomb', '/stream']) {
      const err = await capped(`${srv.url}${path}`, { method: 'GET', headers: {} }).catch((e: unknown) => e);
      assert.ok(err instanceof ResponseTooLargeError, `${path}: ${String(err)}`);
      assert.equal(err.limit, max);
      assert.equal(err.status, 200);
    }
    await closed;
    assert.ok(streamed < 16 * 1024 * 1024, `the server got to send ${streamed} bytes: the client kept reading`);
  } finally {
    await srv.close();
  }
});

test('a GET follows a redirect within its origin; other origins and other methods get the 3xx', async () => {
  const srv = await server((req, res) => {
    if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
    else if (req.url === '/away') res.writeHead(302, { location: 'http://127.0.0.2:9/elsewhere' }).end();
    else res.writeHead(200).end(`at ${req.url}`);
  });
  try {
    assert.equal(await (await f(`${srv.url}/old`, { method: 'GET', headers: {} })).text(), 'at /new');
    assert.equal((await f(`${srv.url}/away`, { method: 'GET', headers: {} })).status, 302);
    assert.equal((await f(`${srv.url}/old`, { method: 'POST', headers: {}, body: '{}' })).status, 301);
    assert.deepEqual(srv.seen.map((r) => `${r.method} ${r.url}`), ['GET /old', 'GET /new', 'GET /away', 'POST /old']);
  } finally {
    await srv.close();
  }
});

test('sequential requests reuse one kept-alive connection', async () => {
  const srv = await server((_req, res) => res.end('{}'));
  try {
    for (let i = 0; i < 3; i++) await (await f(`${srv.url}/x`, { method: 'GET', headers: {} })).text();
    assert.equal(srv.connections(), 1);
  } finally {
    await srv.close();
  }
});

function client(url: string, timeoutMs = 10_000) {
  return new HttpClient({
    provider: 'testcloud',
    baseUrl: url,
    timeoutMs,
    auth: { kind: 'bearer', token: 'tok-SECRET-1' },
    rateLimit: rateLimitStyles.none,
    parseError: () => ({ message: 'error' }),
    http: { maxRetries: 0, budgets: new Map() },
  });
}

test('through the transport: a timeout, a cancel and a refused connection map as fetch failures did', async () => {
  const silent = await server(() => undefined); // never answers
  try {
    await assert.rejects(client(silent.url, 50).get('/slow'), (e) => ProviderError.is(e, 'timeout') && /timed out after 50 ms/.test(e.message));
    const stop = new AbortController();
    const pending = client(silent.url).get('/slow', { signal: stop.signal });
    stop.abort();
    await assert.rejects(pending, (e) => ProviderError.is(e, 'cancelled'));
  } finally {
    await silent.close();
  }
  // The closed server's port now refuses: the request provably never left, so even a create may be re-sent.
  await assert.rejects(client(silent.url).post('/servers', {}), (e) => ProviderError.is(e, 'network') && e.sent === false && !e.message.includes('tok-SECRET-1'));
});
