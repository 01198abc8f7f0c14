import { ProviderError, type ErrorKind } from '../core/index.js';

/** What a driver's parseError reads out of the provider's error body. */
export interface ParsedError {
  message: string;
  code?: string;
  kind?: ErrorKind;
  retryable?: boolean;
  /** Where the provider puts it in the body (DigitalOcean's request_id) rather than a header. */
  requestId?: string;
  /** The request field the provider names as wrong, when its error body says (region, size, image…). */
  field?: string;
}

export function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'authentication';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 423) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 422) return 'invalid_config';
  if (status === 408 || status === 504) return 'timeout';
  return 'api';
}

/** 5xx are worth another try; 501 (not implemented) is not. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501);
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** A fetch that threw: timeout, abort, or a network failure (reset, refused, DNS). */
export function mapFetchFailure(provider: string, err: unknown, what: string, timeoutMs: number): ProviderError {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; code?: string };
  if (e?.name === 'TimeoutError') {
    return new ProviderError({ kind: 'timeout', provider, message: `${what} timed out after ${timeoutMs} ms`, cause: err });
  }
  if (e?.name === 'AbortError') {
    return new ProviderError({ kind: 'cancelled', provider, message: `${what} cancelled`, cause: err });
  }
  const code = e?.cause?.code ?? e?.code;
  return new ProviderError({
    kind: 'network',
    provider,
    sent: code && NOT_SENT_CODES.has(code) ? false : undefined,
    message: `${what} failed: ${code ?? e?.cause?.message ?? (err as Error)?.message ?? 'network error'}`,
    cause: err,
  });
}

/** True when the request provably never reached the server, so even a create may be re-sent. */
export function neverSent(err: ProviderError): boolean {
  return err.kind === 'network' && err.sent === false;
}
