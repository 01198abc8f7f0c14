/** DescribeInstances one page at a time (core iterates), lookups across the regions ferry works in, and state waits. */
import { DescribeInstancesCommand, type DescribeInstancesCommandOutput } from '@aws-sdk/client-ec2';
import { collectPages, pollUntil, ProviderError, type Instance, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { AwsClients } from './client.js';
import { instanceFromWire, LIVE_STATES } from './mapping.js';
import type { AwsInstance, Filter } from './schema.js';

export const INSTANCE_ID_RE = /^i-[0-9a-f]{8,17}$/;

export interface InstanceContext {
  aws: AwsClients;
  timeouts: ProviderTimeouts;
  /** Regions ferry lists and looks instances up in, the configured one first. */
  regions(): string[];
  pageSize: number;
}

export function tagFilters(labels: Record<string, string>): Filter[] {
  return Object.entries(labels).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));
}

/** Every instance matching the filters in one region, following NextToken. */
export async function describeAll(c: InstanceContext, region: string, filters: Filter[], o?: OperationOptions): Promise<AwsInstance[]> {
  return collectPages<AwsInstance, string | null>(null, async (token) => {
    const r = await c.aws.ec2Call<DescribeInstancesCommandOutput>(
      region,
      new DescribeInstancesCommand({ Filters: filters, MaxResults: c.pageSize, ...(token ? { NextToken: token } : {}) }),
      o,
    );
    return { items: (r.Reservations ?? []).flatMap((res) => res.Instances ?? []), next: r.NextToken || undefined };
  });
}

export async function listIn(c: InstanceContext, filters: Filter[], o?: OperationOptions): Promise<Instance[]> {
  const live: Filter = { Name: 'instance-state-name', Values: LIVE_STATES };
  const out: Instance[] = [];
  for (const region of c.regions()) out.push(...(await describeAll(c, region, [...filters, live], o)).map((i) => instanceFromWire(i, region)));
  return out;
}

/** The instance as EC2 describes it and its region, or null when it does not exist (or is past shutting-down). */
export async function findInstance(c: InstanceContext, id: string, o?: OperationOptions): Promise<{ wire: AwsInstance; region: string } | null> {
  if (!INSTANCE_ID_RE.test(id)) return null;
  for (const region of c.regions()) {
    try {
      const r = await c.aws.ec2Call<DescribeInstancesCommandOutput>(region, new DescribeInstancesCommand({ InstanceIds: [id] }), o);
      const wire = r.Reservations?.flatMap((x) => x.Instances ?? []).find((i) => i.InstanceId === id);
      if (wire) return LIVE_STATES.includes(wire.State?.Name ?? '') ? { wire, region } : null;
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err;
    }
  }
  return null;
}

/** Polls until the instance reaches one of `states`; gone meanwhile is not_found. */
export async function waitForState(c: InstanceContext, id: string, states: string[], what: string, o?: OperationOptions): Promise<Instance> {
  return pollUntil({
    provider: 'aws',
    operation: `${what} of ${id}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const found = await findInstance(c, id, o);
      if (!found) throw new ProviderError({ kind: 'not_found', provider: 'aws', subject: id, message: `instance ${id} disappeared during ${what}` });
      const state = found.wire.State?.Name ?? 'unknown';
      if (states.includes(state)) return instanceFromWire(found.wire, found.region);
      o?.onProgress?.({ phase: what, message: `${id}: ${state}` });
      return undefined;
    },
  });
}
