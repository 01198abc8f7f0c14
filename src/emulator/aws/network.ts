/** Key pairs, security groups, VPCs and subnets, EBS volumes. */
import { createHash } from 'node:crypto';
import { zonesOf } from './catalog.js';
import { Ec2Fault, filters, invalidParameter, list, matches, missingParameter, tagSet, tagsFromSpec, type Params } from './query.js';
import { ACCOUNT_ID, type Ec2State, type Simple } from './state.js';
import type { Call } from './instances.js';

function byFilters(items: Simple[], p: Params, table: Record<string, (x: Simple) => string | undefined>): Simple[] {
  const f = filters(p);
  return items.filter((x) =>
    [...f].every(([name, values]) => {
      if (name.startsWith('tag:')) return matches(x.tags.get(name.slice(4)), values);
      const get = table[name];
      if (!get) throw invalidParameter(`The filter '${name}' is invalid`);
      return matches(get(x), values);
    }),
  );
}

const inRegion = (m: Map<string, Simple>, region: string) => [...m.values()].filter((x) => x.region === region);

// key pairs

export function importKeyPair(st: Ec2State, c: Call, p: Params) {
  if (!p.KeyName) throw missingParameter('KeyName');
  if (!p.PublicKeyMaterial) throw missingParameter('PublicKeyMaterial');
  if (inRegion(st.keyPairs, c.region).some((k) => k.name === p.KeyName)) {
    throw new Ec2Fault(400, 'InvalidKeyPair.Duplicate', `The keypair already exists`);
  }
  const material = Buffer.from(String(p.PublicKeyMaterial), 'base64').toString('utf8').trim();
  const m = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+)\s+([A-Za-z0-9+/=]+)/.exec(material);
  if (!m) throw invalidParameter('Key is not in valid OpenSSH public key format');
  const fingerprint = createHash('sha256').update(Buffer.from(m[2]!, 'base64')).digest('base64').replace(/=+$/, '');
  const key: Simple = { id: st.newId('key'), region: c.region, tags: tagsFromSpec(p, 'key-pair'), name: String(p.KeyName), fingerprint, publicKey: material, type: m[1] === 'ssh-rsa' ? 'rsa' : 'ed25519', createdAt: st.now() };
  st.keyPairs.set(key.id, key);
  return { keyFingerprint: fingerprint, keyName: key.name, keyPairId: key.id, tagSet: tagSet(key.tags) };
}

export function describeKeyPairs(st: Ec2State, c: Call, p: Params) {
  const names = list(p.KeyName).map(String);
  let items = inRegion(st.keyPairs, c.region);
  if (names.length) {
    const missing = names.filter((n) => !items.some((k) => k.name === n));
    if (missing.length) throw new Ec2Fault(400, 'InvalidKeyPair.NotFound', `The key pair '${missing[0]}' does not exist`);
    items = items.filter((k) => names.includes(k.name));
  }
  items = byFilters(items, p, { 'key-name': (k) => k.name, fingerprint: (k) => k.fingerprint, 'key-pair-id': (k) => k.id });
  return {
    keySet: items.map((k) => ({
      keyPairId: k.id, keyFingerprint: k.fingerprint, keyName: k.name, keyType: k.type, tagSet: tagSet(k.tags),
      ...(p.IncludePublicKey === 'true' ? { publicKey: k.publicKey } : {}), createTime: new Date(k.createdAt).toISOString(),
    })),
  };
}

export function deleteKeyPair(st: Ec2State, c: Call, p: Params) {
  for (const k of inRegion(st.keyPairs, c.region)) if (k.name === p.KeyName || k.id === p.KeyPairId) st.keyPairs.delete(k.id);
  return {};
}

// security groups

export function createSecurityGroup(st: Ec2State, c: Call, p: Params) {
  if (!p.GroupName) throw missingParameter('GroupName');
  if (!p.GroupDescription) throw missingParameter('GroupDescription');
  const vpcId = p.VpcId ? String(p.VpcId) : st.defaultVpc(c.region).id;
  const vpc = st.vpcs.get(vpcId);
  if (!vpc || vpc.region !== c.region) throw new Ec2Fault(400, 'InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  if (inRegion(st.groups, c.region).some((g) => g.vpcId === vpcId && g.name === p.GroupName)) {
    throw new Ec2Fault(400, 'InvalidGroup.Duplicate', `The security group '${p.GroupName}' already exists for VPC '${vpcId}'`);
  }
  const g: Simple = { id: st.newId('sg'), region: c.region, tags: tagsFromSpec(p, 'security-group'), name: String(p.GroupName), description: String(p.GroupDescription), vpcId, ingress: [] };
  st.groups.set(g.id, g);
  return { groupId: g.id, tagSet: tagSet(g.tags) };
}

