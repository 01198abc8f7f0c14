import { ProviderError } from './errors.js';

/** Seed defaults (spuff's ProviderTimeouts), in milliseconds. */
export interface ProviderTimeouts {
  instanceReadyMs: number;
  actionCompleteMs: number;
  pollIntervalMs: number;
  httpRequestMs: number;
  sshConnectMs: number;
  cloudInitMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ProviderTimeouts> = Object.freeze({
  instanceReadyMs: 300_000,
  actionCompleteMs: 600_000,
  pollIntervalMs: 5_000,
  httpRequestMs: 30_000,
  sshConnectMs: 300_000,
  cloudInitMs: 600_000,
});

/**
 * For a server whose clock runs `scale` times faster (a time-scaled emulator): status polls come
 * at its pace (never tighter than 5 ms). The wait limits stay the driver's own (a bare-metal
 * driver waits hours for an install): reached only on failure, they never slow a success.
 */
export function timeoutsForScale(scale: number | undefined): Partial<ProviderTimeouts> {
  if (scale === undefined || !(scale > 1)) return {};
  return { pollIntervalMs: Math.max(5, DEFAULT_TIMEOUTS.pollIntervalMs / scale) };
}

export function resolveTimeouts(partial?: Partial<ProviderTimeouts>): ProviderTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...partial };
}

export function instanceReadyAttempts(t: ProviderTimeouts): number {
  return Math.max(1, Math.floor(t.instanceReadyMs / t.pollIntervalMs));
}

export function actionCompleteAttempts(t: ProviderTimeouts): number {
  return Math.max(1, Math.floor(t.actionCompleteMs / t.pollIntervalMs));
}

function abortError(signal: AbortSignal): ProviderError {
  return new ProviderError({ kind: 'cancelled', message: 'operation cancelled', cause: signal.reason });
}

/** Sleeps, waking early (with a cancelled error) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions<T> {
  provider: string;
  operation: string;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** Returns the value once done, or undefined to keep polling. */
  check: () => Promise<T | undefined>;
  /** Called after each unfinished check, e.g. to report progress. */
  onWait?: (elapsedMs: number) => void;
  now?: () => number;
}

/** Polls until check returns a value; a timeout error names the operation. */
export async function pollUntil<T>(o: PollOptions<T>): Promise<T> {
  const now = o.now ?? Date.now;
  const start = now();
  for (;;) {
    if (o.signal?.aborted) throw abortError(o.signal);
    const value = await o.check();
    if (value !== undefined) return value;
    const elapsed = now() - start;
    if (elapsed + o.intervalMs > o.timeoutMs) throw ProviderError.timeout(o.provider, o.operation, elapsed);
    o.onWait?.(elapsed);
    await sleep(o.intervalMs, o.signal);
  }
}
