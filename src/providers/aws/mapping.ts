/** Pure converters between the SDK's shapes and ferry's, and the instance state table. */
import { ProviderError, type Instance, type InstanceState, type Offer, type Snapshot, type Volume } from '../../core/index.js';
import type { AwsImage, AwsInstance, AwsVolume, InstanceTypeInfo, PriceListProduct, Tag } from './schema.js';

/** EC2 instance states (InstanceStateName), with unknown as the fallback. */
export const STATE_TABLE: Readonly<Record<string, InstanceState>> = Object.freeze({
  pending: 'new',
  running: 'active',
  stopping: 'off',
  stopped: 'off',
  'shutting-down': 'archive',
  terminated: 'archive',
});

export function stateOf(raw: string | undefined): { state: InstanceState; raw: string } {
  const r = raw ?? 'unknown';
  return { state: Object.hasOwn(STATE_TABLE, r) ? STATE_TABLE[r]! : 'unknown', raw: r };
}

/** States in which an instance still exists for ferry: from shutting-down on it is gone (and no longer billed). */
export const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

export const NAME_TAG = 'Name';

/** ferry labels are EC2 tags one to one; the Name tag is the instance's name, aws:* tags are AWS's own. */
export function tagsToLabels(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    if (!t.Key || t.Key === NAME_TAG || t.Key.startsWith('aws:')) continue;
    out[t.Key] = t.Value ?? '';
  }
  return out;
}

export function labelsToTags(labels: Record<string, string>, name?: string): Tag[] {
  return [...(name ? [{ Key: NAME_TAG, Value: name }] : []), ...Object.entries(labels).map(([Key, Value]) => ({ Key, Value }))];
}

export const tagValue = (tags: readonly Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

/** "us-east-1a" → "us-east-1" (local zones "us-east-1-bos-1a" keep their parent region). */
export function regionOfZone(zone: string | undefined, fallback: string): string {
  const m = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)/.exec(zone ?? '');
  return m ? m[1]! : fallback;
}

export function instanceFromWire(i: AwsInstance, region: string): Instance {
  if (!i.InstanceId) throw new ProviderError({ kind: 'api', provider: 'aws', message: 'an instance without InstanceId in the answer' });
  return {
    provider: 'aws',
    id: i.InstanceId,
    name: tagValue(i.Tags, NAME_TAG) ?? i.InstanceId,
    status: stateOf(i.State?.Name),
    ipv4: i.PublicIpAddress ?? null,
    ipv6: i.Ipv6Address ?? null,
    region: regionOfZone(i.Placement?.AvailabilityZone, region),
    size: i.InstanceType ?? 'unknown',
    image: i.ImageId ?? null,
    labels: tagsToLabels(i.Tags),
    createdAt: i.LaunchTime instanceof Date && !Number.isNaN(i.LaunchTime.getTime()) ? i.LaunchTime.toISOString() : new Date(0).toISOString(),
  };
}

export function imageToSnapshot(img: AwsImage): Snapshot {
  const ebs = img.BlockDeviceMappings?.find((b) => b.Ebs)?.Ebs;
  return {
    provider: 'aws',
    id: img.ImageId ?? '',
    name: img.Name ?? img.ImageId ?? '',
    createdAt: img.CreationDate ?? null,
    sizeGb: ebs?.VolumeSize ?? null,
    instanceId: img.SourceInstanceId ?? null,
  };
}

export function volumeFromWire(v: AwsVolume, fallbackRegion: string): Volume {
  const a = v.Attachments?.find((x) => x.State !== 'detached');
  return {
    id: v.VolumeId ?? '',
    name: tagValue(v.Tags, NAME_TAG) ?? v.VolumeId ?? '',
    sizeGb: v.Size ?? 0,
    region: regionOfZone(v.AvailabilityZone, fallbackRegion),
    status: v.State ?? 'unknown',
    instanceId: a?.InstanceId ?? null,
    devicePath: a?.Device ?? null,
  };
}

export const HOURS_PER_MONTH = 730;

/** gp3 list price in us-east-1, $0.08 per GB-month: the 8 GB root volume every instance boots from. */
export const ROOT_VOLUME_EXTRA = { what: 'EBS gp3 root volume, 8 GB', priceHourly: (0.08 * 8) / HOURS_PER_MONTH, priceMonthly: 0.64 };

/** The on-demand USD hourly price in one Price List document, or undefined. */
export function hourlyPrice(doc: PriceListProduct): number | undefined {
  for (const term of Object.values(doc.terms?.OnDemand ?? {})) {
    for (const dim of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(dim.pricePerUnit?.USD);
      if (dim.unit === 'Hrs' && Number.isFinite(usd) && usd > 0) return usd;
    }
  }
  return undefined;
}

export function typeToOffer(t: InstanceTypeInfo, region: string, hourly: number, fetchedAt: string): Offer | undefined {
  if (!t.InstanceType || !t.VCpuInfo?.DefaultVCpus || !t.MemoryInfo?.SizeInMiB) return undefined;
  const gpu = t.GpuInfo?.Gpus?.[0];
  const archs = t.ProcessorInfo?.SupportedArchitectures ?? [];
  return {
    provider: 'aws',
    plan: t.InstanceType,
    region,
    vcpus: t.VCpuInfo.DefaultVCpus,
    memoryGb: Math.round((t.MemoryInfo.SizeInMiB / 1024) * 100) / 100,
    diskGb: t.InstanceStorageInfo?.TotalSizeInGB ?? 0,
    gpu: gpu?.Name ? `${gpu.Manufacturer ? `${gpu.Manufacturer} ` : ''}${gpu.Name}` : null,
    gpuCount: gpu?.Count ?? 0,
    gpuMemoryGb: gpu?.MemoryInfo?.SizeInMiB ? Math.round(gpu.MemoryInfo.SizeInMiB / 1024) : null,
    priceHourly: hourly,
    priceMonthly: Math.round(hourly * HOURS_PER_MONTH * 100) / 100,
    currency: 'USD',
    bareMetal: t.BareMetal ?? false,
    leadTimeHours: 0,
    source: 'live',
    fetchedAt,
    arch: archs.includes('arm64') && !archs.includes('x86_64') ? 'arm' : 'x86',
    pricesIncludeVat: false,
    billing: 'hourly',
    extras: [ROOT_VOLUME_EXTRA],
  };
}
