/** EBS gp3 volumes: create, attach, detach, delete, each waiting on the volume's state. */
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  type CreateVolumeCommandOutput,
  type DescribeVolumesCommandOutput,
} from '@aws-sdk/client-ec2';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE, pollUntil, ProviderError, UserError, type OperationOptions, type Volume, type VolumeService } from '../../core/index.js';
import { findInstance, type InstanceContext } from './instances.js';
import { labelsToTags, NAME_TAG, tagValue, volumeFromWire } from './mapping.js';
import type { AwsVolume } from './schema.js';

const VOLUME_RE = /^vol-[0-9a-f]{8,17}$/;

async function describe(c: InstanceContext, region: string, id: string, o?: OperationOptions): Promise<AwsVolume | undefined> {
  try {
    const r = await c.aws.ec2Call<DescribeVolumesCommandOutput>(region, new DescribeVolumesCommand({ VolumeIds: [id] }), o);
    return r.Volumes?.[0];
  } catch (err) {
    if (ProviderError.is(err, 'not_found')) return undefined;
    throw err;
  }
}

async function locate(c: InstanceContext, id: string, o?: OperationOptions): Promise<{ wire: AwsVolume; region: string } | null> {
  if (!VOLUME_RE.test(id)) return null;
  for (const region of c.regions()) {
    const wire = await describe(c, region, id, o);
    if (wire) return { wire, region };
  }
  return null;
}

async function waitFor(c: InstanceContext, region: string, id: string, done: (v: AwsVolume) => boolean, what: string, o?: OperationOptions): Promise<Volume> {
  return pollUntil({
    provider: 'aws',
    operation: `${what} of volume ${id}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const v = await describe(c, region, id, o);
      if (!v) throw new ProviderError({ kind: 'not_found', provider: 'aws', subject: id, message: `volume ${id} disappeared during ${what}` });
      if (v.State === 'error') throw new ProviderError({ kind: 'api', provider: 'aws', subject: id, message: `volume ${id} is in state error` });
      return done(v) ? volumeFromWire(v, region) : undefined;
    },
  });
}

const attached = (v: AwsVolume) => v.State === 'in-use' && (v.Attachments ?? []).some((a) => a.State === 'attached');

export function volumeService(c: InstanceContext): VolumeService {
  const missing = (id: string) => new ProviderError({ kind: 'not_found', provider: 'aws', subject: id, message: `volume ${id} does not exist` });
  return {
    async create(req, o) {
      const inst = req.instanceId ? await findInstance(c, req.instanceId, o) : null;
      if (req.instanceId && !inst) throw new ProviderError({ kind: 'not_found', provider: 'aws', subject: req.instanceId, message: `instance ${req.instanceId} does not exist` });
      const zone = inst?.wire.Placement?.AvailabilityZone ?? `${req.region}a`;
      const region = inst?.region ?? req.region;
      if (!Number.isInteger(req.sizeGb) || req.sizeGb < 1 || req.sizeGb > 16384) throw new UserError(`volume size ${req.sizeGb} GB is out of range`, 'gp3 volumes are 1 to 16384 GB');
      const r = await c.aws.ec2Call<CreateVolumeCommandOutput>(
        region,
        new CreateVolumeCommand({
          AvailabilityZone: zone,
          Size: req.sizeGb,
          VolumeType: 'gp3',
          TagSpecifications: [{ ResourceType: 'volume', Tags: labelsToTags({ ...req.labels, [MANAGED_BY_KEY]: MANAGED_BY_VALUE }, req.name) }],
        }),
        o,
      );
      if (!r.VolumeId) throw new ProviderError({ kind: 'api', provider: 'aws', message: 'CreateVolume answered without a VolumeId' });
      const ready = await waitFor(c, region, r.VolumeId, (v) => v.State === 'available', 'create', o);
      return req.instanceId ? this.attach(ready.id, req.instanceId, o) : ready;
    },
    async get(id, o) {
      const found = await locate(c, id, o);
      return found ? volumeFromWire(found.wire, found.region) : null;
    },
    async getByName(name, o) {
      for (const region of c.regions()) {
        const r = await c.aws.ec2Call<DescribeVolumesCommandOutput>(
          region,
          new DescribeVolumesCommand({ Filters: [{ Name: `tag:${NAME_TAG}`, Values: [name] }, { Name: `tag:${MANAGED_BY_KEY}`, Values: [MANAGED_BY_VALUE] }] }),
          o,
        );
        const v = r.Volumes?.[0];
        if (v) return volumeFromWire(v, region);
      }
      return null;
    },
    async attach(volumeId, instanceId, o) {
      const found = await locate(c, volumeId, o);
      if (!found) throw missing(volumeId);
      const inst = await findInstance(c, instanceId, o);
      if (!inst) throw new ProviderError({ kind: 'not_found', provider: 'aws', subject: instanceId, message: `instance ${instanceId} does not exist` });
      const used = new Set((inst.wire.BlockDeviceMappings ?? []).map((b) => b.DeviceName));
      const others = await c.aws.ec2Call<DescribeVolumesCommandOutput>(found.region, new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }), o);
      for (const v of others.Volumes ?? []) for (const a of v.Attachments ?? []) used.add(a.Device);
      const device = [...'fghijklmnop'].map((l) => `/dev/sd${l}`).find((d) => !used.has(d));
      if (!device) throw new ProviderError({ kind: 'quota', provider: 'aws', subject: instanceId, message: `instance ${instanceId} has no free device name for another volume` });
      await c.aws.ec2Call(found.region, new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device }), o);
      return waitFor(c, found.region, volumeId, attached, 'attach', o);
    },
    async detach(volumeId, o) {
      const found = await locate(c, volumeId, o);
      if (!found) throw missing(volumeId);
      if (found.wire.State === 'available') return volumeFromWire(found.wire, found.region);
      await c.aws.ec2Call(found.region, new DetachVolumeCommand({ VolumeId: volumeId }), o);
      return waitFor(c, found.region, volumeId, (v) => v.State === 'available', 'detach', o);
    },
    async delete(id, o) {
      const found = await locate(c, id, o);
      if (!found) return;
      if (tagValue(found.wire.Tags, MANAGED_BY_KEY) !== MANAGED_BY_VALUE) {
        throw new ProviderError({ kind: 'conflict', provider: 'aws', subject: id, message: `volume ${id} is not tagged ${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}; ferry deletes only its own` });
      }
      await c.aws.ec2Call(found.region, new DeleteVolumeCommand({ VolumeId: id }), o).catch((err: unknown) => {
        if (!ProviderError.is(err, 'not_found')) throw err;
      });
    },
  };
}
