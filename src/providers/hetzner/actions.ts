/** Hetzner's asynchronous Actions: poll GET /actions/{id} (several: GET /actions?id=…) until success, fail on error. */
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

/**
 * Waits for several actions (they run concurrently provider-side) with one GET /actions?id=… a
 * round for all that still run. One that the answer leaves out is asked for alone, so it fails as
 * not found instead of being waited for until the timeout.
 */
export async function waitForActions(
  client: HetznerClient,
  actions: HcAction[],
  timeouts: ProviderTimeouts,
  o?: OperationOptions,
): Promise<void> {
  if (actions.length <= 1) {
    for (const a of actions) await waitForAction(client, a, timeouts, o);
    return;
  }
  const running = new Map(actions.map((a) => [a.id, a]));
  let fresh = true; // the actions as the API just returned them: check before asking again
  await pollUntil({
    provider: 'hetzner',
    operation: actions.map((a) => `${a.command} (action ${a.id})`).join(', '),
    timeoutMs: timeouts.actionCompleteMs,
    intervalMs: timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      if (!fresh) {
        const answered = new Map((await client.getActions([...running.keys()], o)).map((a) => [a.id, a]));
        for (const id of running.keys()) running.set(id, answered.get(id) ?? (await client.getAction(id, o)));
      }
      fresh = false;
      for (const a of running.values()) {
        if (a.status === 'error') throw actionFailed(a);
        if (a.status === 'success') running.delete(a.id);
      }
      if (running.size === 0) return true;
      const progress = [...running.values()].reduce((sum, a) => sum + a.progress, 0) / running.size;
      o?.onProgress?.({ phase: 'actions', message: `${running.size} of ${actions.length} actions running, ${Math.round(progress)}%`, fraction: progress / 100 });
      return undefined;
    },
  });
}
