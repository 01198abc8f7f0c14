import { ProviderError } from '../errors.js';
import { newCreateId } from '../labels.js';
import type { Provider } from '../provider.js';
import type { BatchCreated, BatchCreateService } from '../services.js';
import { sleep } from '../timeouts.js';
import type { CreateOptions, Instance, InstanceRequest } from '../types.js';
import { mapLimit } from '../kit/concurrency.js';
import { FLEET_KEY, newFleetId, type FleetOptions, type FleetResult } from './options.js';
import { waitFleetReady } from './ready.js';

/** Default bounds of what is in flight (FleetOptions.concurrency). */
const CREATES_IN_FLIGHT = 8;
const BATCHES_IN_FLIGHT = 32;
/** Rounds a create refused with 429 waits for before the fleet reports it failed. */
const RATE_LIMITED_ROUNDS = 30;

/**
 * Creates many instances and waits for all of them with a handful of listings instead of one poll
 * loop per server. Creates go through the provider's batch API where it has one (DigitalOcean's
 * multi-create, EC2's MinCount/MaxCount), a bounded number in flight, paced by the account's budget.
 * A 429 never loses a server: the request did not happen, so it waits (longer each time, jittered)
 * and goes again, idempotent through its create id.
 */
export async function provisionFleet(provider: Provider, requests: InstanceRequest[], o: FleetOptions = {}): Promise<FleetResult> {
  const now = o.now ?? Date.now;
  const fleetId = o.fleetId ?? newFleetId();
  const sentAt = new Map<string, number>();
  const created: Instance[] = [];
  const failed: FleetResult['failed'] = [];
  const tagged = requests.map((r) => ({ ...r, labels: { ...r.labels, [FLEET_KEY]: fleetId } }));
  const svc = o.batches ?? (o.batch !== false && provider.capabilities.batchCreate?.supported ? providerBatches(provider) : undefined);
  // A single create's id is fixed here, so its journal (beforeSend) and every send of it agree.
  const minted = new Set<InstanceRequest>();
  const mint = (r: InstanceRequest): InstanceRequest => {
    if (r.createId !== undefined) return r;
    const m = { ...r, createId: newCreateId() };
    minted.add(m);
    return m;
  };
  const units = svc ? svc.plan(tagged) : tagged.map((r) => [mint(r)]);
  if (o.beforeSend) {
    const planned = units.flat();
    if (planned.some((r) => r.createId === undefined)) {
      throw new ProviderError({ kind: 'invalid_config', provider: provider.name, message: 'this batch service does not name its create ids before sending, so they cannot be journaled' });
    }
    await o.beforeSend(planned as (InstanceRequest & { createId: string })[]);
  }
  // A minted id's first send needs no lookup; a later one does (an earlier send may have been ambiguous).
  const create = svc
    ? (unit: InstanceRequest[]) => svc.create(unit, o)
    : (unit: InstanceRequest[], round: number) => createOne(provider, unit[0]!, { ...o, freshCreateId: round === 0 && minted.has(unit[0]!) });

  await mapLimit(units, o.concurrency ?? (svc ? BATCHES_IN_FLIGHT : CREATES_IN_FLIGHT), async (unit) => {
    for (let round = 0; ; round++) {
      let res: BatchCreated;
      try {
        res = await create(unit, round);
      } catch (error) {
        res = { instances: [], failed: unit.map((request) => ({ request, error })) };
      }
      for (const inst of res.instances) {
        if (sentAt.has(inst.id)) continue;
        sentAt.set(inst.id, now());
        created.push(inst);
      }
      const limited = res.failed.filter((f) => ProviderError.is(f.error, 'rate_limited'));
      if (limited.length === 0 || round + 1 >= RATE_LIMITED_ROUNDS) {
        failed.push(...res.failed);
        return;
      }
      // Not sent yet: wait (past Retry-After, growing, jittered) and send what is missing again.
      const retryAfter = Math.max(...limited.map((f) => (f.error as ProviderError).retryAfterMs ?? 1000));
      await sleep(retryAfter * (1 + Math.min(round + 1, 4) * 0.25 * (o.random ?? Math.random)()), o.signal);
      // A batch goes again whole: it is looked up by its create ids first and only what is missing is sent.
      // A single create goes again as it was: its last send was refused (429), and any earlier ambiguous one was looked up by create id.
      if (!svc) unit = limited.map((f) => f.request);
    }
  });
  if (o.wait === false) return { created, ready: [], failed };
  const regions = [...new Set(requests.map((r) => r.region))];
  const ready = await waitFleetReady(provider, sentAt, { ...o, labels: { [FLEET_KEY]: fleetId }, regions });
  return { created, ready, failed };
}

function providerBatches(provider: Provider): BatchCreateService {
  return { plan: (r) => provider.planBatches(r), create: (b, o) => provider.createBatch(b, o) };
}

/** One create, its failure as a result. */
async function createOne(provider: Provider, request: InstanceRequest, o: CreateOptions): Promise<BatchCreated> {
  try {
    return { instances: [await provider.createInstance(request, o)], failed: [] };
  } catch (error) {
    return { instances: [], failed: [{ request, error }] };
  }
}
