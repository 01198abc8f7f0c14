/**
 * Robot's error body `{"error": {"status", "code", "message"}}` → ferry's kinds. The rate limit is
 * a 403 with code RATE_LIMIT_EXCEEDED (plus max_request and interval), not a 429; a 401 is final
 * (three failed logins block the client's IP, so nothing retries it).
 */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';
import type { RobotErrorBody } from './schema.js';

const KINDS: Record<string, ErrorKind> = {
  RATE_LIMIT_EXCEEDED: 'rate_limited',
  SERVER_NOT_FOUND: 'not_found',
  NOT_FOUND: 'not_found',
  TRANSACTION_NOT_FOUND: 'not_found',
  INVALID_INPUT: 'invalid_config',
  PRODUCT_NOT_FOUND: 'invalid_config',
  CONFLICT: 'conflict',
  SERVER_CANCELLATION_RESERVE_LOCATION_FALSE_ONLY: 'invalid_config',
  CANCELLATION_ALREADY_EXISTS: 'conflict',
  RESET_NOT_AVAILABLE: 'not_supported',
  BOOT_NOT_AVAILABLE: 'not_supported',
  UNAUTHORIZED: 'authentication',
};

export function parseRobotError(status: number, body: unknown): ParsedError {
  const e = body && typeof body === 'object' ? (body as RobotErrorBody).error : undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  let message = typeof e?.message === 'string' ? e.message : typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
  if (code === 'RATE_LIMIT_EXCEEDED' && typeof e?.max_request === 'number') message += ` (at most ${e.max_request} requests per ${e.interval ?? '?'} s)`;
  const names = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : '');
  if (names(e?.missing)) message += ` (missing: ${names(e?.missing)})`;
  if (names(e?.invalid)) message += ` (invalid: ${names(e?.invalid)})`;
  const kind = code ? KINDS[code] : undefined;
  return {
    message,
    ...(code ? { code } : {}),
    ...(kind ? { kind, retryable: kind === 'rate_limited' } : {}),
  };
}
