/**
 * Batch launches for fleets: one RunInstances with MinCount=1/MaxCount=n and one ClientToken per
 * batch (derived from the create ids it carries, so a retried or repeated batch returns the same
 * reservation), every instance tagged with the batch at launch; each is then given its own name,
 * create id and labels with CreateTags. A batch run again finds what it launched by the batch tag
 * and only tags what is still untagged, so every server stays idempotent through its create id.
 */
import { createHash } from 'node:crypto';
import { CreateTagsCommand, RunInstancesCommand, type RunInstancesCommandOutput } from '@aws-sdk/client-ec2';
import {
  CREATE_ID_KEY,
  FLEET_KEY,
  isAmbiguousCreateFailure,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  newCreateId,
  normaliseRequest,
  ProviderError,
  UserError,
  waitFleetReady,
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
  const free = launched.filter((i) => !i.labels[CREATE_ID_KEY]).sort((a, b) => a.id.localeCompare(b.id));
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

export interface BatchFleetResult extends FleetResult {
  /** RunInstances batches sent. */
  batches: number;
}

/**
 * A fleet in MinCount/MaxCount batches of up to `batchSize`, then one tag-filtered listing per
 * round until every instance is ready (core's waitFleetReady).
 */
export async function provisionBatchFleet(
  p: AwsProvider,
  requests: readonly InstanceRequest[],
  o: FleetOptions & { batchSize?: number } = {},
): Promise<BatchFleetResult> {
  const size = o.batchSize ?? 100;
  const fleetId = newCreateId().slice(0, 8);
  const now = o.now ?? Date.now;
  const groups = new Map<string, InstanceRequest[]>();
  for (const r of requests) groups.set(specOf(r), [...(groups.get(specOf(r)) ?? []), { ...r, labels: { ...r.labels, [FLEET_KEY]: fleetId } }]);
  const sentAt = new Map<string, number>();
  const failed: FleetResult['failed'] = [];
  let batches = 0;
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += size) {
      const chunk = group.slice(i, i + size);
      batches++;
      try {
        const res = await launchBatch(p, chunk, o);
        for (const inst of res.instances) sentAt.set(inst.id, now());
        for (const m of res.missing) failed.push({ request: m, error: new ProviderError({ kind: 'capacity', provider: 'aws', message: `batch ${res.batchId} launched fewer instances than asked` }) });
      } catch (error) {
        for (const r of chunk) failed.push({ request: r, error });
      }
    }
  }
  const ready = await waitFleetReady(p, sentAt, { ...o, labels: { [FLEET_KEY]: fleetId } });
  return { ready, failed, batches };
}