function groupOf(st: Ec2State, c: Call, id: unknown): Simple {
  const g = st.groups.get(String(id));
  if (!g || g.region !== c.region) throw new Ec2Fault(400, 'InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  return g;
}

export function authorizeIngress(st: Ec2State, c: Call, p: Params) {
  const g = groupOf(st, c, p.GroupId);
  const rules = list(p.IpPermissions).flatMap((perm) =>
    [...list(perm.IpRanges).map((r) => ({ cidrIpv4: String(r.CidrIp) })), ...list(perm.Ipv6Ranges).map((r) => ({ cidrIpv6: String(r.CidrIpv6) }))].map((range) => ({
      securityGroupRuleId: st.newId('sgr'), groupId: g.id, groupOwnerId: ACCOUNT_ID, isEgress: false, ipProtocol: String(perm.IpProtocol),
      fromPort: Number(perm.FromPort ?? -1), toPort: Number(perm.ToPort ?? -1), ...range,
    })),
  );
  if (!rules.length) throw missingParameter('IpPermissions');
  for (const r of rules) {
    if (g.ingress.some((x: any) => x.ipProtocol === r.ipProtocol && x.fromPort === r.fromPort && x.cidrIpv4 === (r as any).cidrIpv4 && x.cidrIpv6 === (r as any).cidrIpv6)) {
      throw new Ec2Fault(400, 'InvalidPermission.Duplicate', 'the specified rule already exists');
    }
  }
  g.ingress.push(...rules);
  return { return: true, securityGroupRuleSet: rules };
}

export function describeSecurityGroups(st: Ec2State, c: Call, p: Params) {
  st.defaultVpc(c.region);
  const ids = list(p.GroupId).map(String);
  let items = inRegion(st.groups, c.region);
  if (ids.length) {
    const missing = ids.filter((id) => !items.some((g) => g.id === id));
    if (missing.length) throw new Ec2Fault(400, 'InvalidGroup.NotFound', `The security group '${missing[0]}' does not exist`);
    items = items.filter((g) => ids.includes(g.id));
  }
  items = byFilters(items, p, { 'group-name': (g) => g.name, 'group-id': (g) => g.id, 'vpc-id': (g) => g.vpcId });
  return {
    securityGroupInfo: items.map((g) => ({
      ownerId: ACCOUNT_ID, groupName: g.name, groupId: g.id, groupDescription: g.description, vpcId: g.vpcId,
      ipPermissions: g.ingress.map((r: any) => ({
        ipProtocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort,
        ipRanges: r.cidrIpv4 ? [{ cidrIp: r.cidrIpv4 }] : [], ipv6Ranges: r.cidrIpv6 ? [{ cidrIpv6: r.cidrIpv6 }] : [],
      })),
      ipPermissionsEgress: [{ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }] }],
      tagSet: tagSet(g.tags),
    })),
  };
}

export function deleteSecurityGroup(st: Ec2State, c: Call, p: Params) {
  const g = groupOf(st, c, p.GroupId);
  const user = [...st.instances.values()].find((i) => st.settle(i) && i.state !== 'terminated' && i.groups.some((x) => x.groupId === g.id));
  if (user) throw new Ec2Fault(400, 'DependencyViolation', `resource ${g.id} has a dependent object`);
  st.groups.delete(g.id);
  return {};
}

// VPCs and subnets

const vpcXml = (v: Simple) => ({ vpcId: v.id, state: 'available', cidrBlock: v.cidr, dhcpOptionsId: 'dopt-0000', instanceTenancy: 'default', isDefault: !!v.isDefault, ownerId: ACCOUNT_ID, tagSet: tagSet(v.tags) });
const subnetXml = (s: Simple) => ({
  subnetId: s.id, state: 'available', vpcId: s.vpcId, cidrBlock: s.cidr, availableIpAddressCount: 4091, availabilityZone: s.zone,
  defaultForAz: !!s.isDefault, mapPublicIpOnLaunch: true, ownerId: ACCOUNT_ID, tagSet: tagSet(s.tags),
});

export function createVpc(st: Ec2State, c: Call, p: Params) {
  if (!p.CidrBlock) throw missingParameter('CidrBlock');
  if (!/^\d+\.\d+\.\d+\.\d+\/(1[6-9]|2[0-8])$/.test(String(p.CidrBlock))) throw invalidParameter(`Value (${p.CidrBlock}) for parameter cidrBlock is invalid.`);
  const v: Simple = { id: st.newId('vpc'), region: c.region, tags: tagsFromSpec(p, 'vpc'), cidr: String(p.CidrBlock) };
  st.vpcs.set(v.id, v);
  return { vpc: vpcXml(v) };
}

