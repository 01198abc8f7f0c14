/** DescribeRegions, DescribeAvailabilityZones, DescribeInstanceTypes and DescribeInstanceTypeOfferings. */
import { offeredIn, REGIONS, TYPES, zonesOf, type TypeSpec } from './catalog.js';
import { Ec2Fault, filters, list, matches, page, type Params } from './query.js';
import type { Call } from './instances.js';

export function describeRegions(_c: Call, p: Params, host: string) {
  const names = list(p.RegionName).map(String);
  const unknown = names.filter((n) => !(REGIONS as readonly string[]).includes(n));
  if (unknown.length) throw new Ec2Fault(400, 'InvalidParameterValue', `Invalid region: ${unknown[0]}`);
  const f = filters(p).get('region-name');
  const regions = REGIONS.filter((r) => (!names.length || names.includes(r)) && (!f || matches(r, f)));
  return { regionInfo: regions.map((r) => ({ regionName: r, regionEndpoint: host || `ec2.${r}.amazonaws.com`, optInStatus: 'opt-in-not-required' })) };
}

export function describeAvailabilityZones(c: Call, p: Params) {
  const f = filters(p);
  const zones = zonesOf(c.region).filter((z) => !f.get('zone-name') || matches(z, f.get('zone-name')!));
  return {
    availabilityZoneInfo: zones.map((z, i) => ({
      zoneName: z, zoneState: 'available', regionName: c.region, zoneId: `${c.region.replace(/-/g, '').slice(0, 4)}-az${i + 1}`,
      optInStatus: 'opt-in-not-required', groupName: c.region, networkBorderGroup: c.region, zoneType: 'availability-zone', messageSet: [],
    })),
  };
}

function typeXml(t: TypeSpec) {
  return {
    instanceType: t.name,
    currentGeneration: true,
    freeTierEligible: t.name === 't3.micro',
    supportedUsageClasses: ['on-demand', 'spot'],
    supportedRootDeviceTypes: ['ebs'],
    supportedVirtualizationTypes: ['hvm'],
    bareMetal: false,
    hypervisor: 'nitro',
    processorInfo: { supportedArchitectures: [t.arch], sustainedClockSpeedInGhz: 3.1, manufacturer: t.arch === 'arm64' ? 'AWS' : 'Intel' },
    vCpuInfo: { defaultVCpus: t.vcpus, defaultCores: Math.max(1, t.vcpus / 2), defaultThreadsPerCore: t.arch === 'arm64' ? 1 : 2 },
    memoryInfo: { sizeInMiB: t.memoryMiB },
    instanceStorageSupported: !!t.storageGb,
    ...(t.storageGb
      ? { instanceStorageInfo: { totalSizeInGB: t.storageGb, disks: [{ sizeInGB: t.storageGb, count: 1, type: 'ssd' }], nvmeSupport: 'required', encryptionSupport: 'required' } }
      : {}),
    ebsInfo: { ebsOptimizedSupport: 'default', encryptionSupport: 'supported', nvmeSupport: 'required' },
    ...(t.gpu
      ? {
          gpuInfo: {
            gpus: [{ name: t.gpu.name, manufacturer: t.gpu.manufacturer, count: t.gpu.count, memoryInfo: { sizeInMiB: t.gpu.memoryMiB } }],
            totalGpuMemoryInMiB: t.gpu.count * t.gpu.memoryMiB,
          },
        }
      : {}),
    hibernationSupported: !t.gpu,
    burstablePerformanceSupported: t.name.startsWith('t'),
    dedicatedHostsSupported: true,
    autoRecoverySupported: true,
    supportedBootModes: t.arch === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
  };
}

const TYPE_FILTERS: Record<string, (t: TypeSpec) => string[]> = {
  'instance-type': (t) => [t.name],
  'processor-info.supported-architecture': (t) => [t.arch],
  'current-generation': () => ['true'],
  'vcpu-info.default-vcpus': (t) => [String(t.vcpus)],
  'memory-info.size-in-mib': (t) => [String(t.memoryMiB)],
};

export function describeInstanceTypes(c: Call, p: Params) {
  const names = list(p.InstanceType).map(String);
  const bad = names.filter((n) => !TYPES.some((t) => t.name === n));
  if (bad.length) throw new Ec2Fault(400, 'InvalidInstanceType', `The following supplied instance types do not exist: [${bad.join(', ')}]`);
  const f = filters(p);
  const items = TYPES.filter((t) => offeredIn(t, c.region) && (!names.length || names.includes(t.name))).filter((t) =>
    [...f].every(([name, values]) => {
      const get = TYPE_FILTERS[name];
      if (!get) throw new Ec2Fault(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
      return get(t).some((v) => matches(v, values));
    }),
  );
  const pg = page(items, p, 100);
  return { instanceTypeSet: pg.items.map(typeXml), ...(pg.nextToken ? { nextToken: pg.nextToken } : {}) };
}

export function describeInstanceTypeOfferings(c: Call, p: Params) {
  const kind = String(p.LocationType ?? 'region');
  if (!['region', 'availability-zone', 'availability-zone-id'].includes(kind)) throw new Ec2Fault(400, 'InvalidParameterValue', `Invalid LocationType: ${kind}`);
  const locations = kind === 'region' ? [c.region] : zonesOf(c.region);
  const f = filters(p);
  const rows = TYPES.filter((t) => offeredIn(t, c.region)).flatMap((t) => locations.map((location) => ({ instanceType: t.name, locationType: kind, location })));
  const items = rows.filter((r) => (!f.get('instance-type') || matches(r.instanceType, f.get('instance-type')!)) && (!f.get('location') || matches(r.location, f.get('location')!)));
  const pg = page(items, p);
  return { instanceTypeOfferingSet: pg.items, ...(pg.nextToken ? { nextToken: pg.nextToken } : {}) };
}
