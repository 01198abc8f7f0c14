/**
 * Lookups a create is checked against before anything is sent, cached per provider object:
 * regions (DescribeRegions), the types offered in a region (DescribeInstanceTypeOfferings),
 * a type's architecture (DescribeInstanceTypes), and Ubuntu/Debian versions resolved to the
 * newest official AMI of the region and architecture (DescribeImages by owner and name pattern).
 */
import {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  type DescribeImagesCommandOutput,
  type DescribeInstanceTypeOfferingsCommandOutput,
  type DescribeInstanceTypesCommandOutput,
  type DescribeRegionsCommandOutput,
} from '@aws-sdk/client-ec2';
import { byCodeUnits, collectPages, formatImageSpec, listChoices, ProviderError, UserError, type ImageSpec, type OperationOptions } from '../../core/index.js';
import type { AwsClients } from './client.js';
import type { AwsImage, InstanceTypeInfo } from './schema.js';

export const CANONICAL_OWNER = '099720109477';
export const DEBIAN_OWNER = '136693071363';

/** The versions ferry resolves by name; anything else is an AMI id passed through. */
export const KNOWN_IMAGES = ['ubuntu-24.04', 'ubuntu-22.04', 'ubuntu-20.04', 'debian-12', 'debian-11'];

export type AwsArch = 'x86_64' | 'arm64';

/** Owner and name pattern of the official images (Canonical's and Debian's published naming). */
export function imageQuery(spec: ImageSpec & { kind: 'ubuntu' | 'debian' }, arch: AwsArch): { owner: string; name: string } {
  const a = arch === 'arm64' ? 'arm64' : 'amd64';
  return spec.kind === 'ubuntu'
    ? { owner: CANONICAL_OWNER, name: `ubuntu/images/hvm-ssd*/ubuntu-*-${spec.version}-${a}-server-*` }
    : { owner: DEBIAN_OWNER, name: `debian-${spec.version}-${a}-*` };
}

/** Newest first by CreationDate; ties by name (the build date is in it). */
export function newestImage(images: readonly AwsImage[]): AwsImage | undefined {
  return [...images].filter((i) => i.ImageId && i.State !== 'deregistered').sort((a, b) => byCodeUnits(b.CreationDate ?? '', a.CreationDate ?? '') || byCodeUnits(b.Name ?? '', a.Name ?? ''))[0];
}

export class AwsCatalog {
  private regions: Promise<string[]> | undefined;
  private readonly offered = new Map<string, Promise<string[]>>();
  private readonly types = new Map<string, Promise<InstanceTypeInfo | undefined>>();
  private readonly amis = new Map<string, Promise<AwsImage | undefined>>();

  constructor(
    private readonly aws: AwsClients,
    private readonly homeRegion: string,
  ) {}

