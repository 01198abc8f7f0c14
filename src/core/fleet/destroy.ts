import { CREATE_ID_KEY } from '../labels.js';
import { mapLimit } from '../kit/concurrency.js';
import { destroyOwned, notOwned, ownerOf, ownershipMismatch, type ExpectedOwner } from '../ownership.js';
import type { Provider } from '../provider.js';
import type { Instance } from '../types.js';
import { FLEET_KEY, type FleetOptions } from './options.js';

/** Single destroys in flight at once (FleetOptions.concurrency); the account's budget paces them. */
const DESTROYS_IN_FLIGHT = 8;

export interface FleetDestroyed {
  /** Ids destroyed now. */
  destroyed: string[];
  /** Ids nothing had any more. */
  gone: string[];
  /** Instances left alone: not ferry's any more (a not_owned conflict), or the API refused. */
  failed: { instance: Instance; error: unknown }[];
}

/** What ferry knows of an instance it made, to tell it apart from whatever has its id now. */
function expectedOf(i: Instance): ExpectedOwner {
  return { createId: i.labels[CREATE_ID_KEY] ?? null, owner: ownerOf(i.labels), name: i.name, createdAt: i.createdAt };
}

/**
 * Destroys a fleet's instances (provisionFleet's, or any of ferry's) after checking that each is
 * still the one ferry made, re-read by one labelled listing per fleet instead of one read each.
 * An instance the listing does not show is re-read alone: it may be gone, or carry other labels now.
 * Where the provider destroys many at once (DigitalOcean's tag, EC2's TerminateInstances) and the
 * listing holds exactly the instances asked for, all of them ferry's, one call does it; otherwise
 * one destroy per instance, a bounded number in flight, paced by the account's budget.
 */
export async function destroyFleet(provider: Provider, instances: readonly Instance[], o: FleetOptions = {}): Promise<FleetDestroyed> {
  const out: FleetDestroyed = { destroyed: [], gone: [], failed: [] };
  const unique = [...new Map(instances.map((i) => [i.id, i])).values()];
  const progress = () => {
    const done = out.destroyed.length + out.gone.length;
    o.onProgress?.({ phase: 'destroy', message: `${done}/${unique.length} destroyed`, fraction: done / unique.length });
  };
  const fleets = new Map<string, Instance[]>();
  const alone: Instance[] = [];
  for (const i of unique) {
    const fleet = i.labels[FLEET_KEY];
    if (fleet === undefined) alone.push(i);
    else if (fleets.has(fleet)) fleets.get(fleet)!.push(i);
    else fleets.set(fleet, [i]);
  }
  /** Checked by a listing: destroyed without another read. */
  const checked: Instance[] = [];
  for (const [fleet, members] of fleets) {
    const labels = { [FLEET_KEY]: fleet };
    const regions = [...new Set(members.map((m) => m.region))];
    // A call for many destroys whatever carries the label: list it all, ferry's or not, to see that it is only ours.
    const batch = o.batch !== false && provider.capabilities.batchDestroy.supported && members.length > 1;
    const listed = new Map((await provider.listInstances({ labels, regions, all: batch, expected: members.length, signal: o.signal })).map((i) => [i.id, i]));
    const owned: Instance[] = [];
    for (const m of members) {
      const found = listed.get(m.id);
      const why = found && ownershipMismatch(found, expectedOf(m));
      if (!found) alone.push(m);
      else if (why) out.failed.push({ instance: m, error: notOwned(provider.name, m.id, found, expectedOf(m), why) });
      else owned.push(found);
    }
    if (batch && owned.length === listed.size) {
      try {
        await provider.destroyBatch(labels, owned, o);
        out.destroyed.push(...owned.map((i) => i.id));
      } catch (error) {
        out.failed.push(...owned.map((instance) => ({ instance, error })));
      }
      progress();
    } else {
      checked.push(...owned);
    }
  }
  const units = [...checked.map((i) => ({ i, read: false })), ...alone.map((i) => ({ i, read: true }))];
  await mapLimit(units, o.concurrency ?? DESTROYS_IN_FLIGHT, async ({ i, read }) => {
    try {
      if (!read) {
        await provider.destroyInstance(i.id, o);
        out.destroyed.push(i.id);
      } else if ((await destroyOwned(provider, i.id, expectedOf(i), o)) === 'gone') {
        out.gone.push(i.id);
      } else {
        out.destroyed.push(i.id);
      }
    } catch (error) {
      out.failed.push({ instance: i, error });
    }
    progress();
  });
  return out;
}
