/** The control-plane client's HTTP details: page queries, a size-capped body reader, an abortable pause. */
import { ProviderError } from '../core/errors.js';

const PROVIDER = 'control-plane';

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function pageQuery(page: { limit?: number; after?: string }): string {
  const q = new URLSearchParams();
  if (page.limit !== undefined) q.set('limit', String(page.limit));
  if (page.after) q.set('after', page.after);
  return q.toString() ? `?${q.toString()}` : '';
}

/** The body as text, refusing (and cancelling) one larger than max bytes, whatever Content-Length said. */
export async function readCapped(res: Response, max: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  const tooLarge = () =>
    new ProviderError({ kind: 'api', provider: PROVIDER, status: res.status, message: `the control plane answered more than ${max} bytes; refused` });
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

