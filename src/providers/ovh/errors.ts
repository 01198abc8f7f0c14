/**
 * OVH's error bodies → ferry's kinds. The API answers `{"class": "Client::NotFound", "message"}`;
 * its gateway answers `{"errorCode": "INVALID_SIGNATURE" | "QUERY_TIME_OUT" | "INVALID_CREDENTIAL" |
 * "INVALID_KEY" | "NOT_CREDENTIAL", "httpCode", "message"}`. The code (errorCode, else class) goes
 * to the error's subject. Refused keys are authentication errors whatever the status (OVH answers
 * 400 for a bad signature and 403 for an unknown application key).
 */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';

/** The API refused our timestamp: the clock offset is learnt again and the call re-sent once. */
export const TIME_REFUSED = /query out of time|invalid timestamp/i;

const AUTH_CODES = new Set(['INVALID_SIGNATURE', 'INVALID_CREDENTIAL', 'INVALID_KEY', 'NOT_CREDENTIAL', 'NOT_GRANTED_CALL', 'QUERY_TIME_OUT']);

export function parseOvhError(status: number, body: unknown): ParsedError {
  const e = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  const message = typeof e?.message === 'string' ? e.message : typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
  const code = typeof e?.errorCode === 'string' ? e.errorCode : typeof e?.class === 'string' ? e.class : undefined;
  let kind: ErrorKind | undefined;
  if (code && AUTH_CODES.has(code)) kind = code === 'NOT_GRANTED_CALL' ? 'forbidden' : 'authentication';
  else if (status === 400 && /out of stock|not available|no stock|unavailable/i.test(message)) kind = 'capacity';
  else if (status === 409 || /already running|task is already/i.test(message)) kind = 'conflict';
  return { message, ...(code ? { code } : {}), ...(kind ? { kind, retryable: false } : {}) };
}
