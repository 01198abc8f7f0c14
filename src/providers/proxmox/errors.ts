import type { ResponseHeaders } from '../../core/index.js';
import type { ParsedError } from '../../transport/index.js';
import type { PveEnvelope } from './schema.js';

/**
 * PVE answers errors as `{ data: null }` with the text in the HTTP reason phrase
 * ("500 Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist"); newer
 * releases repeat it as `message` in the body; parameter failures add `errors`.
 * Most of PVE's failures are 500s, and many are not worth a retry: their text says which.
 */
export function parsePveError(status: number, body: unknown, _headers: ResponseHeaders, reason = ''): ParsedError {
  const env = (body && typeof body === 'object' ? body : {}) as Partial<PveEnvelope<unknown>>;
  let message = (typeof env.message === 'string' && env.message.trim()) || reason.trim();
  if (env.errors && Object.keys(env.errors).length) {
    const detail = Object.entries(env.errors).map(([k, v]) => `${k}: ${String(v).trim()}`).join('; ');
    message = `${message || 'Parameter verification failed.'} ${detail}`;
    return { message, code: 'parameter_verification', kind: 'invalid_config', retryable: false };
  }
  if (!message) message = status === 401 ? 'authentication failure' : `HTTP ${status}`;
  if (status >= 500 && status < 600) {
    for (const rule of RULES) if (rule.re.test(message)) return { message, code: rule.code, kind: rule.kind, retryable: false };
  }
  return { message };
}

const RULES: { re: RegExp; code: string; kind: ParsedError['kind'] }[] = [
  { re: /does not exist|no such (vm|task|snapshot)|not found/i, code: 'not_found', kind: 'not_found' },
  { re: /hostname lookup '[^']*' failed/i, code: 'no_such_node', kind: 'not_found' },
  { re: /guest agent is not running|no qemu guest agent configured/i, code: 'agent_not_running', kind: 'conflict' },
  { re: /already running/i, code: 'already_running', kind: 'conflict' },
  { re: /already exists|already used/i, code: 'already_exists', kind: 'conflict' },
  { re: /\bis locked\b|can't lock file/i, code: 'locked', kind: 'conflict' },
  { re: /\bnot running\b/i, code: 'not_running', kind: 'conflict' },
];

/** The kind of a failed task, from its exit status and log: PVE tasks fail with free text. */
export function taskFailureKind(text: string): NonNullable<ParsedError['kind']> {
  if (/insufficient free space|no space left|cannot allocate memory|not enough (memory|space)/i.test(text)) return 'capacity';
  if (/already exists|already used/i.test(text)) return 'conflict';
  if (/does not exist|not found/i.test(text)) return 'not_found';
  return 'api';
}
