/**
 * Batch launches for fleets: one RunInstances with MinCount=1/MaxCount=n and one ClientToken per
 * batch (derived from the create ids it carries, so a retried or repeated batch returns the same
 * reservation), every instance tagged with the batch at launch; each is then given its own name,
 * create id and labels with CreateTags. A batch run again finds what it launched by the batch tag
 * and only tags what is still untagged, so every server stays idempotent through its create id.
 */
import { createHash } from 'node:crypto';
import { CreateTagsCommand, RunInstancesCommand, TerminateInstancesCommand, type RunInstancesCommandOutput } from '@aws-sdk/client-ec2';
import {
  byCodeUnits,
  CREATE_ID_KEY,
  isAmbiguousCreateFailure,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  newCreateId,
  normaliseRequest,
  ProviderError,
  UserError,
  provisionFleet,
  type BatchCreateService,
  type BatchDestroyService,
  type FleetOptions,
  type FleetResult,
  type Instance,
  type InstanceRequest,
} from '../../core/index.js';
import type { AwsProvider } from './index.js';
import { listIn, tagFilters } from './instances.js';
import { instanceFromWire, labelsToTags } from './mapping.js';

/** Tag carrying the batch an instance was launched in. */
export const BATCH_KEY = 'ferry-batch';

export interface BatchResult {
  batchId: string;
  /** One per request that got an instance, in request order. */
  instances: Instance[];
  /** Requests EC2 launched nothing for (MaxCount not reached for lack of capacity): retry them as a new batch. */
  missing: (InstanceRequest & { createId: string })[];
}

/** The launch spec every request of a batch must share. */
function specOf(r: InstanceRequest): string {
  return JSON.stringify([r.region, r.size, r.image, r.userData ?? null, [...(r.sshKeys ?? [])].sort()]);
}

export function batchIdOf(createIds: readonly string[]): string {
  return createHash('sha256').update([...createIds].sort().join('\n')).digest('hex').slice(0, 32);
}

/** Labels every request of the batch has (applied at launch); the rest go on with CreateTags. */
function commonLabels(reqs: readonly (InstanceRequest & { createId: string })[]): Record<string, string> {
  const [first, ...rest] = reqs;
  return Object.fromEntries(Object.entries(first?.labels ?? {}).filter(([k, v]) => rest.every((r) => r.labels?.[k] === v)));
}

