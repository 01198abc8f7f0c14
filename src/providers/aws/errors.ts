/**
 * AWS errors → ferry's kinds. The SDK raises a ServiceException whose `name` is the API's error
 * code (EC2's <Code>, the Price List API's __type), with `$metadata.httpStatusCode` and
 * `$metadata.requestId`; a failure without an HTTP status is the connection's (network/timeout).
 * Messages pass through the redactor so no credential can leak into them.
 */
import { ProviderError, type ErrorKind } from '../../core/index.js';

interface Rule {
  kind: ErrorKind;
  retryable?: boolean;
}

const EXACT: Readonly<Record<string, Rule>> = Object.freeze({
  AuthFailure: { kind: 'authentication' },
  InvalidClientTokenId: { kind: 'authentication' },
  SignatureDoesNotMatch: { kind: 'authentication' },
  MissingAuthenticationToken: { kind: 'authentication' },
  UnrecognizedClientException: { kind: 'authentication' },
  InvalidSignatureException: { kind: 'authentication' },
  ExpiredToken: { kind: 'authentication' },
  RequestExpired: { kind: 'authentication' },
  UnauthorizedOperation: { kind: 'forbidden' },
  AccessDeniedException: { kind: 'forbidden' },
  OptInRequired: { kind: 'forbidden' },
  Blocked: { kind: 'forbidden' },
  RequestLimitExceeded: { kind: 'rate_limited', retryable: true },
  Throttling: { kind: 'rate_limited', retryable: true },
  ThrottlingException: { kind: 'rate_limited', retryable: true },
  InsufficientInstanceCapacity: { kind: 'capacity', retryable: false },
  InsufficientHostCapacity: { kind: 'capacity', retryable: false },
  InsufficientCapacity: { kind: 'capacity', retryable: false },
  Unsupported: { kind: 'capacity', retryable: false },
  InstanceLimitExceeded: { kind: 'quota' },
  VcpuLimitExceeded: { kind: 'quota' },
  VolumeLimitExceeded: { kind: 'quota' },
  VpcLimitExceeded: { kind: 'quota' },
  SecurityGroupLimitExceeded: { kind: 'quota' },
  SnapshotLimitExceeded: { kind: 'quota' },
  AddressLimitExceeded: { kind: 'quota' },
  ResourceLimitExceeded: { kind: 'quota' },
  IdempotentParameterMismatch: { kind: 'conflict' },
  IncorrectInstanceState: { kind: 'conflict' },
  IncorrectState: { kind: 'conflict' },
  DependencyViolation: { kind: 'conflict' },
  VolumeInUse: { kind: 'conflict' },
  'InvalidSnapshot.InUse': { kind: 'conflict' },
  'InvalidAMIID.Unavailable': { kind: 'not_found' },
  InternalError: { kind: 'api', retryable: true },
  InternalFailure: { kind: 'api', retryable: true },
  Unavailable: { kind: 'api', retryable: true },
  ServiceUnavailable: { kind: 'api', retryable: true },
});

/** The kind of an AWS error code; families by suffix or prefix where AWS names them so. */
export function ruleFor(code: string, status: number | undefined): Rule {
  const exact = Object.hasOwn(EXACT, code) ? EXACT[code] : undefined;
  if (exact) return exact;
  if (code.endsWith('.NotFound') || code.endsWith('NotFoundException')) return { kind: 'not_found' };
  if (code.endsWith('.Duplicate') || code.endsWith('.InUse')) return { kind: 'conflict' };
  if (code.startsWith('Invalid') || code.startsWith('Missing') || code.endsWith('.Malformed') || code === 'ValidationException') {
    return { kind: 'invalid_config' };
  }
  if (code.endsWith('LimitExceeded')) return { kind: 'quota' };
  if (status === 401) return { kind: 'authentication' };
  if (status === 403) return { kind: 'forbidden' };
  if (status !== undefined && status >= 500) return { kind: 'api', retryable: true };
  return { kind: 'api' };
}

/** EC2 names the parameter in its text ("… for InstanceType", "parameter maxResults"): surfaced as the field. */
export function fieldOf(message: string): string | undefined {
  return /\bfor (?:parameter )?([A-Za-z][A-Za-z0-9.]*)\b/.exec(message)?.[1] ?? /\bparameter ([A-Za-z][A-Za-z0-9.]*)\b/.exec(message)?.[1];
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  $response?: { headers?: Record<string, string> };
}

export function toProviderError(err: unknown, operation: string, redact: (s: string) => string): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as SdkError;
  const text = redact(String(e.message ?? err));
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  if (e.name === 'AbortError') return new ProviderError({ kind: 'cancelled', provider: 'aws', message: `${operation} was cancelled`, cause: err });
  if (e.name === 'CredentialsProviderError') {
    return new ProviderError({
      kind: 'authentication',
      provider: 'aws',
      subject: 'credentials',
      message: `${operation}: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE): ${text}`,
      cause: err,
    });
  }
  if (status === undefined) {
    if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || /timed? ?out/i.test(text)) {
      return new ProviderError({ kind: 'timeout', provider: 'aws', subject: operation, message: `${operation}: ${text}`, cause: err });
    }
    if (NETWORK_CODES.has(String(e.code)) || /socket hang up|ECONNRESET|ECONNREFUSED|network|fetch failed/i.test(text) || e.name === 'Error' || !e.name) {
      return new ProviderError({ kind: 'network', provider: 'aws', subject: operation, message: `${operation}: ${text}`, cause: err });
    }
  }
  const code = String(e.Code ?? e.name ?? 'UnknownError');
  const rule = ruleFor(code, status);
  const field = rule.kind === 'invalid_config' ? fieldOf(text) : undefined;
  return new ProviderError({
    kind: rule.kind,
    provider: 'aws',
    status,
    requestId,
    subject: code,
    ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }),
    message: `${operation}: ${text} [${code}${field ? `, field ${field}` : ''}]`,
    cause: err,
  });
}
