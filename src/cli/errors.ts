/**
 * Exit codes tell a user error from a provider failure:
 *   0 ok · 1 provider or store failure · 2 usage error (UserError, bad flags) · 3 deployed but cloud-init
 *   failed · 4 a confirmation was declined · 5 a --wait timed out (the server exists) · 70 bug (please
 *   report) · 130 interrupted (Ctrl-C).
 * Every error is one line (plus a hint); a stack only with FERRY_DEBUG=1.
 */
import { ProviderError, UserError } from '../core/errors.js';
import type { Context } from './context.js';
import { EXIT } from './exit-codes.js';
import { writeSafe } from './output.js';

export { EXIT };

const KIND_HINTS: Partial<Record<ProviderError['kind'], (provider: string) => string>> = {
  authentication: (p) => `the ${p || 'provider'} credentials were rejected: check them with \`ferry doctor\`, or set new ones with \`ferry config set-credentials ${p || '<provider>'}\``,
  forbidden: () => 'the credentials are valid but lack a permission this needs (check the token scope)',
  rate_limited: () => 'the provider is rate limiting this account; try again in a minute',
  network: () => 'the provider could not be reached; check the network, or the FERRY_<PROVIDER>_ENDPOINT you set',
  quota: () => 'the account hit a provider limit; raise it with the provider or choose another size or region',
  capacity: () => 'the provider has no capacity for this; try another region or size, or let placement choose (drop --size)',
};

/** A --wait that gave up: what it waited for exists and goes on, so scripts see EXIT.waitTimeout, not a failure. */
export class WaitTimedOut extends Error {
  override readonly name = 'WaitTimedOut';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function isStoreError(err: unknown): err is Error & { kind: string } {
  return err instanceof Error && err.name === 'StoreError';
}

function lines(ctx: Context, ...text: string[]): void {
  for (const t of text) writeSafe(ctx.stderr, `${t}\n`);
}

export function reportError(ctx: Context, err: unknown): number {
  const debug = ctx.env.FERRY_DEBUG === '1';
  if (err instanceof UserError) {
    lines(ctx, `error: ${err.message}`);
    if (err.hint) lines(ctx, `hint: ${err.hint}`);
    return EXIT.usage;
  }
  if (err instanceof WaitTimedOut) {
    lines(ctx, `error: ${err.message}`);
    if (err.hint) lines(ctx, `hint: ${err.hint}`);
    return EXIT.waitTimeout;
  }
  if (err instanceof ProviderError) {
    if (err.kind === 'cancelled') {
      lines(ctx, 'interrupted');
      return EXIT.interrupted;
    }
    const where = err.provider ? `${err.provider}: ` : '';
    const meta = [err.kind, err.status ? `HTTP ${err.status}` : '', err.requestId ? `request ${err.requestId}` : ''].filter(Boolean).join(', ');
    lines(ctx, `error: ${where}${err.message} (${meta})`);
    // Credential and endpoint hints are about cloud providers, not the market's control plane.
    const hint = err.provider === 'control-plane' ? undefined : KIND_HINTS[err.kind]?.(err.provider ?? '');
    if (hint) lines(ctx, `hint: ${hint}`);
    if (debug && err.stack) lines(ctx, err.stack);
    return EXIT.failure;
  }
  if (isStoreError(err)) {
    lines(ctx, `error: local store: ${err.message}`, 'hint: ferry keeps its state in $XDG_DATA_HOME/ferry/ferry.db, or FERRY_DATABASE_URL when set');
    if (debug && err.stack) lines(ctx, err.stack);
    return EXIT.failure;
  }
  const message = err instanceof Error ? err.message : String(err);
  lines(ctx, `error: unexpected: ${message}`, 'this is a bug in ferry; please report it with the command you ran (FERRY_DEBUG=1 prints the stack)');
  if (debug && err instanceof Error && err.stack) lines(ctx, err.stack);
  return EXIT.bug;
}
