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
  cause?: unknown;
}

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

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.provider = init.provider;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(init.kind);
    this.subject = init.subject;
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
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
  static is(err: unknown): err is UserError {
    return err instanceof UserError;
  }
}

/** "did you mean" helper for errors that name valid choices. */
export function listChoices(choices: readonly string[], max = 12): string {
  const shown = choices.slice(0, max).join(', ');
  return choices.length > max ? `${shown}, … (${choices.length} in all)` : shown;
}
