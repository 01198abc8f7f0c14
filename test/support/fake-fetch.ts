import assert from 'node:assert/strict';

export interface Expectation {
  method: string;
  /** Path plus query, e.g. "/v1/servers?page=2". */
  path: string;
  /** Response to give; a function may inspect the request. `throw` simulates a network failure. */
  respond:
    | { status: number; body?: unknown; headers?: Record<string, string> }
    | { throw: Error }
    | ((req: { headers: Headers; body: string | undefined }) => { status: number; body?: unknown; headers?: Record<string, string> });
}

/**
 * A strict fetch for per-test fixtures: requests must come in the expected order;
 * any unexpected request fails the test. `done()` asserts every expectation was used.
 */
export function strictFetch(expectations: Expectation[]): { fetch: typeof fetch; done(): void; seen: string[] } {
  const queue = [...expectations];
  const seen: string[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname}${url.search}`;
    seen.push(key);
    const next = queue.shift();
    assert.ok(next, `unexpected request: ${key}`);
    assert.equal(key, `${next.method} ${next.path}`, 'request out of order or unexpected');
    const r = typeof next.respond === 'function'
      ? next.respond({ headers: new Headers(init?.headers), body: init?.body as string | undefined })
      : next.respond;
    if ('throw' in r) throw r.throw;
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json', ...r.headers } });
  };
  return {
    fetch: fake as typeof fetch,
    seen,
    done: () => assert.deepEqual(queue.map((e) => `${e.method} ${e.path}`), [], 'expected requests were not made'),
  };
}

/** A network error as undici reports it. */
export function networkError(code: string): Error {
  return Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
}