export async function launchBatch(p: AwsProvider, requests: readonly InstanceRequest[], o: FleetOptions = {}): Promise<BatchResult> {
  if (requests.length === 0) return { batchId: '', instances: [], missing: [] };
  if (requests.length > 1000) throw new UserError(`a batch of ${requests.length} is too large`, 'RunInstances launches at most 1000 instances at once; split the fleet');
  const spec = specOf(requests[0]!);
  if (requests.some((r) => specOf(r) !== spec)) throw new UserError('a batch launch needs one region, size, image, user data and SSH key for all its servers', 'group the requests by launch spec');
  const first = await p.validateRequest(requests[0]!, o);
  const reqs = [first, ...requests.slice(1).map((r) => normaliseRequest(r))];
  if (new Set(reqs.map((r) => r.createId)).size !== reqs.length) throw new UserError('two requests of a batch share a create id');
  const batchId = batchIdOf(reqs.map((r) => r.createId));
  const region = first.region;
  const base = { ...commonLabels(reqs), [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [BATCH_KEY]: batchId };

  let launched = await listIn(p.ctx, tagFilters({ [BATCH_KEY]: batchId }), o);
  if (launched.length === 0) {
    const input = await p.launchInput(first, o);
    try {
      const res = await p.aws.ec2Call<RunInstancesCommandOutput>(
        region,
        new RunInstancesCommand({
          ...input,
          MinCount: 1,
          MaxCount: reqs.length,
          ClientToken: `ferry-batch-${batchId}`,
          TagSpecifications: [
            { ResourceType: 'instance', Tags: labelsToTags(base) },
            { ResourceType: 'volume', Tags: labelsToTags({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [BATCH_KEY]: batchId }) },
          ],
        }),
        o,
      );
      launched = (res.Instances ?? []).map((i) => instanceFromWire(i, region));
    } catch (err) {
      if (!isAmbiguousCreateFailure(err)) throw err;
      launched = await listIn(p.ctx, tagFilters({ [BATCH_KEY]: batchId }), o);
      if (launched.length === 0) throw err;
    }
  }

  // Who is who: instances already carrying a create id keep it; the others take the remaining requests in launch order.
  const byCreateId = new Map(launched.filter((i) => i.labels[CREATE_ID_KEY]).map((i) => [i.labels[CREATE_ID_KEY]!, i]));
  const free = launched.filter((i) => !i.labels[CREATE_ID_KEY]).sort((a, b) => byCodeUnits(a.id, b.id));
  const instances: Instance[] = [];
  const missing: BatchResult['missing'] = [];
  for (const r of reqs) {
    const done = byCreateId.get(r.createId);
    if (done) {
      instances.push(done);
      continue;
    }
    const inst = free.shift();
    if (!inst) {
      missing.push(r);
      continue;
    }
    const labels = { ...r.labels, ...base, [CREATE_ID_KEY]: r.createId };
    await p.aws.ec2Call(region, new CreateTagsCommand({ Resources: [inst.id], Tags: labelsToTags(labels, r.name) }), o);
    instances.push({ ...inst, name: r.name, labels });
  }
  return { batchId, instances, missing };
}

/** RunInstances batches a fleet sends: at most this many instances each. */
export const BATCH_SIZE = 100;

/** Requests grouped by launch spec and create-id presence, in order, at most `size` a batch. */
export function planBatches(requests: readonly InstanceRequest[], size = BATCH_SIZE): InstanceRequest[][] {
  const open = new Map<string, InstanceRequest[]>();
  const out: InstanceRequest[][] = [];
  for (const r of requests) {
    const key = specOf(r);
    let batch = open.get(key);
    if (!batch || batch.length >= size) {
      open.set(key, (batch = []));
      out.push(batch);
    }
    // Create ids are fixed here, before any send: a batch sent again carries the same ClientToken.
    batch.push({ ...r, createId: r.createId ?? newCreateId() });
  }
  return out;
}

/**
 * The batchCreate service. Create ids are fixed before the first send, so the ClientToken (derived
 * from them) is the same when the fleet sends a batch again, and EC2 returns the same reservation.
 */
export function batchService(p: AwsProvider, size = BATCH_SIZE): BatchCreateService {
  return {
    plan: (requests) => planBatches(requests, size),
    create: async (batch, o) => {
      const res = await launchBatch(p, batch, o);
      const failed = res.missing.map((m) => ({
        request: batch.find((r) => r.createId === m.createId) ?? m,
        error: new ProviderError({ kind: 'capacity', provider: 'aws', message: `batch ${res.batchId} launched fewer instances than asked` }),
      }));
      return { instances: res.instances, failed };
    },
  };
}

export interface BatchFleetResult extends FleetResult {
  /** RunInstances batches sent. */
  batches: number;
}

/** A fleet in MinCount/MaxCount batches of up to `batchSize` (core's provisionFleet with this driver's batches). */
export async function provisionBatchFleet(
  p: AwsProvider,
  requests: readonly InstanceRequest[],
  o: FleetOptions & { batchSize?: number } = {},
): Promise<BatchFleetResult> {
  const batches = planBatches(requests, o.batchSize ?? BATCH_SIZE).length;
  const res = await provisionFleet(p, [...requests], { ...o, batches: batchService(p, o.batchSize ?? BATCH_SIZE) });
  return { ...res, batches };
}

/** Instance ids one TerminateInstances carries at most (the API's documented maximum). */
const TERMINATE_IDS = 1000;

/** The batchDestroy service: one TerminateInstances per region and thousand instances. */
export function terminateService(p: AwsProvider): BatchDestroyService {
  return {
    destroy: async (_labels, instances, o) => {
      const byRegion = new Map<string, string[]>();
      for (const i of instances) {
        if (byRegion.has(i.region)) byRegion.get(i.region)!.push(i.id);
        else byRegion.set(i.region, [i.id]);
      }
      for (const [region, ids] of byRegion) {
        for (let at = 0; at < ids.length; at += TERMINATE_IDS) {
          await p.aws.ec2Call(region, new TerminateInstancesCommand({ InstanceIds: ids.slice(at, at + TERMINATE_IDS) }), o);
        }
      }
    },
  };
}
