/** Hetzner's asynchronous Actions: poll GET /actions/{id} until success, fail on error. */
import { pollUntil, ProviderError, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { HetznerClient } from './client.js';
import type { HcAction } from './schema.js';

function actionFailed(a: HcAction): ProviderError {
  const why = a.error ? `${a.error.message} [${a.error.code}]` : 'no reason given';
  return new ProviderError({
    kind: 'api',
    provider: 'hetzner',
    subject: `action ${a.id}`,
    message: `${a.command} (action ${a.id}) failed: ${why}`,
  });
}

/** Waits for one action; a finished one costs no request. */
export async function waitForAction(
  client: HetznerClient,
  action: HcAction,
  timeouts: ProviderTimeouts,
  o?: OperationOptions,
): Promise<HcAction> {
  let current = action;
  let fresh = true; // the action as the API just returned it: check before asking again
  return pollUntil({
    provider: 'hetzner',
    operation: `${action.command} (action ${action.id})`,
    timeoutMs: timeouts.actionCompleteMs,
    intervalMs: timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      if (current.status === 'running' && !fresh) current = await client.getAction(current.id, o);
      fresh = false;
      if (current.status === 'success') return current;
      if (current.status === 'error') throw actionFailed(current);
      o?.onProgress?.({ phase: current.command, message: `${current.command}: ${current.progress}%`, fraction: current.progress / 100 });
      return undefined;
    },
  });
}

/** Waits for several actions one after the other (they run concurrently provider-side). */
export async function waitForActions(
  client: HetznerClient,
  actions: HcAction[],
  timeouts: ProviderTimeouts,
  o?: OperationOptions,
): Promise<void> {
  for (const a of actions) await waitForAction(client, a, timeouts, o);
}
