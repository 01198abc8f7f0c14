/**
 * Vultr's error body `{"error": "<message>", "status": <http status>}` → ferry's error kinds.
 * Vultr has no error codes, only the status and a message: the status decides, and a 400 whose
 * message says the plan is out of stock or an account limit is reached becomes capacity or quota,
 * with that classification as the error's code (subject) so callers never read the prose.
 */
import type { ErrorKind } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';
import type { VuError } from './schema.js';

interface MessageRule {
  re: RegExp;
  kind: ErrorKind;
  code: string;
}

/** Messages of refused creates that are not the request's fault. */
export const MESSAGE_RULES: readonly MessageRule[] = [
  { re: /out of stock|sold out|insufficient capacity|no (available )?capacity|not enough (capacity|resources)/i, kind: 'capacity', code: 'out_of_stock' },
  { re: /maximum number of|reached the (maximum|limit)|monthly fee limit|instance limit|limit exceeded/i, kind: 'quota', code: 'account_limit' },
];

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.slice(0, 200) : undefined;
  if (!body || typeof body !== 'object') return undefined;
  const e = (body as VuError).error;
  return typeof e === 'string' && e ? e : undefined;
}

export function parseVultrError(status: number, body: unknown): ParsedError {
  const message = messageOf(body) ?? `HTTP ${status}`;
  if (status === 400 || status === 412) {
    const rule = MESSAGE_RULES.find((r) => r.re.test(message));
    if (rule) return { message, kind: rule.kind, code: rule.code, retryable: false };
  }
  return { message };
}
