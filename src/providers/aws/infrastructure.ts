/**
 * Key pairs (ImportKeyPair), security groups (an SSH rule), VPC + subnet as a network, all in
 * the configured region and tagged as ferry's; each find-or-create looks up before it creates.
 */
import { createHash } from 'node:crypto';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ImportKeyPairCommand,
  type CreateSecurityGroupCommandOutput,
  type CreateVpcCommandOutput,
  type DescribeKeyPairsCommandOutput,
  type DescribeSecurityGroupsCommandOutput,
  type DescribeSubnetsCommandOutput,
  type DescribeVpcsCommandOutput,
} from '@aws-sdk/client-ec2';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE, ProviderError, UserError, type Firewall, type Network, type OperationOptions, type SshKey } from '../../core/index.js';
import type { AwsClients } from './client.js';
import { NAME_TAG, tagValue } from './mapping.js';
import type { Tag } from './schema.js';

export interface InfraContext {
  aws: AwsClients;
  region: string;
}

export const NETWORK_CIDR = '10.42.0.0/16';
export const SUBNET_CIDR = '10.42.1.0/24';

const ours = (name: string): Tag[] => [
  { Key: NAME_TAG, Value: name },
  { Key: MANAGED_BY_KEY, Value: MANAGED_BY_VALUE },
];
const ourFilters = (name: string) => [
  { Name: `tag:${NAME_TAG}`, Values: [name] },
  { Name: `tag:${MANAGED_BY_KEY}`, Values: [MANAGED_BY_VALUE] },
];
const ignoreNotFound = (err: unknown) => {
  if (!ProviderError.is(err, 'not_found')) throw err;
};

// key pairs

const PUBLIC_KEY_RE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))\s+[A-Za-z0-9+/=]+/;

/** A public key becomes the key pair "ferry-<hash>" (imported once); anything else is an existing key pair's name. */
/** The key pair of a create: an existing one by name, or a public key still to import (at create time, never in validation). */
export type KeyPlan = { name: string; importKey?: string } | undefined;

/** Resolves the user's key against the region's key pairs, reading only. */
export async function planKeyName(c: InfraContext, region: string, keys: readonly string[], o?: OperationOptions): Promise<KeyPlan> {
  if (keys.length === 0) return undefined;
  if (keys.length > 1) throw new UserError('AWS attaches one key pair to an instance', 'pass one --ssh-key; add more keys through cloud-init user data', { field: 'sshKeys' });
  const key = keys[0]!.trim();
  const isPublic = PUBLIC_KEY_RE.test(key);
  const name = isPublic ? `ferry-${createHash('sha256').update(key.split(/\s+/).slice(0, 2).join(' ')).digest('hex').slice(0, 16)}` : key;
  const existing = await c.aws
    .ec2Call<DescribeKeyPairsCommandOutput>(region, new DescribeKeyPairsCommand({ KeyNames: [name] }), o)
    .then((r) => r.KeyPairs?.[0])
    .catch((err: unknown) => (ProviderError.is(err, 'not_found') ? undefined : Promise.reject(err)));
  if (existing) return { name };
  if (!isPublic) throw new UserError(`key pair "${name}" does not exist in ${region}`, 'pass a public key (ssh-ed25519 AAAA…) or the name of a key pair of that region', { field: 'sshKeys' });
  return { name, importKey: key };
}

/** Imports a planned public key (idempotent by its derived name) and returns the key pair's name. */
export async function importPlannedKey(c: InfraContext, region: string, plan: KeyPlan, o?: OperationOptions): Promise<string | undefined> {
  if (!plan) return undefined;
  if (plan.importKey) {
    await c.aws
      .ec2Call(region, new ImportKeyPairCommand({ KeyName: plan.name, PublicKeyMaterial: Buffer.from(plan.importKey), TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: MANAGED_BY_KEY, Value: MANAGED_BY_VALUE }] }] }), o)
      .catch((err: unknown) => {
        if (!ProviderError.is(err, 'conflict')) throw err; // imported meanwhile by another create
      });
  }
  return plan.name;
}

export async function listKeys(c: InfraContext, o?: OperationOptions): Promise<SshKey[]> {
  const r = await c.aws.ec2Call<DescribeKeyPairsCommandOutput>(c.region, new DescribeKeyPairsCommand({ IncludePublicKey: true }), o);
  return (r.KeyPairs ?? []).map((k) => ({ id: k.KeyPairId ?? k.KeyName ?? '', name: k.KeyName ?? '', fingerprint: k.KeyFingerprint ?? null, publicKey: k.PublicKey ?? null }));
}

// security groups

