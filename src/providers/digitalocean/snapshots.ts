/**
 * Snapshots through droplet actions: POST /v2/droplets/{id}/actions {type: snapshot}, poll
 * GET /v2/actions/{id} until completed, then find the image among the droplet's snapshots.
 */
import { pollUntil, ProviderError, type OperationOptions, type ProviderTimeouts, type Snapshot } from '../../core/index.js';
import type { DoClient } from './client.js';
import { PROVIDER, snapshotFromDo, snapshotName } from './mapping.js';
import type { DoAction } from './schema.js';
import { isPendingEvent } from './actions.js';

export async function takeSnapshot(client: DoClient, t: ProviderTimeouts, dropletId: string, name: string, o?: OperationOptions): Promise<Snapshot> {
  const fullName = snapshotName(name);
  const base = { provider: PROVIDER, timeoutMs: t.actionCompleteMs, intervalMs: t.pollIntervalMs, signal: o?.signal };
  if (!(await client.getDroplet(dropletId, o))) {
    throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: dropletId, message: `droplet ${dropletId} not found` });
  }
  const action = await pollUntil<DoAction>({
    ...base,
    operation: `starting snapshot of droplet ${dropletId}`,
    check: async () => {
      try {
        return await client.dropletAction(dropletId, { type: 'snapshot', name: fullName }, o);
      } catch (err) {
        if (!isPendingEvent(err)) throw err;
        o?.onProgress?.({ phase: 'snapshot', message: `droplet ${dropletId} is busy; waiting to snapshot it` });
        return undefined;
      }
    },
  });
  const done = await pollUntil<DoAction>({
    ...base,
    operation: `snapshot action ${action.id} of droplet ${dropletId}`,
    check: async () => {
      const a = await client.getAction(action.id, o);
      if (a.status === 'errored') {
        throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: String(a.id), message: `snapshot action ${a.id} of droplet ${dropletId} errored` });
      }
      if (a.status === 'completed') return a;
      o?.onProgress?.({ phase: 'snapshot', message: `snapshot of droplet ${dropletId}: ${a.status}` });
      return undefined;
    },
  });
  // The action does not name the image it made: take the newest snapshot of that name.
  const made = (await client.dropletSnapshots(dropletId, o)).filter((s) => s.name === fullName).sort((a, b) => b.id - a.id)[0];
  if (!made) {
    throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: String(done.id), message: `snapshot action ${done.id} completed but droplet ${dropletId} has no snapshot named ${fullName}` });
  }
  return snapshotFromDo({ ...made, resource_id: dropletId });
}
