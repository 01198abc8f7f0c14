import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Fetch, FetchInit, FetchResponse, ResponseHeaders } from '../core/index.js';

export interface NodeFetchOptions {
  /** false accepts any certificate: a self-signed PVE host whose owner chose not to verify it. */
  verifyTls?: boolean;
  /**
   * Largest answer taken, before and after decoding: a bigger one rejects with ResponseTooLargeError
   * and its connection is dropped instead of read on (a hostile server cannot fill the memory).
   */
  maxResponseBytes?: number;
}

export class ResponseTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly status: number,
  ) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

const MAX_REDIRECTS = 5;

// node:https (and TLS with it) is loaded by the first https request: an emulator run never needs it.
let httpsModule: Promise<typeof import('node:https')> | undefined;

/**
 * The transport's fetch over node:http(s), for the few things a JSON API needs: a string body,
 * headers, an abort signal, the whole answer as text. As fetch does, it rejects with the signal's
 * reason when aborted (TimeoutError, AbortError), decodes gzip and br answers and follows a
 * GET redirected within its origin. Sockets are kept alive by Node's global agents (an idle one
 * does not hold the process open) unless TLS checks are off, which gets an agent of its own.
 */
export function nodeFetch(o: NodeFetchOptions = {}): Fetch {
  const max = o.maxResponseBytes ?? Number.POSITIVE_INFINITY;
  let insecure: HttpsAgent | undefined;
  const send = async (url: URL, init: FetchInit, redirects: number): Promise<FetchResponse> => {
    init.signal?.throwIfAborted();
    const https = url.protocol === 'https:';
    if (!https && url.protocol !== 'http:') throw new TypeError(`unsupported protocol ${url.protocol} in ${url.origin}`);
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, br', ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const options: RequestOptions = { method: init.method, headers, signal: init.signal };
    let request = httpRequest;
    if (https) {
      const m = await (httpsModule ??= import('node:https'));
      request = m.request;
      if (o.verifyTls === false) options.agent = insecure ??= new m.Agent({ rejectUnauthorized: false, keepAlive: true });
    }
    const res = await new Promise<{ head: IncomingMessage; body: Buffer }>((resolve, reject) => {
      const fail = (err: Error) => reject(init.signal?.aborted ? init.signal.reason : err);
      const req = request(url, options, (head) => {
        const tooLarge = () => {
          req.destroy();
          reject(new ResponseTooLargeError(max, head.statusCode ?? 0));
        };
        if (Number(head.headers['content-length']) > max) return tooLarge();
        const chunks: Buffer[] = [];
        let size = 0;
        head.on('data', (c: Buffer) => {
          size += c.length;
          if (size > max) tooLarge();
          else chunks.push(c);
        });
        head.on('error', fail);
        head.on('end', () => resolve({ head, body: Buffer.concat(chunks) }));
      });
      req.on('error', fail);
      req.end(init.body);
    });
    const status = res.head.statusCode ?? 0;
    const location = res.head.headers.location;
    if (init.method === 'GET' && status >= 300 && status < 400 && location && redirects < MAX_REDIRECTS) {
      const next = new URL(location, url);
      if (next.origin === url.origin) return send(next, init, redirects + 1);
    }
    const text = await decode(res.body, res.head.headers['content-encoding'], max).catch((err: unknown) => {
      throw err instanceof RangeError ? new ResponseTooLargeError(max, status) : err;
    });
    return {
      status,
      statusText: res.head.statusMessage ?? '',
      ok: status >= 200 && status < 300,
      headers: headersOf(res.head),
      text: () => Promise.resolve(text),
    };
  };
  return (url, init) => send(new URL(url), init, 0);
}

function headersOf(res: IncomingMessage): ResponseHeaders {
  return {
    get(name) {
      const v = res.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/** A RangeError when the decoded answer would pass max bytes. */
async function decode(body: Buffer, encoding: string | undefined, max: number): Promise<string> {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity' || body.length === 0) return body.toString('utf8');
  const gzip = coding === 'gzip' || coding === 'x-gzip';
  if (!gzip && coding !== 'br') throw new TypeError(`unsupported content-encoding ${coding}`);
  const zlib = await import('node:zlib');
  const limit = Number.isFinite(max) ? { maxOutputLength: max } : {};
  const out = await new Promise<Buffer>((resolve, reject) => {
    const done = (err: Error | null, result: Buffer) => (err ? reject(err) : resolve(result));
    if (gzip) zlib.gunzip(body, limit, done);
    else zlib.brotliDecompress(body, limit, done);
  });
  return out.toString('utf8');
}

/** The fetch every driver uses unless its settings inject one. */
export const defaultFetch: Fetch = nodeFetch();
