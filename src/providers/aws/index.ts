/**
 * The Amazon EC2 driver, on the official AWS SDK for JavaScript v3 (see client.ts for how ferry's
 * transport pieces plug into it). Labels are EC2 tags (applied at launch with TagSpecifications),
 * the create id also makes the RunInstances ClientToken, so a repeated or retried create cannot
 * launch twice; listings and the create lookup are server-side tag filters.
 *
 * Options (ProviderConfig.options): `regions` (comma list of extra regions to list instances,
 * snapshots, volumes and offers in), `securityGroupIds` (comma list used instead of the ferry-ssh
 * group), `pageSize` (DescribeInstances page, 5–1000). An endpoint override (FERRY_AWS_ENDPOINT)
 * serves both EC2 and the Price List API, as the emulator does.
 */
import { RunInstancesCommand, TerminateInstancesCommand, type RunInstancesCommandOutput } from '@aws-sdk/client-ec2';
import {
  BaseProvider,
  capabilitiesOf,
  CREATE_ID_KEY,
  ferryLabels,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  no,
  provide,
  ProviderError,
  resolveTimeouts,
  UserError,
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type ServiceDeclarations,
  type Size,
} from '../../core/index.js';
import { archOf, AwsCatalog, KNOWN_IMAGES, type AwsArch } from './catalog.js';
import { AwsClients } from './client.js';
import * as infra from './infrastructure.js';
import { findInstance, INSTANCE_ID_RE, listIn, tagFilters, type InstanceContext } from './instances.js';
import { instanceFromWire, labelsToTags, tagValue } from './mapping.js';
import { AWS_DEFAULT_ENDPOINT } from './meta.js';
import { instanceTypes, OfferCache } from './offers.js';
import { powerService } from './power.js';
import { snapshotService } from './snapshots.js';
import { volumeService } from './volumes.js';

/** The security group ferry puts its instances in when none is configured: SSH in, nothing else. */
export const SSH_GROUP = 'ferry-ssh';
/** EC2 takes at most 16 KB of user data (before base64). */
const USER_DATA_MAX = 16 * 1024;

export const AWS_SERVICES: ServiceDeclarations<AwsProvider> = {
  snapshots: provide('AMIs made by CreateImage without reboot, tagged as ferry\'s; delete deregisters and removes their EBS snapshots (billed per GB-month)', (p) => snapshotService(p.ctx)),
  sshKeys: provide('a public key is imported once as key pair ferry-<hash> (ImportKeyPair); one key pair per instance', (p) => ({ list: (o) => infra.listKeys(p.infra, o) })),
  networks: provide(`a VPC ${infra.NETWORK_CIDR} with one subnet ${infra.SUBNET_CIDR}, tagged as ferry's`, (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateNetwork(p.infra, name, o),
    getByName: (name, o) => infra.getNetworkByName(p.infra, name, o),
    delete: (id, o) => infra.deleteNetwork(p.infra, id, o),
  })),
  firewalls: provide('security groups of the default VPC with an inbound SSH rule, tcp/22 from 0.0.0.0/0 and ::/0', (p) => ({
    findOrCreate: (name, o) => infra.findOrCreateFirewall(p.infra, name, o),
    getByName: (name, o) => infra.getFirewallByName(p.infra, name, o),
    delete: (id, o) => infra.deleteFirewall(p.infra, id, o),
  })),
  volumes: provide('EBS gp3 volumes in the instance\'s availability zone (1–16384 GB)', (p) => volumeService(p.ctx)),
  power: provide('StartInstances / StopInstances / RebootInstances; a stopped instance still bills for its EBS volumes', (p) => powerService(p.ctx)),
  validation: provide('types by DescribeInstanceTypeOfferings in the region, regions and credentials by DescribeRegions', (p) => ({
    instanceType: async (size, o) => void (await p.catalog.checkSize(size, p.settings.region, o)),
    region: async (region, o) => p.catalog.checkRegion(region, o),
    credentials: async (o) => void (await p.catalog.regionNames(o)),
  })),
  offers: provide('on-demand Linux USD prices per type and region from the Price List API (GetProducts), cached for an hour', (p) => ({
    list: (o) => p.offerCache.list(p.regions(), o),
  })),
  reinstallIpxe: no('EC2 instances boot AMIs, not iPXE; create from another image instead'),
  batchCreate: provide(`RunInstances with MinCount=1/MaxCount up to ${BATCH_SIZE} and one ClientToken per batch; each instance is then tagged with its own name and create id`, (p) => batchService(p)),
  batchDestroy: provide(`TerminateInstances with up to 1000 ids a call, per region`, (p) => terminateService(p)),
};

