import { ProviderError } from '../errors.js';
import type { Provider } from '../provider.js';
import { sleep } from '../timeouts.js';
import type { Instance } from '../types.js';
import type { FleetOptions } from './options.js';

/** Rounds that read only the oldest booting instance before the whole fleet is listed anyway. */
export const PROBES_PER_LISTING = 4;

const isUp = (i: Instance) => i.status.state === 'active' && Boolean(i.ipv4 || i.ipv6);

/**
 * Waits until every instance is active with an address, listing them with one label-filtered
 * listing per round. Rounds are timed by what the fleet teaches: once some instance is seen ready,
 * the boot time is at most (seen - created) for it, so the next round is when the youngest
 * still-booting instance reaches that age; until then, the poll interval.
 * Until then, too, a round reads only the oldest instance, which boots first (one request instead of
 * a listing of pages), and the fleet is listed once it is up or ended, or every few rounds whatever
 * it says (a stuck oldest one hides nothing for long).
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
  let probes = 0;
  /** The oldest instance still booting is up, or ended: time to list the fleet. Not found yet counts as booting. */
  const oldestMoved = async (): Promise<boolean> => {
    let oldest: string | undefined;
    for (const [id, sent] of pending) if (oldest === undefined || sent < pending.get(oldest)!) oldest = id;
    const inst = await provider.getInstance(oldest!, { signal: o.signal });
    return inst !== null && (isUp(inst) || inst.status.state === 'archive');
  };
  /** One listing of the fleet; true once every instance is ready. */
  const listRound = async (): Promise<boolean> => {
    probes = 0;
    const listed = new Map((await provider.listInstances({ labels: o.labels, ...(o.regions ? { regions: o.regions } : {}), expected: sentAt.size, signal: o.signal })).map((i) => [i.id, i]));
    // Its pages were read by the time it ended: an instance it shows up was up then. Dating the boot
    // bound from the start instead makes it short by the listing's time, and the round it times too early.
    const seenAt = now();
    for (const [id, sent] of pending) {
      const inst = listed.get(id);
      if (inst?.status.state === 'archive') {
        throw new ProviderError({ kind: 'api', provider: provider.name, subject: id, message: `instance ${id} ended up ${inst.status.raw} while booting` });
      }
      if (inst && isUp(inst)) {
        ready.push(inst);
        pending.delete(id);
        bootBound = Math.min(bootBound, seenAt - sent);
      }
    }
    return pending.size === 0;
  };
  while (pending.size > 0) {
    if (!Number.isFinite(bootBound) && probes < PROBES_PER_LISTING && !(await oldestMoved())) probes++;
    else if (await listRound()) break;
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