export function describeVpcs(st: Ec2State, c: Call, p: Params) {
  st.defaultVpc(c.region);
  const ids = list(p.VpcId).map(String);
  let items = inRegion(st.vpcs, c.region);
  if (ids.length) {
    if (ids.some((id) => !items.some((v) => v.id === id))) throw new Ec2Fault(400, 'InvalidVpcID.NotFound', `The vpc ID '${ids[0]}' does not exist`);
    items = items.filter((v) => ids.includes(v.id));
  }
  return { vpcSet: byFilters(items, p, { 'vpc-id': (v) => v.id, 'is-default': (v) => String(!!v.isDefault), 'cidr-block': (v) => v.cidr }).map(vpcXml) };
}

export function deleteVpc(st: Ec2State, c: Call, p: Params) {
  const v = st.vpcs.get(String(p.VpcId));
  if (!v || v.region !== c.region) throw new Ec2Fault(400, 'InvalidVpcID.NotFound', `The vpc ID '${p.VpcId}' does not exist`);
  if ([...st.subnets.values()].some((s) => s.vpcId === v.id)) throw new Ec2Fault(400, 'DependencyViolation', `The vpc '${v.id}' has dependencies and cannot be deleted.`);
  for (const g of st.groups.values()) if (g.vpcId === v.id && g.name === 'default') st.groups.delete(g.id);
  if ([...st.groups.values()].some((g) => g.vpcId === v.id)) throw new Ec2Fault(400, 'DependencyViolation', `The vpc '${v.id}' has dependencies and cannot be deleted.`);
  st.vpcs.delete(v.id);
  return {};
}

export function createSubnet(st: Ec2State, c: Call, p: Params) {
  if (!p.VpcId) throw missingParameter('VpcId');
  const v = st.vpcs.get(String(p.VpcId));
  if (!v || v.region !== c.region) throw new Ec2Fault(400, 'InvalidVpcID.NotFound', `The vpc ID '${p.VpcId}' does not exist`);
  const zone = p.AvailabilityZone ? String(p.AvailabilityZone) : zonesOf(c.region)[0]!;
  if (!zonesOf(c.region).includes(zone)) throw invalidParameter(`Value (${zone}) for parameter availabilityZone is invalid.`);
  const s: Simple = { id: st.newId('subnet'), region: c.region, tags: tagsFromSpec(p, 'subnet'), vpcId: v.id, zone, cidr: String(p.CidrBlock ?? v.cidr) };
  st.subnets.set(s.id, s);
  return { subnet: subnetXml(s) };
}

export function describeSubnets(st: Ec2State, c: Call, p: Params) {
  st.defaultVpc(c.region);
  const items = byFilters(inRegion(st.subnets, c.region), p, { 'vpc-id': (s) => s.vpcId, 'subnet-id': (s) => s.id, 'availability-zone': (s) => s.zone, 'default-for-az': (s) => String(!!s.isDefault) });
  return { subnetSet: items.map(subnetXml) };
}

export function deleteSubnet(st: Ec2State, c: Call, p: Params) {
  const s = st.subnets.get(String(p.SubnetId));
  if (!s || s.region !== c.region) throw new Ec2Fault(400, 'InvalidSubnetID.NotFound', `The subnet ID '${p.SubnetId}' does not exist`);
  const user = [...st.instances.values()].find((i) => st.settle(i) && i.state !== 'terminated' && i.subnetId === s.id);
  if (user) throw new Ec2Fault(400, 'DependencyViolation', `The subnet '${s.id}' has dependencies and cannot be deleted.`);
  st.subnets.delete(s.id);
  return {};
}

// volumes: creating → available, attaching → in-use, detaching → available (actionMs each)

function volumeState(st: Ec2State, v: Simple): string {
  if (v.until && st.now() >= v.until) {
    v.state = v.nextState;
    delete v.until;
    // A finished detach takes the attachment with it.
    if (v.state === 'available') delete v.instanceId, delete v.device;
  }
  return v.state;
}

