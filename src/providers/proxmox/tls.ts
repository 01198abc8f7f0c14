import { request, Agent } from 'node:https';

/**
 * A fetch for PVE hosts with self-signed certificates (the default PVE install), used
 * only when the user sets verifyTls=false. Node's fetch cannot take a TLS option
 * without the undici package (ferry adds no dependency for it), so HTTPS requests go
 * through node:https with certificate checks off; plain HTTP goes to the normal fetch.
 * It handles what the transport sends: string bodies, headers, an abort signal.
 */
export function insecureTlsFetch(fallback: typeof fetch = globalThis.fetch): typeof fetch {
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  return (async (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1] = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'https:') return fallback(input, init);
    if (init.body != null && typeof init.body !== 'string') throw new TypeError('insecureTlsFetch sends string bodies only');
    const signal = init.signal ?? undefined;
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) v.forEach((item) => out.append(k, item));
            else if (v !== undefined) out.set(k, v);
          }
          const status = res.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: out }));
        });
      });
      // An aborted request rejects with the signal's reason (TimeoutError, AbortError), as fetch does.
      req.on('error', (err) => reject(signal?.aborted ? signal.reason : err));
      if (typeof init.body === 'string') req.write(init.body);
      req.end();
    });
  }) as typeof fetch;
}
