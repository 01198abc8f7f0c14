/** Waiting on a DigitalOcean action (GET /v2/actions/{id}) until it completes or errors. */
import { pollUntil, ProviderError, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { DoClient } from './client.js';
import { PROVIDER } from './mapping.js';
import type { DoAction } from './schema.js';

/** `what` names the action in progress reports and errors ("attach of volume …"). */
export async function waitForAction(client: DoClient, t: ProviderTimeouts, action: DoAction, what: string, o?: OperationOptions): Promise<DoAction> {
  return pollUntil<DoAction>({
    provider: PROVIDER,
    timeoutMs: t.actionCompleteMs,
    intervalMs: t.pollIntervalMs,
    signal: o?.signal,
    operation: `${what} (action ${action.id})`,
    check: async () => {
      const a = action.status === 'in-progress' ? await client.getAction(action.id, o) : action;
      if (a.status === 'errored') {
        throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: String(a.id), message: `${what} failed: action ${a.id} errored` });
      }
      if (a.status === 'completed') return a;
      o?.onProgress?.({ phase: a.type, message: `${what}: ${a.status}` });
      action = a;
      return undefined;
    },
  });
}

/** A droplet busy with another event (booting, a power change, an attach) refuses new actions with a 422. */
export function isPendingEvent(err: unknown): boolean {
  return ProviderError.is(err, 'invalid_config') && /pending event/i.test(err.message);
}

/** Sends an action, again each poll interval while its droplet is busy with another event. */
export function startWhenIdle(t: ProviderTimeouts, what: string, send: () => Promise<DoAction>, o?: OperationOptions): Promise<DoAction> {
  return pollUntil<DoAction>({
    provider: PROVIDER,
    timeoutMs: t.actionCompleteMs,
    intervalMs: t.pollIntervalMs,
    signal: o?.signal,
    operation: `starting ${what}`,
    check: async () => {
      try {
        return await send();
      } catch (err) {
        if (!isPendingEvent(err)) throw err;
        o?.onProgress?.({ phase: 'action', message: `the droplet is busy; waiting to start ${what}` });
        return undefined;
      }
    },
  });
}
