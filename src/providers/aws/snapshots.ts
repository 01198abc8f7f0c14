/**
 * Snapshots are AMIs made by CreateImage (no reboot), tagged as ferry's; deleting one deregisters
 * the AMI and then deletes the EBS snapshots behind it, which AWS would otherwise keep billing.
 */
import {
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  type CreateImageCommandOutput,
  type DescribeImagesCommandOutput,
} from '@aws-sdk/client-ec2';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE, pollUntil, ProviderError, UserError, type SnapshotService } from '../../core/index.js';
import { findInstance, INSTANCE_ID_RE, type InstanceContext } from './instances.js';
import { imageToSnapshot, tagValue } from './mapping.js';
import type { AwsImage } from './schema.js';

const AMI_RE = /^ami-[0-9a-f]{8,17}$/;
const MANAGED = [{ Key: MANAGED_BY_KEY, Value: MANAGED_BY_VALUE }];

async function describeImage(c: InstanceContext, region: string, id: string, o?: { signal?: AbortSignal }): Promise<AwsImage | undefined> {
  try {
    const r = await c.aws.ec2Call<DescribeImagesCommandOutput>(region, new DescribeImagesCommand({ ImageIds: [id] }), o);
    return r.Images?.find((i) => i.ImageId === id);
  } catch (err) {
    if (ProviderError.is(err, 'not_found')) return undefined;
    throw err;
  }
}

export function snapshotService(c: InstanceContext): SnapshotService {
  return {
    async create(instanceId, name, o) {
      if (!INSTANCE_ID_RE.test(instanceId)) throw new UserError(`invalid EC2 instance id "${instanceId}"`, 'instance ids look like i-0123456789abcdef0');
      const found = await findInstance(c, instanceId, o);
      if (!found) throw new ProviderError({ kind: 'not_found', provider: 'aws', subject: instanceId, message: `instance ${instanceId} does not exist` });
      const { region } = found;
      const r = await c.aws.ec2Call<CreateImageCommandOutput>(
        region,
        new CreateImageCommand({
          InstanceId: instanceId,
          Name: name,
          Description: `ferry snapshot of ${instanceId}`,
          NoReboot: true,
          TagSpecifications: [
            { ResourceType: 'image', Tags: MANAGED },
            { ResourceType: 'snapshot', Tags: MANAGED },
          ],
        }),
        o,
      );
      const id = r.ImageId;
      if (!id) throw new ProviderError({ kind: 'api', provider: 'aws', message: 'CreateImage answered without ImageId' });
      const done = await pollUntil({
        provider: 'aws',
        operation: `waiting for image ${id}`,
        timeoutMs: c.timeouts.actionCompleteMs,
        intervalMs: c.timeouts.pollIntervalMs,
        signal: o?.signal,
        check: async () => {
          const img = await describeImage(c, region, id, o);
          if (img?.State === 'failed') throw new ProviderError({ kind: 'api', provider: 'aws', subject: id, message: `image ${id} failed: ${img.StateReason?.Message ?? ''}` });
          return img?.State === 'available' ? img : undefined;
        },
      });
      return imageToSnapshot(done);
    },
    async list(o) {
      const out = [];
      for (const region of c.regions()) {
        const r = await c.aws.ec2Call<DescribeImagesCommandOutput>(
          region,
          new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${MANAGED_BY_KEY}`, Values: [MANAGED_BY_VALUE] }] }),
          o,
        );
        out.push(...(r.Images ?? []).map(imageToSnapshot));
      }
      return out;
    },
    async delete(id, o) {
      if (!AMI_RE.test(id)) return;
      for (const region of c.regions()) {
        const img = await describeImage(c, region, id, o);
        if (!img) continue;
        if (tagValue(img.Tags, MANAGED_BY_KEY) !== MANAGED_BY_VALUE) {
          throw new ProviderError({ kind: 'conflict', provider: 'aws', subject: id, message: `image ${id} is not tagged ${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}; ferry deletes only its own` });
        }
        await c.aws.ec2Call(region, new DeregisterImageCommand({ ImageId: id }), o).catch((err: unknown) => {
          if (!ProviderError.is(err, 'not_found')) throw err;
        });
        for (const b of img.BlockDeviceMappings ?? []) {
          if (!b.Ebs?.SnapshotId) continue;
          await c.aws.ec2Call(region, new DeleteSnapshotCommand({ SnapshotId: b.Ebs.SnapshotId }), o).catch((err: unknown) => {
            if (!ProviderError.is(err, 'not_found')) throw err;
          });
        }
        return;
      }
    },
  };
}
