/**
 * One error class with a discriminated kind (hcloud-go's ErrorCode, smithy's $retryable),
 * plus UserError for bad input and configuration, raised before any network call.
 */

export type ErrorKind =
  | 'authentication' // bad or expired credentials (401)
  | 'forbidden' // credentials valid, permission missing (403)
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'quota'
  | 'capacity'
  | 'invalid_config' // the provider rejected the request's content (400/422)
  | 'not_supported'
  | 'not_implemented'
  | 'unknown_provider'
  | 'timeout'
  | 'network'
  | 'api' // any other provider-side failure
  | 'cancelled';

export interface ProviderErrorInit {
  kind: ErrorKind;
  message: string;
  provider?: string;
  status?: number;
  requestId?: string;
  /** Milliseconds the provider asked us to wait before trying again. */
  retryAfterMs?: number;
  /** Overrides the kind's default retryability (e.g. a 503 api error is retryable). */
  retryable?: boolean;
  /** The resource or feature the error is about, e.g. "server 42" or "snapshots". */
  subject?: string;
  /** The provider's own error code (e.g. Hetzner's "resource_unavailable"), for decisions; never parse the message. */
  code?: string;
  /** The request field the provider refused (region, size, image, sshKeys, userData…), when known. */
  field?: RequestField;
  /** Whether the request reached the provider: false means it certainly had no effect. */
  sent?: boolean;
  cause?: unknown;
}

/** Fields of a create that errors can name, so placement can tell an unsellable offer from a bad request. */
export type RequestField = 'region' | 'size' | 'image' | 'name' | 'sshKeys' | 'userData' | 'labels' | (string & {});

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorKind> = new Set(['rate_limited', 'timeout', 'network']);

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ErrorKind;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly subject: string | undefined;
  readonly code: string | undefined;
  readonly field: RequestField | undefined;
  readonly sent: boolean | undefined;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.provider = init.provider;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(init.kind);
    this.subject = init.subject;
    this.code = init.code;
    this.field = init.field;
    this.sent = init.sent;
  }

  static is(err: unknown, kind?: ErrorKind): err is ProviderError {
    return err instanceof ProviderError && (kind === undefined || err.kind === kind);
  }

  /** One line for people: provider, kind, message, request id. */
  describe(): string {
    const where = this.provider ? `${this.provider}: ` : '';
    const req = this.requestId ? ` (request ${this.requestId})` : '';
    return `${where}${this.message}${req}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      provider: this.provider,
      status: this.status,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
      field: this.field,
    };
  }

  static notSupported(provider: string, feature: string, reason: string): ProviderError {
    return new ProviderError({
      kind: 'not_supported',
      provider,
      subject: feature,
      message: `${feature} is not supported by ${provider}: ${reason}`,
    });
  }

  static timeout(provider: string, operation: string, elapsedMs: number): ProviderError {
    return new ProviderError({
      kind: 'timeout',
      provider,
      subject: operation,
      message: `${operation} did not finish within ${Math.round(elapsedMs / 1000)}s`,
    });
  }

  static unknownProvider(name: string, supported: readonly string[]): ProviderError {
    return new ProviderError({
      kind: 'unknown_provider',
      subject: name,
      message: `unknown provider "${name}"; supported: ${supported.join(', ')}`,
    });
  }
}

/**
 * A mistake in what the user asked for or configured. Raised before any network call;
 * the CLI prints its message as one line (no stack) and exits with the usage code.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** A short hint on how to fix it, printed after the message. */
  readonly hint: string | undefined;
  /** Which part of the request is wrong, and what would be accepted instead. */
  readonly field: RequestField | undefined;
  readonly choices: readonly string[] | undefined;
  constructor(message: string, hint?: string, meta: { field?: RequestField; choices?: readonly string[] } = {}) {
    super(message);
    this.hint = hint;
    this.field = meta.field;
    this.choices = meta.choices;
  }
  static is(err: unknown): err is UserError {
    return err instanceof UserError;
  }
}

/** The error every driver raises for a region, size or image it does not know: the field and its choices travel with it. */
export function unknownChoice(provider: string, field: RequestField, value: string, choices: readonly string[], max = 20): UserError {
  return new UserError(`unknown ${provider} ${field} "${value}"`, `valid ${field}s: ${listChoices(choices, max)}`, { field, choices });
}

/** "did you mean" helper for errors that name valid choices. */
export function listChoices(choices: readonly string[], max = 12): string {
  const shown = choices.slice(0, max).join(', ');
  return choices.length > max ? `${shown}, … (${choices.length} in all)` : shown;
}
