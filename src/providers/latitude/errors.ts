/**
 * Latitude.sh's JSON:API error document `{"errors":[{"code","status","title","detail","source"}]}`
 * → ferry's error kinds. The status decides unless the code says more; the codes below are the
 * ones seen in the public material (`not_found` in the Terraform provider's mocks) plus the
 * stock and quota refusals ferry must tell apart from bad input.
 */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';
import type { LsErrorBody } from './schema.js';

interface CodeRule {
  kind: ErrorKind;
  retryable?: boolean;
}

export const ERROR_CODES: Readonly<Record<string, CodeRule>> = Object.freeze({
  not_found: { kind: 'not_found' },
  unauthorized: { kind: 'authentication' },
  forbidden: { kind: 'forbidden' },
  // the plan is not in stock at that site (placement tries elsewhere)
  out_of_stock: { kind: 'capacity', retryable: false },
  // the team's limit of bare-metal servers (TeamInclude.limits.bare_metal)
  limit_reached: { kind: 'quota', retryable: false },
  // another operation holds the server (deploying, locked)
  server_locked: { kind: 'conflict', retryable: false },
  server_busy: { kind: 'conflict', retryable: true },
  invalid_attribute: { kind: 'invalid_config', retryable: false },
  rate_limited: { kind: 'rate_limited', retryable: true },
});

export function parseLatitudeError(status: number, body: unknown): ParsedError {
  const errors = body && typeof body === 'object' ? (body as LsErrorBody).errors : undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (!first || typeof first !== 'object') {
    const text = typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
    return { message: text };
  }
  const code = typeof first.code === 'string' ? first.code : undefined;
  const where = first.source?.pointer ? ` (${first.source.pointer})` : '';
  const text = [first.title, first.detail].filter((s) => typeof s === 'string' && s && s !== 'Error').join(': ') || `HTTP ${status}`;
  const message = `${text}${where}${code ? ` [${code}]` : ''}`;
  const rule = code && Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code] : undefined;
  if (!rule) return code ? { message, code } : { message };
  return { message, code: code!, kind: rule.kind, ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }) };
}
