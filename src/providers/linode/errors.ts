/**
 * Linode's error body `{"errors":[{"reason","field"}]}` → ferry's error kinds. Linode has no error
 * codes, so the status decides the kind, refined by the reasons it documents for quota and capacity.
 */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';
import type { LnErrorBody } from './schema.js';

function reasonsOf(body: unknown): { reason: string; field?: string }[] {
  const errors = (body as LnErrorBody | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e) => e && typeof e === 'object').map((e) => ({ reason: String(e.reason ?? 'unknown error'), ...(e.field ? { field: String(e.field) } : {}) }));
}

/** Reasons that name a limit of the account, or a region out of stock. */
const QUOTA = /limit|quota|maximum number/i;
const CAPACITY = /not available|unavailable in|out of stock|capacity|sold out/i;

export function parseLinodeError(status: number, body: unknown): ParsedError {
  const reasons = reasonsOf(body);
  if (reasons.length === 0) {
    const text = typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
    return { message: text };
  }
  const message = reasons.map((r) => (r.field ? `${r.field}: ${r.reason}` : r.reason)).join('; ');
  const field = reasons.find((r) => r.field)?.field;
  const text = reasons.map((r) => r.reason).join(' ');
  let kind: ErrorKind | undefined;
  let retryable: boolean | undefined;
  if (status === 400 && CAPACITY.test(text)) [kind, retryable] = ['capacity', false];
  else if ((status === 400 || status === 403) && QUOTA.test(text) && !/rate limit/i.test(text)) [kind, retryable] = ['quota', false];
  else if (status === 400) [kind, retryable] = ['invalid_config', false];
  return { message, ...(field ? { code: field } : {}), ...(kind ? { kind } : {}), ...(retryable === undefined ? {} : { retryable }) };
}
