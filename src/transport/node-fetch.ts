import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { promisify } from 'node:util';
import type { Fetch, FetchInit, FetchResponse, ResponseHeaders } from '../core/index.js';

export interface NodeFetchOptions {
  /** false accepts any certificate: a self-signed PVE host whose owner chose not to verify it. */
  verifyTls?: boolean;
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
        const chunks: Buffer[] = [];
        head.on('data', (c: Buffer) => chunks.push(c));
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
    const text = await decode(res.body, res.head.headers['content-encoding']);
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

async function decode(body: Buffer, encoding: string | undefined): Promise<string> {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity' || body.length === 0) return body.toString('utf8');
  const zlib = await import('node:zlib');
  const inflate = coding === 'gzip' || coding === 'x-gzip' ? zlib.gunzip : coding === 'br' ? zlib.brotliDecompress : undefined;
  if (!inflate) throw new TypeError(`unsupported content-encoding ${coding}`);
  return (await promisify(inflate)(body)).toString('utf8');
}

/** The fetch every driver uses unless its settings inject one. */
export const defaultFetch: Fetch = nodeFetch();
