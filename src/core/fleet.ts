import { ProviderError } from './errors.js';
import { newCreateId } from './labels.js';
import type { Provider } from './provider.js';
import { sleep } from './timeouts.js';
import type { Instance, InstanceRequest, OperationOptions } from './types.js';

/** Label that ties a fleet's instances together, so one filtered listing sees them all. */
export const FLEET_KEY = 'ferry-fleet';

export interface FleetOptions extends OperationOptions {
  /** Client-side clock (tests inject one). */
  now?: () => number;
}

export interface FleetResult {
  ready: Instance[];
  failed: { request: InstanceRequest; error: unknown }[];
}

/**
 * Creates many instances and waits for all of them with a handful of listings instead of
 * one poll loop per server. Creates are sent at once: the shared rate budget paces them.
 */
export async function provisionFleet(provider: Provider, requests: InstanceRequest[], o: FleetOptions = {}): Promise<FleetResult> {
  const now = o.now ?? Date.now;
  const fleetId = newCreateId().slice(0, 8);
  const createdAt = new Map<string, number>();
  const failed: FleetResult['failed'] = [];
  const created: Instance[] = [];
  await Promise.all(
    requests.map(async (r) => {
      const request = { ...r, labels: { ...r.labels, [FLEET_KEY]: fleetId } };
      try {
        const inst = await provider.createInstance(request, o);
        createdAt.set(inst.id, now());
        created.push(inst);
      } catch (error) {
        failed.push({ request: r, error });
      }
    }),
  );
  const ready = await waitFleetReady(provider, createdAt, { ...o, labels: { [FLEET_KEY]: fleetId } });
  return { ready, failed };
}

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
  o: FleetOptions & { labels: Record<string, string> },
): Promise<Instance[]> {
  const now = o.now ?? Date.now;
  const start = now();
  const pending = new Map(sentAt);
  const ready: Instance[] = [];
  let bootBound = Number.POSITIVE_INFINITY;
  const interval = provider.timeouts.pollIntervalMs;
  while (pending.size > 0) {
    const seenAt = now();
    const listed = new Map((await provider.listInstances({ labels: o.labels, signal: o.signal })).map((i) => [i.id, i]));
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
