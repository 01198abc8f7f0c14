import { ProviderError } from '../errors.js';
import type { Provider } from '../provider.js';
import { sleep } from '../timeouts.js';
import type { Instance } from '../types.js';
import type { FleetOptions } from './options.js';

/**
 * Waits until every instance is active with an address, listing them with one label-filtered
 * listing per round. Rounds are timed by what the fleet teaches: once some instance is seen ready,
 * the boot time is at most (seen - created) for it, so the next round is when the youngest
 * still-booting instance reaches that age; until then, the poll interval.
 * `sentAt` maps instance ids to when their create returned (client clock).
 */
export async function waitFleetReady(
  provider: Provider,
  sentAt: Map<string, number>,
  o: FleetOptions & { labels: Record<string, string>; regions?: readonly string[] },
): Promise<Instance[]> {
  const now = o.now ?? Date.now;
  const start = now();
  const pending = new Map(sentAt);
  const ready: Instance[] = [];
  let bootBound = Number.POSITIVE_INFINITY;
  const interval = provider.timeouts.pollIntervalMs;
  while (pending.size > 0) {
    const seenAt = now();
    const listed = new Map((await provider.listInstances({ labels: o.labels, ...(o.regions ? { regions: o.regions } : {}), signal: o.signal })).map((i) => [i.id, i]));
    for (const [id, sent] of pending) {
      const inst = listed.get(id);
      if (inst?.status.state === 'archive') {
        throw new ProviderError({ kind: 'api', provider: provider.name, subject: id, message: `instance ${id} ended up ${inst.status.raw} while booting` });
      }
      if (inst && inst.status.state === 'active' && (inst.ipv4 || inst.ipv6)) {
        ready.push(inst);
        pending.delete(id);
        bootBound = Math.min(bootBound, seenAt - sent);
      }
    }
    if (pending.size === 0) break;
    o.onProgress?.({ phase: 'boot', message: `${ready.length}/${sentAt.size} ready`, fraction: ready.length / sentAt.size });
    const elapsed = now() - start;
    if (elapsed > provider.timeouts.instanceReadyMs) {
      throw ProviderError.timeout(provider.name, `waiting for ${pending.size} of ${sentAt.size} instances`, elapsed);
    }
    const youngest = Math.max(...pending.values());
    const expected = youngest + bootBound - now();
    await sleep(Number.isFinite(expected) ? Math.max(interval / 4, expected) : interval, o.signal);
  }
  return ready;
}
