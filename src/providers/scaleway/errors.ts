/**
 * Scaleway's error bodies → ferry's kinds, by `type` (the standard errors @scaleway/sdk-client
 * knows, plus the Instance API's legacy invalid_request_error / unknown_resource), and Scaleway's
 * X-RateLimit-* headers as a rate-limit reading.
 */
import type { ErrorKind } from '../../core/index.js';
import { bucketUntilReset, type ParsedError, type RateLimitStyle } from '../../transport/index.js';
import type { ScwErrorBody } from './schema.js';

interface TypeRule {
  kind: ErrorKind;
  retryable?: boolean;
}

export const ERROR_TYPES: Readonly<Record<string, TypeRule>> = Object.freeze({
  denied_authentication: { kind: 'authentication' },
  authentication_error: { kind: 'authentication' },
  permissions_denied: { kind: 'forbidden' },
  not_found: { kind: 'not_found' },
  unknown_resource: { kind: 'not_found' },
  invalid_arguments: { kind: 'invalid_config', retryable: false },
  invalid_request_error: { kind: 'invalid_config', retryable: false },
  precondition_failed: { kind: 'conflict', retryable: false },
  already_exists: { kind: 'conflict', retryable: false },
  // the resource is changing state (starting, stopping…): worth waiting for
  transient_state: { kind: 'conflict', retryable: true },
  locked: { kind: 'forbidden', retryable: false },
  quotas_exceeded: { kind: 'quota', retryable: false },
  out_of_stock: { kind: 'capacity', retryable: false },
  resource_expired: { kind: 'conflict', retryable: false },
  expired: { kind: 'authentication' },
  too_many_requests: { kind: 'rate_limited', retryable: true },
  internal_error: { kind: 'api', retryable: true },
  service_unavailable: { kind: 'api', retryable: true },
});

/** The message names the arguments invalid_arguments lists, and the resources quotas_exceeded lists. */
function detail(b: ScwErrorBody): string {
  const parts = (b.details ?? []).map((d) =>
    d.argument_name ? `${d.argument_name}: ${d.help_message ?? d.reason ?? 'invalid'}` : d.resource ? `${d.resource}${d.quota !== undefined ? ` (quota ${d.quota})` : ''}` : '',
  );
  const joined = parts.filter(Boolean).join('; ');
  if (joined) return ` (${joined})`;
  return b.help_message ? ` (${b.help_message})` : '';
}

export function parseScalewayError(status: number, body: unknown): ParsedError {
  if (!body || typeof body !== 'object' || typeof (body as ScwErrorBody).type !== 'string') {
    return { message: typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}` };
  }
  const b = body as ScwErrorBody;
  const type = b.type!;
  const message = `${b.message ?? type}${detail(b)} [${type}]`;
  const rule = Object.hasOwn(ERROR_TYPES, type) ? ERROR_TYPES[type] : undefined;
  if (!rule) return { message, code: type };
  return { message, code: type, kind: rule.kind, ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }) };
}

/** X-RateLimit-Limit / -Remaining / -Reset (epoch seconds when the bucket is full again). */
export const scalewayRateLimit: RateLimitStyle = bucketUntilReset('x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset');
