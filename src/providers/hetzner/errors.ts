/** Hetzner Cloud's error body `{"error":{"code","message","details"}}` → ferry's error kinds. */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';

interface CodeRule {
  kind: ErrorKind;
  retryable?: boolean;
}

/** The documented error codes (docs.hetzner.cloud "Errors"), plus the create-specific placement_error. */
export const ERROR_CODES: Readonly<Record<string, CodeRule>> = Object.freeze({
  unauthorized: { kind: 'authentication' },
  forbidden: { kind: 'forbidden' },
  token_readonly: { kind: 'forbidden' },
  not_found: { kind: 'not_found' },
  rate_limit_exceeded: { kind: 'rate_limited', retryable: true },
  // "exceeding the maximum quantity of a resource for an account" (403)
  resource_limit_exceeded: { kind: 'quota', retryable: false },
  // sold out in that location, or no host to place the server on (412)
  resource_unavailable: { kind: 'capacity', retryable: false },
  placement_error: { kind: 'capacity', retryable: false },
  invalid_input: { kind: 'invalid_config', retryable: false },
  json_error: { kind: 'invalid_config', retryable: false },
  unsupported_error: { kind: 'invalid_config', retryable: false },
  uniqueness_error: { kind: 'conflict', retryable: false },
  // "the resource has changed during the request, please retry"
  conflict: { kind: 'conflict', retryable: true },
  // another action is running on the resource: worth waiting for
  locked: { kind: 'conflict', retryable: true },
  protected: { kind: 'conflict', retryable: false },
  resource_in_use: { kind: 'conflict', retryable: false },
  volume_already_attached: { kind: 'conflict', retryable: false },
  no_space_left_in_location: { kind: 'capacity', retryable: false },
  server_error: { kind: 'api', retryable: true },
  service_error: { kind: 'api', retryable: true },
  service_unavailable: { kind: 'api', retryable: true },
  unavailable: { kind: 'api', retryable: true },
  maintenance: { kind: 'api', retryable: true },
  timeout: { kind: 'timeout', retryable: true },
  deprecated_api_endpoint: { kind: 'api', retryable: false },
});

function errorOf(body: unknown): { code?: string; message?: string; details?: unknown } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const e = (body as { error?: unknown }).error;
  return e && typeof e === 'object' ? (e as { code?: string; message?: string; details?: unknown }) : undefined;
}

/** invalid_input carries `details.fields[{name, messages[]}]`; name them so the user sees which field. */
function fieldDetails(details: unknown): string {
  const fields = (details as { fields?: { name?: string; messages?: string[] }[] } | null)?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return '';
  const described = fields.map((f) => (f.messages?.length ? `${f.name ?? '?'}: ${f.messages.join(', ')}` : (f.name ?? '?')));
  return ` (${described.join('; ')})`;
}

export function parseHetznerError(status: number, body: unknown): ParsedError {
  const e = errorOf(body);
  if (!e?.code) {
    const text = typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
    return { message: text };
  }
  const rule = Object.hasOwn(ERROR_CODES, e.code) ? ERROR_CODES[e.code] : undefined;
  const message = `${e.message ?? e.code}${fieldDetails(e.details)} [${e.code}]`;
  if (!rule) return { message, code: e.code };
  return { message, code: e.code, kind: rule.kind, ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }) };
}
