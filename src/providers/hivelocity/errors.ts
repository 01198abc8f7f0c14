/**
 * Hivelocity's error body `{"code": <status>, "message": <reason>, "description": <text>}` → ferry's
 * error kinds. The API has no machine error code beyond the HTTP status, so the two cases a status
 * cannot tell apart (a 400 that is an empty shelf, a 403 that is an account limit) are read from the
 * description; everything else follows the status.
 */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';

interface HvErrorBody {
  code?: unknown;
  message?: unknown;
  description?: unknown;
}

const OUT_OF_STOCK = /out of stock|no devices? .*available|not available in|no stock|sold out/i;
const ACCOUNT_LIMIT = /limit reached|device limit|exceeds? .*limit/i;
/** A reload refused because the device is powered on ("Please power off device before reloading"). */
export const POWER_OFF_FIRST = /power off device/i;

export function parseHivelocityError(status: number, body: unknown): ParsedError {
  const e = body && typeof body === 'object' ? (body as HvErrorBody) : undefined;
  const description = typeof e?.description === 'string' ? e.description : undefined;
  const reason = typeof e?.message === 'string' ? e.message : undefined;
  const text = description ?? reason ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
  const message = reason && description ? `${description} (${reason})` : text;
  const code = typeof e?.code === 'number' || typeof e?.code === 'string' ? String(e.code) : undefined;
  let kind: ErrorKind | undefined;
  if (status === 400 && OUT_OF_STOCK.test(text)) kind = 'capacity';
  else if (status === 403 && ACCOUNT_LIMIT.test(text)) kind = 'quota';
  return { message, ...(code ? { code } : {}), ...(kind ? { kind, retryable: false } : {}) };
}