  async regionNames(o?: OperationOptions): Promise<string[]> {
    this.regions ??= this.aws
      .ec2Call<DescribeRegionsCommandOutput>(this.homeRegion, new DescribeRegionsCommand({}), o)
      .then((r) => (r.Regions ?? []).map((x) => x.RegionName).filter((n): n is string => !!n).sort());
    return this.regions.catch((err) => {
      this.regions = undefined;
      throw err;
    });
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<void> {
    const names = await this.regionNames(o);
    if (!names.includes(region)) throw new UserError(`unknown AWS region "${region}"`, `regions enabled for this account: ${listChoices(names, 30)}`);
  }

  /** Instance types offered in a region (DescribeInstanceTypeOfferings, every page). */
  async offeredTypes(region: string, o?: OperationOptions): Promise<string[]> {
    let p = this.offered.get(region);
    if (!p) {
      p = collectPages<string, string | null>(null, async (token) => {
        const r = await this.aws.ec2Call<DescribeInstanceTypeOfferingsCommandOutput>(
          region,
          new DescribeInstanceTypeOfferingsCommand({ LocationType: 'region', MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
          o,
        );
        return { items: (r.InstanceTypeOfferings ?? []).flatMap((x) => (x.InstanceType ? [String(x.InstanceType)] : [])), next: r.NextToken ?? undefined };
      }).then((t) => t.sort());
      this.offered.set(region, p);
      p.catch(() => this.offered.delete(region));
    }
    return p;
  }

  async checkSize(size: string, region: string, o?: OperationOptions): Promise<InstanceTypeInfo> {
    const offered = await this.offeredTypes(region, o);
    if (!offered.includes(size)) {
      const similar = offered.filter((t) => t.split('.')[0] === size.split('.')[0]);
      throw new UserError(`instance type "${size}" is not offered in ${region}`, `types offered there include: ${listChoices(similar.length ? similar : offered, 20)}`);
    }
    const info = await this.typeInfo(size, region, o);
    if (!info) throw new UserError(`instance type "${size}" is not described in ${region}`, `types offered there include: ${listChoices(offered, 20)}`);
    return info;
  }

  async typeInfo(size: string, region: string, o?: OperationOptions): Promise<InstanceTypeInfo | undefined> {
    const key = `${region}|${size}`;
    let p = this.types.get(key);
    if (!p) {
      p = this.aws
        .ec2Call<DescribeInstanceTypesCommandOutput>(region, new DescribeInstanceTypesCommand({ InstanceTypes: [size as never] }), o)
        .then((r) => r.InstanceTypes?.[0])
        .catch((err: unknown) => {
          if (ProviderError.is(err, 'invalid_config')) return undefined;
          throw err;
        });
      this.types.set(key, p);
      p.catch(() => this.types.delete(key));
    }
    return p;
  }

  /** The AMI to boot: a distribution version resolved (cached), or an id checked to exist. */
  async resolveImage(spec: ImageSpec, region: string, arch: AwsArch, o?: OperationOptions): Promise<string> {
    if (spec.kind === 'custom' || spec.kind === 'snapshot') return this.checkImageId(spec.id, region, arch, o);
    const key = `${region}|${spec.kind}|${spec.version}|${arch}`;
    let p = this.amis.get(key);
    if (!p) {
      const q = imageQuery(spec, arch);
      p = this.aws
        .ec2Call<DescribeImagesCommandOutput>(
          region,
          new DescribeImagesCommand({
            Owners: [q.owner],
            Filters: [
              { Name: 'name', Values: [q.name] },
              { Name: 'architecture', Values: [arch] },
              { Name: 'state', Values: ['available'] },
            ],
          }),
          o,
        )
        .then((r) => newestImage(r.Images ?? []));
      this.amis.set(key, p);
      p.catch(() => this.amis.delete(key));
    }
    const found = await p;
    if (!found?.ImageId) {
      this.amis.delete(key);
      throw new UserError(
        `no official image for ${formatImageSpec(spec)} (${arch}) in ${region}`,
        `images: ${KNOWN_IMAGES.join(', ')}, or an AMI id (ami-…)`,
      );
    }
    return found.ImageId;
  }

  private async checkImageId(id: string, region: string, arch: AwsArch, o?: OperationOptions): Promise<string> {
    if (!/^ami-[0-9a-f]{8,17}$/.test(id)) throw new UserError(`unknown image "${id}"`, `images: ${KNOWN_IMAGES.join(', ')}, or an AMI id (ami-…)`);
    const r = await this.aws
      .ec2Call<DescribeImagesCommandOutput>(region, new DescribeImagesCommand({ ImageIds: [id] }), o)
      .catch((err: unknown) => {
        if (ProviderError.is(err, 'not_found') || ProviderError.is(err, 'invalid_config')) return { Images: [] } as Partial<DescribeImagesCommandOutput>;
        throw err;
      });
    const img = r.Images?.[0];
    if (!img) throw new UserError(`image ${id} does not exist in ${region}`, `images: ${KNOWN_IMAGES.join(', ')}, or an AMI id of ${region}`);
    if (img.Architecture && img.Architecture !== arch) throw new UserError(`image ${id} is ${img.Architecture}; the instance type is ${arch}`, 'pick an image of the same architecture as the instance type');
    return id;
  }
}

export function archOf(t: InstanceTypeInfo): AwsArch {
  const archs = t.ProcessorInfo?.SupportedArchitectures ?? [];
  return archs.includes('x86_64') ? 'x86_64' : archs.includes('arm64') ? 'arm64' : 'x86_64';
}