function volumeXml(st: Ec2State, v: Simple) {
  const state = volumeState(st, v);
  const attachState = v.instanceId ? (state === 'attaching' ? 'attaching' : state === 'detaching' ? 'detaching' : 'attached') : undefined;
  return {
    volumeId: v.id, size: v.size, availabilityZone: v.zone, status: state === 'attaching' || state === 'detaching' ? 'in-use' : state,
    createTime: new Date(v.createdAt).toISOString(), volumeType: 'gp3', encrypted: false, iops: 3000, throughput: 125, multiAttachEnabled: false,
    attachmentSet: v.instanceId ? [{ volumeId: v.id, instanceId: v.instanceId, device: v.device, status: attachState, attachTime: new Date(v.attachedAt).toISOString(), deleteOnTermination: false }] : [],
    tagSet: tagSet(v.tags),
  };
}

function schedule(st: Ec2State, v: Simple, now: string, next: string) {
  v.state = now;
  v.nextState = next;
  v.until = st.now() + st.ctx.config.actionMs / 4;
}

export function createVolume(st: Ec2State, c: Call, p: Params) {
  if (!p.AvailabilityZone) throw missingParameter('AvailabilityZone');
  const zone = String(p.AvailabilityZone);
  if (!zonesOf(c.region).includes(zone)) throw invalidParameter(`Value (${zone}) for parameter availabilityZone is invalid. ${zone} is not a valid availability zone.`);
  const size = Number(p.Size);
  if (!Number.isInteger(size) || size < 1 || size > 16384) throw invalidParameter(`Volume of ${p.Size}GiB is outside the range 1-16384 GiB for gp3`);
  const v: Simple = { id: st.newId('vol'), region: c.region, tags: tagsFromSpec(p, 'volume'), size, zone, createdAt: st.now() };
  schedule(st, v, 'creating', 'available');
  st.volumes.set(v.id, v);
  const { attachmentSet: _, ...out } = volumeXml(st, v);
  return out;
}

function volumeOf(st: Ec2State, c: Call, id: unknown): Simple {
  const v = st.volumes.get(String(id));
  if (!v || v.region !== c.region) throw new Ec2Fault(400, 'InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  return v;
}

export function describeVolumes(st: Ec2State, c: Call, p: Params) {
  const ids = list(p.VolumeId).map(String);
  let items = inRegion(st.volumes, c.region);
  if (ids.length) {
    for (const id of ids) volumeOf(st, c, id);
    items = items.filter((v) => ids.includes(v.id));
  }
  items = byFilters(items, p, { 'volume-id': (v) => v.id, status: (v) => volumeState(st, v), 'availability-zone': (v) => v.zone, 'attachment.instance-id': (v) => v.instanceId });
  return { volumeSet: items.map((v) => volumeXml(st, v)) };
}

export function attachVolume(st: Ec2State, c: Call, p: Params) {
  for (const name of ['VolumeId', 'InstanceId', 'Device']) if (!p[name]) throw missingParameter(name);
  const v = volumeOf(st, c, p.VolumeId);
  const inst = st.instances.get(String(p.InstanceId));
  if (!inst || inst.region !== c.region || !st.settle(inst) || inst.state === 'terminated') {
    throw new Ec2Fault(400, 'InvalidInstanceID.NotFound', `The instance ID '${p.InstanceId}' does not exist`);
  }
  if (volumeState(st, v) !== 'available') throw new Ec2Fault(400, 'VolumeInUse', `${v.id} is already attached to an instance`);
  if (inst.zone !== v.zone) throw invalidParameter(`Volume ${v.id} is in ${v.zone}, instance ${inst.id} is in ${inst.zone}`);
  Object.assign(v, { instanceId: inst.id, device: String(p.Device), attachedAt: st.now() });
  schedule(st, v, 'attaching', 'in-use');
  return { volumeId: v.id, instanceId: inst.id, device: v.device, status: 'attaching', attachTime: new Date(v.attachedAt).toISOString(), deleteOnTermination: false };
}

export function detachVolume(st: Ec2State, c: Call, p: Params) {
  const v = volumeOf(st, c, p.VolumeId);
  if (!v.instanceId || volumeState(st, v) === 'available') throw new Ec2Fault(400, 'IncorrectState', `Volume '${v.id}' is in the 'available' state.`);
  const out = { volumeId: v.id, instanceId: v.instanceId, device: v.device, status: 'detaching', attachTime: new Date(v.attachedAt).toISOString(), deleteOnTermination: false };
  schedule(st, v, 'detaching', 'available');
  return out;
}

export function deleteVolume(st: Ec2State, c: Call, p: Params) {
  const v = volumeOf(st, c, p.VolumeId);
  const state = volumeState(st, v);
  if (state !== 'available' && state !== 'creating') throw new Ec2Fault(400, 'VolumeInUse', `Volume ${v.id} is currently attached to ${v.instanceId}`);
  st.volumes.delete(v.id);
  return {};
}
