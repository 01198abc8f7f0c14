/**
 * The AWS wire: the official SDK (@aws-sdk/client-ec2, @aws-sdk/client-pricing) does signing,
 * the Query/XML and JSON protocols and credential resolution. ferry plugs its own pieces into it:
 * the endpoint override, a request handler with ferry's timeout, a retry strategy with ferry's
 * backoff (pausing every caller after a throttle), a middleware that takes ferry's shared rate
 * budget before each signed send, an abort signal per call, and error mapping with redaction.
 * Read-only Describe* calls go as GET (the Query API takes either verb), so reads and writes are
 * told apart by method on the wire.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import type { HttpSettings, OperationOptions, ProviderTimeouts } from '../../core/index.js';
import { budgetFor, jitteredBackoff, redactor, type RateBudget } from '../../transport/index.js';
import { ruleFor, toProviderError } from './errors.js';

export interface AwsSettings {
  region: string;
  /** Endpoint override (the emulator, a VPC endpoint); undefined lets the SDK resolve AWS's own. */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  profile?: string;
}

/**
 * EC2's documented request token bucket for non-mutating actions (100, refilled 20 a second):
 * the budget starts from it, so a burst of ferry callers paces itself before AWS throttles.
 */
const EC2_BUCKET = { limit: 100, remaining: 100, refillPerSecond: 20 };

/** ferry's retry policy as the SDK's strategy: transient, throttling and 5xx errors, with ferry's backoff. */
export class FerryRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'ferry';
  constructor(
    private readonly maxAttempts: number,
    private readonly backoffMs: (attempt: number) => number,
    private readonly budget: RateBudget,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const n = previous.getRetryCount();
    if (n + 1 >= this.maxAttempts) throw new Error('retries exhausted');
    const err = info.error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    // A code ferry knows (capacity, quota, auth) decides, whatever class the SDK gives it.
    const known = err?.name && err.$metadata?.httpStatusCode ? ruleFor(err.name, err.$metadata.httpStatusCode) : undefined;
    if (known && known.retryable !== true) throw new Error(`${err?.name} is not retried`);
    if (!known && info.errorType === 'CLIENT_ERROR') throw new Error('client errors are not retried');
    const hint = info.retryAfterHint ? info.retryAfterHint.getTime() - Date.now() : 0;
    const delay = Math.max(this.backoffMs(n), hint > 0 ? hint : 0);
    if (info.errorType === 'THROTTLING' || known?.kind === 'rate_limited') this.budget.block(delay);
    return token(n + 1, delay);
  }

  recordSuccess(): void {}
}

function token(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}

interface MutableRequest {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string | string[] | null>;
  body?: unknown;
}

/** Describe* travel as GET with their parameters in the query string (signed as such). */
function describeAsGet(req: MutableRequest): void {
  if (req.method !== 'POST' || typeof req.body !== 'string' || !/(^|&)Action=Describe/.test(req.body)) return;
  for (const [k, v] of new URLSearchParams(req.body)) {
    const had = req.query[k];
    req.query[k] = had === undefined || had === null ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  req.method = 'GET';
  req.body = undefined;
  for (const h of Object.keys(req.headers)) if (/^content-(type|length)$/i.test(h)) delete req.headers[h];
}

type Client = EC2Client | PricingClient;

/** The abort signal of the call in flight, for the budget wait inside the middleware stack. */
const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

export class AwsClients {
  readonly settings: AwsSettings;
  readonly redact: (s: string) => string;
  private readonly ec2ByRegion = new Map<string, EC2Client>();
  private pricingClient: PricingClient | undefined;
  private readonly budget: RateBudget;
  private readonly http: HttpSettings;

  constructor(
    settings: AwsSettings,
    private readonly timeouts: ProviderTimeouts,
    http: HttpSettings = {},
  ) {
    this.settings = settings;
    this.http = http;
    this.redact = redactor([settings.secretAccessKey, settings.sessionToken]);
    const account = settings.accessKeyId ?? settings.profile ?? 'default-chain';
    this.budget = budgetFor(http.budgets, `aws|${settings.endpoint ?? 'aws'}|${account}`, http.timeScale ?? 1);
    if (this.budget.snapshot().capacity === Number.POSITIVE_INFINITY) this.budget.observe(EC2_BUCKET);
  }

  private common() {
    const s = this.settings;
    const creds =
      s.accessKeyId && s.secretAccessKey
        ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, ...(s.sessionToken ? { sessionToken: s.sessionToken } : {}) } }
        : {};
    const maxAttempts = (this.http.maxRetries ?? 4) + 1;
    return {
      ...creds,
      ...(s.profile && !creds.credentials ? { profile: s.profile } : {}),
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      maxAttempts,
      retryStrategy: new FerryRetryStrategy(maxAttempts, this.http.backoffMs ?? ((n) => jitteredBackoff(n)), this.budget),
      requestHandler: new NodeHttpHandler({ requestTimeout: this.timeouts.httpRequestMs, connectionTimeout: this.timeouts.httpRequestMs }),
    };
  }

  /** ferry's budget and logging, wired into one client's middleware stack. */
  private plug<C extends Client>(client: C, service: string): C {
    const budget = this.budget;
    const log = this.http.log;
    client.middlewareStack.addRelativeTo(
      (next: any, context: any) => async (args: any) => {
        describeAsGet(args.request as MutableRequest);
        await budget.acquire(callSignal.getStore());
        const started = Date.now();
        try {
          const out = await next(args);
          log?.(`aws ${service} ${context.commandName} → ${out.response?.statusCode} (${Date.now() - started} ms)`);
          return out;
        } catch (err) {
          log?.(this.redact(`aws ${service} ${context.commandName} → ${(err as { name?: string }).name ?? 'error'} (${Date.now() - started} ms)`));
          throw err;
        } finally {
          budget.settle();
        }
      },
      { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'ferryRateBudget', override: true },
    );
    return client;
  }

  ec2(region: string): EC2Client {
    let c = this.ec2ByRegion.get(region);
    if (!c) {
      c = this.plug(new EC2Client({ region, ...this.common() }), 'ec2');
      this.ec2ByRegion.set(region, c);
    }
    return c;
  }

  /** The Price List API lives in us-east-1 (and two other regions); the override serves it too. */
  pricing(): PricingClient {
    this.pricingClient ??= this.plug(new PricingClient({ region: 'us-east-1', ...this.common() }), 'pricing');
    return this.pricingClient;
  }

  /** One call with the caller's abort signal; every failure comes back as a ProviderError. */
  async send<O>(client: Client, command: { constructor: { name: string } } & object, o?: OperationOptions): Promise<O> {
    const operation = command.constructor.name.replace(/Command$/, '');
    try {
      return (await callSignal.run(o?.signal, () => (client as any).send(command, { abortSignal: o?.signal }))) as O;
    } catch (err) {
      throw toProviderError(err, operation, this.redact);
    }
  }

  async ec2Call<O>(region: string, command: object, o?: OperationOptions): Promise<O> {
    return this.send<O>(this.ec2(region), command as any, o);
  }

  destroy(): void {
    for (const c of this.ec2ByRegion.values()) c.destroy();
    this.pricingClient?.destroy();
  }
}