export async function getFirewallByName(c: InfraContext, name: string, o?: OperationOptions, region = c.region): Promise<Firewall | null> {
  const r = await c.aws.ec2Call<DescribeSecurityGroupsCommandOutput>(
    region,
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: `tag:${MANAGED_BY_KEY}`, Values: [MANAGED_BY_VALUE] }] }),
    o,
  );
  const g = r.SecurityGroups?.[0];
  return g?.GroupId ? { id: g.GroupId, name: g.GroupName ?? name } : null;
}

/** A security group of the default VPC that lets SSH in (tcp/22 from 0.0.0.0/0 and ::/0). */
export async function findOrCreateFirewall(c: InfraContext, name: string, o?: OperationOptions, region = c.region): Promise<Firewall> {
  const found = await getFirewallByName(c, name, o, region);
  if (found) return found;
  let id: string;
  try {
    const r = await c.aws.ec2Call<CreateSecurityGroupCommandOutput>(
      region,
      new CreateSecurityGroupCommand({ GroupName: name, Description: 'ferry: SSH in', TagSpecifications: [{ ResourceType: 'security-group', Tags: ours(name) }] }),
      o,
    );
    id = r.GroupId ?? '';
  } catch (err) {
    if (!ProviderError.is(err, 'conflict')) throw err;
    const raced = await getFirewallByName(c, name, o, region);
    if (raced) return raced;
    throw err;
  }
  await c.aws
    .ec2Call(
      region,
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: id,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      }),
      o,
    )
    .catch((err: unknown) => {
      if (!ProviderError.is(err, 'conflict')) throw err; // the rule is there already
    });
  return { id, name };
}

export async function deleteFirewall(c: InfraContext, id: string, o?: OperationOptions): Promise<void> {
  if (!/^sg-[0-9a-f]{8,17}$/.test(id)) return;
  await c.aws.ec2Call(c.region, new DeleteSecurityGroupCommand({ GroupId: id }), o).catch(ignoreNotFound);
}

// networks: a VPC with one subnet

export async function getNetworkByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Network | null> {
  const r = await c.aws.ec2Call<DescribeVpcsCommandOutput>(c.region, new DescribeVpcsCommand({ Filters: ourFilters(name) }), o);
  const v = r.Vpcs?.[0];
  return v?.VpcId ? { id: v.VpcId, name: tagValue(v.Tags, NAME_TAG) ?? name, ipRange: v.CidrBlock ?? null } : null;
}

export async function findOrCreateNetwork(c: InfraContext, name: string, o?: OperationOptions): Promise<Network> {
  const found = await getNetworkByName(c, name, o);
  if (found) return found;
  const r = await c.aws.ec2Call<CreateVpcCommandOutput>(c.region, new CreateVpcCommand({ CidrBlock: NETWORK_CIDR, TagSpecifications: [{ ResourceType: 'vpc', Tags: ours(name) }] }), o);
  const vpcId = r.Vpc?.VpcId;
  if (!vpcId) throw new ProviderError({ kind: 'api', provider: 'aws', message: 'CreateVpc answered without a VpcId' });
  await c.aws.ec2Call(c.region, new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: SUBNET_CIDR, TagSpecifications: [{ ResourceType: 'subnet', Tags: ours(name) }] }), o);
  return { id: vpcId, name, ipRange: NETWORK_CIDR };
}

/** Deletes ferry's subnets of the VPC, then the VPC; missing is success. */
export async function deleteNetwork(c: InfraContext, id: string, o?: OperationOptions): Promise<void> {
  if (!/^vpc-[0-9a-f]{8,17}$/.test(id)) return;
  const vpc = await c.aws
    .ec2Call<DescribeVpcsCommandOutput>(c.region, new DescribeVpcsCommand({ VpcIds: [id] }), o)
    .then((r) => r.Vpcs?.[0])
    .catch((err: unknown) => (ProviderError.is(err, 'not_found') ? undefined : Promise.reject(err)));
  if (!vpc) return;
  if (tagValue(vpc.Tags, MANAGED_BY_KEY) !== MANAGED_BY_VALUE) {
    throw new ProviderError({ kind: 'conflict', provider: 'aws', subject: id, message: `VPC ${id} is not tagged ${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}; ferry deletes only its own` });
  }
  const subnets = await c.aws.ec2Call<DescribeSubnetsCommandOutput>(c.region, new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [id] }] }), o);
  for (const s of subnets.Subnets ?? []) {
    if (s.SubnetId) await c.aws.ec2Call(c.region, new DeleteSubnetCommand({ SubnetId: s.SubnetId }), o).catch(ignoreNotFound);
  }
  await c.aws.ec2Call(c.region, new DeleteVpcCommand({ VpcId: id }), o).catch(ignoreNotFound);
}