/** A create id as a ClientToken (64 ASCII characters at most). */
export function clientTokenOf(createId: string): string {
  return `ferry-${createId}`.slice(0, 64);
}

interface Prepared {
  imageId: string;
  arch: AwsArch;
  key: infra.KeyPlan;
}

export class AwsProvider extends BaseProvider<AwsProvider> {
  readonly aws: AwsClients;
  readonly catalog: AwsCatalog;
  readonly ctx: InstanceContext;
  readonly infra: infra.InfraContext;
  readonly offerCache: OfferCache;
  readonly settings: { region: string; extraRegions: string[]; securityGroupIds: string[] };
  private readonly usedRegions = new Set<string>();
  private readonly prepared = new Map<string, Prepared>();
  private readonly sshGroups = new Map<string, Promise<string>>();

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    const backoff = config.http?.backoffMs;
    super({ name: 'aws', services: AWS_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    const c = config.credentials;
    const opts = config.options ?? {};
    const region = c.region || opts.region || 'us-east-1';
    const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    this.settings = { region, extraRegions: list(opts.regions).filter((r) => r !== region), securityGroupIds: list(opts.securityGroupIds) };
    const endpoint = config.endpoint && config.endpoint !== AWS_DEFAULT_ENDPOINT ? config.endpoint : undefined;
    // AWS_PROFILE alone fills the access key field too (see meta.ts): then the profile's chain decides.
    const keys = c.accessKeyId && c.accessKeyId !== c.profile && c.secretAccessKey ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } : undefined;
    this.aws = new AwsClients(
      {
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(keys ?? {}),
        ...(keys && c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        ...(c.profile ? { profile: c.profile } : {}),
      },
      timeouts,
      config.http,
    );
    const pageSize = Number(opts.pageSize ?? 1000);
    if (!Number.isInteger(pageSize) || pageSize < 5 || pageSize > 1000) throw new UserError(`aws option pageSize=${opts.pageSize} is out of range`, 'DescribeInstances pages hold 5 to 1000 instances');
    this.catalog = new AwsCatalog(this.aws, region);
    this.ctx = { aws: this.aws, timeouts, regions: () => this.regions(), pageSize };
    this.infra = { aws: this.aws, region };
    this.offerCache = new OfferCache(this.aws);
  }

  /** The configured region, the extra ones, and any a create of this object went to. */
  regions(): string[] {
    return [...new Set([this.settings.region, ...this.settings.extraRegions, ...this.usedRegions])];
  }

  // instances

  protected async preflight(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<void> {
    await this.catalog.checkRegion(req.region, o);
    const type = await this.catalog.checkSize(req.size, req.region, o);
    const arch = archOf(type);
    const imageId = await this.catalog.resolveImage(req.image, req.region, arch, o);
    if (req.userData && Buffer.byteLength(req.userData) > USER_DATA_MAX) {
      throw new UserError('user data is larger than 16 KB', 'EC2 accepts at most 16 KB of user data (before base64)');
    }
    const key = await infra.planKeyName(this.infra, req.region, req.sshKeys ?? [], o);
    this.prepared.set(req.createId, { imageId, arch, key });
  }

  private sshGroup(region: string, o?: OperationOptions): Promise<string> {
    let p = this.sshGroups.get(region);
    if (!p) {
      p = infra.findOrCreateFirewall(this.infra, SSH_GROUP, o, region).then((f) => f.id);
      this.sshGroups.set(region, p);
      p.catch(() => this.sshGroups.delete(region));
    }
    return p;
  }

  /** The RunInstances input of one request (MinCount/MaxCount and token set by the caller). */
  async launchInput(req: InstanceRequest & { createId: string }, o?: OperationOptions) {
    const prep = this.prepared.get(req.createId);
    if (!prep) await this.preflight(req, o);
    const { imageId, key } = this.prepared.get(req.createId)!;
    const keyName = await infra.importPlannedKey(this.infra, req.region, key, o);
    this.prepared.delete(req.createId);
    const groups = this.settings.securityGroupIds.length ? this.settings.securityGroupIds : [await this.sshGroup(req.region, o)];
    this.usedRegions.add(req.region);
    return {
      ImageId: imageId,
      InstanceType: req.size as never,
      SecurityGroupIds: groups,
      ...(keyName ? { KeyName: keyName } : {}),
      ...(req.userData ? { UserData: Buffer.from(req.userData).toString('base64') } : {}),
    };
  }

  protected async sendCreate(req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<Instance> {
    const labels = ferryLabels(req);
    const input = await this.launchInput(req, o);
    const res = await this.aws.ec2Call<RunInstancesCommandOutput>(
      req.region,
      new RunInstancesCommand({
        ...input,
        MinCount: 1,
        MaxCount: 1,
        ClientToken: clientTokenOf(req.createId),
        TagSpecifications: [
          { ResourceType: 'instance', Tags: labelsToTags(labels, req.name) },
          { ResourceType: 'volume', Tags: labelsToTags({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: req.createId }) },
        ],
      }),
      o,
    );
    const wire = res.Instances?.[0];
    if (!wire) throw new ProviderError({ kind: 'api', provider: 'aws', status: 200, message: 'RunInstances answered without an instance' });
    const inst = instanceFromWire(wire, req.region);
    // Older answers leave tags out; they were applied at launch all the same.
    return wire.Tags?.length ? inst : { ...inst, name: req.name, labels };
  }

  protected override async findByCreateId(createId: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await listIn(this.ctx, tagFilters({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: createId }), o);
    return found[0] ?? null;
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const found = await findInstance(this.ctx, id, o);
    return found ? instanceFromWire(found.wire, found.region) : null;
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const labels = o?.all ? { ...o?.labels } : { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...o?.labels };
    return listIn(this.ctx, tagFilters(labels), o);
  }

  /**
   * TerminateInstances; billing stops at shutting-down, so the instance is gone for ferry from
   * then on. Only ferry's instances are terminated; a missing one is success.
   */
  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    if (!INSTANCE_ID_RE.test(id)) return;
    const found = await findInstance(this.ctx, id, o);
    if (!found) return;
    if (tagValue(found.wire.Tags, MANAGED_BY_KEY) !== MANAGED_BY_VALUE) {
      throw new ProviderError({ kind: 'conflict', provider: 'aws', subject: id, message: `instance ${id} is not tagged ${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}; ferry terminates only its own` });
    }
    await this.aws.ec2Call(found.region, new TerminateInstancesCommand({ InstanceIds: [id] }), o).catch((err: unknown) => {
      if (!ProviderError.is(err, 'not_found')) throw err;
    });
  }

  // catalog

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    return (await this.catalog.regionNames(o)).map((id) => ({ id, name: id, available: true }));
  }

  async listSizes(o?: OperationOptions): Promise<Size[]> {
    const region = this.settings.region;
    return (await instanceTypes(this.aws, region, o)).flatMap((t) => {
      if (!t.InstanceType || !t.VCpuInfo?.DefaultVCpus || !t.MemoryInfo?.SizeInMiB) return [];
      const gpu = t.GpuInfo?.Gpus?.[0];
      return [{
        id: t.InstanceType, vcpus: t.VCpuInfo.DefaultVCpus, memoryGb: t.MemoryInfo.SizeInMiB / 1024, diskGb: t.InstanceStorageInfo?.TotalSizeInGB ?? 0,
        gpu: gpu?.Name ?? null, gpuCount: gpu?.Count ?? 0, regions: [region], priceHourly: null, priceMonthly: null, currency: 'USD',
      }];
    });
  }

  /** The versions ferry resolves, each with the AMI it resolves to (x86_64) in the configured region. */
  async listImages(o?: OperationOptions): Promise<Image[]> {
    const out: Image[] = [];
    for (const name of KNOWN_IMAGES) {
      const [distribution, version] = name.split('-') as ['ubuntu' | 'debian', string];
      try {
        const ami = await this.catalog.resolveImage({ kind: distribution, version }, this.settings.region, 'x86_64', o);
        out.push({ id: name, name: `${name} (${ami})`, distribution, version });
      } catch (err) {
        if (!UserError.is(err)) throw err;
      }
    }
    return out;
  }
}

export function createProvider(config: ProviderConfig): AwsProvider {
  return new AwsProvider(config);
}

/** The registry reads this without credentials (`ferry providers --capabilities`). */
export const capabilities = capabilitiesOf(AWS_SERVICES);
export { launchBatch, provisionBatchFleet, BATCH_KEY, type BatchResult } from './batch.js';
import { batchService, BATCH_SIZE, terminateService } from './batch.js';
