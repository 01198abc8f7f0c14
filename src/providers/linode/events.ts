/**
 * Linode's long operations answer at once and report through events: the newest event of that
 * action on that entity is polled (GET /account/events/{id}) until finished; failed is an error.
 */
import { pollUntil, ProviderError, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { LinodeClient } from './client.js';
import type { LnEvent } from './schema.js';

export interface EventTarget {
  entityType: 'linode' | 'volume' | 'image' | 'firewall';
  entityId: number | string;
  action: string;
}

/** The event the action just started: the newest of its kind on its entity. */
export async function findEvent(client: LinodeClient, t: EventTarget, o?: OperationOptions): Promise<LnEvent | undefined> {
  const events = await client.listEvents(
    { 'entity.type': t.entityType, 'entity.id': t.entityId, action: t.action, '+order_by': 'created', '+order': 'desc' },
    o,
  );
  return events.reduce<LnEvent | undefined>((best, e) => (!best || e.id > best.id ? e : best), undefined);
}

export async function waitForEvent(client: LinodeClient, t: EventTarget, timeouts: ProviderTimeouts, o?: OperationOptions): Promise<LnEvent> {
  const what = `${t.action} of ${t.entityType} ${t.entityId}`;
  let event: LnEvent | undefined;
  return pollUntil({
    provider: 'linode',
    operation: what,
    timeoutMs: timeouts.actionCompleteMs,
    intervalMs: timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      event = event ? await client.getEvent(event.id, o) : await findEvent(client, t, o);
      if (!event) return undefined; // not recorded yet
      if (event.status === 'finished' || event.status === 'notification') return event;
      if (event.status === 'failed') {
        throw new ProviderError({ kind: 'api', provider: 'linode', subject: `event ${event.id}`, message: `${what} failed${event.message ? `: ${event.message}` : ''}` });
      }
      const pct = typeof event.percent_complete === 'number' ? event.percent_complete : undefined;
      o?.onProgress?.({ phase: t.action, message: `${what}: ${event.status}${pct === undefined ? '' : ` ${pct}%`}`, ...(pct === undefined ? {} : { fraction: pct / 100 }) });
      return undefined;
    },
  });
}
