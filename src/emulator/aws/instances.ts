/** RunInstances (ClientToken, MinCount/MaxCount, capacity per zone), DescribeInstances, power and tags. */
import { offeredIn, typeByName, zonesOf } from './catalog.js';
import { findImage } from './images.js';
import { Ec2Fault, filters, invalidParameter, list, matches, missingParameter, page, tagSet, tagsFromSpec, type Params } from './query.js';
import { ACCOUNT_ID, Ec2State, launchFingerprint, STATE_CODES, type InstanceRec } from './state.js';

export interface Call {
  region: string;
  accessKeyId: string;
}

const ID_RE = /^i-[0-9a-f]{8,17}$/;

function instanceXml(i: InstanceRec) {
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[i.state] ?? 0, name: i.state },
    privateDnsName: `ip-${i.privateIp.replace(/\./g, '-')}.ec2.internal`,
    dnsName: i.publicIp ? `ec2-${i.publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com` : '',
    keyName: i.keyName,
    amiLaunchIndex: i.launchIndex,
    instanceType: i.type,
    launchTime: new Date(i.launchedAt).toISOString(),
    placement: { availabilityZone: i.zone, tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: i.state === 'terminated' ? undefined : i.subnetId,
    vpcId: i.state === 'terminated' ? undefined : i.vpcId,
    privateIpAddress: i.state === 'terminated' ? undefined : i.privateIp,
    ipAddress: i.publicIp,
    groupSet: i.groups,
    architecture: i.arch,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/sda1',
    virtualizationType: 'hvm',
    clientToken: i.clientToken ?? '',
    tagSet: tagSet(i.tags),
    hypervisor: 'xen',
    enaSupport: true,
    ...(i.state === 'terminated' || i.state === 'shutting-down'
      ? { stateReason: { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' } }
      : {}),
  };
}

function reservations(items: InstanceRec[]) {
  const byRes = new Map<string, InstanceRec[]>();
  for (const i of items) byRes.set(i.reservationId, [...(byRes.get(i.reservationId) ?? []), i]);
  return [...byRes].map(([reservationId, insts]) => ({
    reservationId,
    ownerId: ACCOUNT_ID,
    groupSet: [],
    instancesSet: insts.map(instanceXml),
  }));
}

const FILTERS: Record<string, (i: InstanceRec) => string | undefined> = {
  'instance-state-name': (i) => i.state,
  'instance-id': (i) => i.id,
  'instance-type': (i) => i.type,
  'image-id': (i) => i.imageId,
  'availability-zone': (i) => i.zone,
  'client-token': (i) => i.clientToken,
  'reservation-id': (i) => i.reservationId,
  'key-name': (i) => i.keyName,
  'subnet-id': (i) => i.subnetId,
  'vpc-id': (i) => i.vpcId,
};

function filterInstance(i: InstanceRec, f: Map<string, string[]>): boolean {
  for (const [name, values] of f) {
    if (name.startsWith('tag:')) {
      if (!matches(i.tags.get(name.slice(4)), values)) return false;
    } else if (name === 'tag-key') {
      if (![...i.tags.keys()].some((k) => matches(k, values))) return false;
    } else {
      const get = FILTERS[name];
      if (!get) throw invalidParameter(`The filter '${name}' is invalid`);
      if (!matches(get(i), values)) return false;
    }
  }
  return true;
}

/** The instances named by InstanceId.N, or InvalidInstanceID.NotFound naming the missing ones. */
export function namedInstances(st: Ec2State, c: Call, p: Params, required = true): InstanceRec[] | undefined {
  const ids = list(p.InstanceId).map(String);
  if (ids.length === 0) {
    if (required) throw missingParameter('InstanceId');
    return undefined;
  }
  const bad = ids.filter((id) => !ID_RE.test(id));
  if (bad.length) throw new Ec2Fault(400, 'InvalidInstanceID.Malformed', `Invalid id: "${bad[0]}"`);
  const found = ids.map((id) => {
    const i = st.instances.get(id);
    return i && i.region === c.region ? st.settle(i) : undefined;
  });
  const missing = ids.filter((_, n) => !found[n]);
  if (missing.length) throw new Ec2Fault(400, 'InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  return found as InstanceRec[];
}

export function describeInstances(st: Ec2State, c: Call, p: Params) {
  if (p.MaxResults !== undefined) {
    const n = Number(p.MaxResults);
    if (list(p.InstanceId).length) throw invalidParameter('The parameter instancesSet cannot be used with the parameter maxResults');
    if (!Number.isInteger(n) || n < 5 || n > 1000) throw invalidParameter(`Value ( ${p.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  const named = namedInstances(st, c, p, false);
  const f = filters(p);
  const all = (named ?? st.instancesIn(c.region)).filter((i) => filterInstance(i, f)).sort((a, b) => a.launchedAt - b.launchedAt || a.id.localeCompare(b.id));
  const pg = p.MaxResults !== undefined ? page(all, p) : { items: all };
  return { reservationSet: reservations(pg.items), ...(pg.nextToken ? { nextToken: pg.nextToken } : {}) };
}

function resolveZones(st: Ec2State, c: Call, p: Params): { subnet: any; zones: string[] } {
  if (p.SubnetId) {
    const s = st.subnets.get(String(p.SubnetId));
    if (!s || s.region !== c.region) throw new Ec2Fault(400, 'InvalidSubnetID.NotFound', `The subnet ID '${p.SubnetId}' does not exist`);
    return { subnet: s, zones: [s.zone] };
  }
  const vpc = st.defaultVpc(c.region);
  const wanted = p.Placement?.AvailabilityZone ? [String(p.Placement.AvailabilityZone)] : zonesOf(c.region);
  if (!wanted.every((z) => zonesOf(c.region).includes(z))) throw invalidParameter(`Invalid availability zone: [${wanted.join(', ')}]`);
  const subnet = [...st.subnets.values()].find((s) => s.vpcId === vpc.id && s.zone === wanted[0]);
  return { subnet, zones: wanted };
}

export function runInstances(st: Ec2State, c: Call, p: Params) {
  for (const name of ['MinCount', 'MaxCount', 'ImageId']) if (p[name] === undefined) throw missingParameter(name);
  const min = Number(p.MinCount);
  const max = Number(p.MaxCount);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    throw invalidParameter(`Invalid value for MinCount/MaxCount: ${p.MinCount}/${p.MaxCount}`);
  }
  const token = p.ClientToken ? String(p.ClientToken) : undefined;
  const tokenKey = token && `${c.accessKeyId}|${c.region}|${token}`;
  if (tokenKey) {
    const seen = st.tokens.get(tokenKey);
    if (seen) {
      if (seen.fingerprint !== launchFingerprint(p)) {
        throw new Ec2Fault(400, 'IdempotentParameterMismatch', 'The client token you have provided is associated with a resource with different parameters');
      }
      const insts = [...st.instances.values()].filter((i) => i.reservationId === seen.reservationId).map((i) => st.settle(i) ?? i);
      return reservations(insts)[0] ?? { reservationId: seen.reservationId, ownerId: ACCOUNT_ID, groupSet: [], instancesSet: [] };
    }
  }
  const typeName = String(p.InstanceType ?? 'm1.small');
  const type = typeByName(typeName);
  if (!type) throw invalidParameter(`Invalid value '${typeName}' for InstanceType.`);
  if (!offeredIn(type, c.region)) throw new Ec2Fault(400, 'Unsupported', `Your requested instance type (${typeName}) is not supported in your requested region.`);
  const image = findImage(st, c.region, String(p.ImageId));
  if (!image) throw new Ec2Fault(400, 'InvalidAMIID.NotFound', `The image id '[${p.ImageId}]' does not exist`);
  if (image.arch !== type.arch) {
    throw invalidParameter(`The architecture '${type.arch}' of the specified instance type does not match the architecture '${image.arch}' of the specified AMI.`);
  }
  if (p.KeyName !== undefined && ![...st.keyPairs.values()].some((k) => k.region === c.region && k.name === p.KeyName)) {
    throw new Ec2Fault(400, 'InvalidKeyPair.NotFound', `The key pair '${p.KeyName}' does not exist`);
  }
  const groups = list(p.SecurityGroupId).map((id) => {
    const g = st.groups.get(String(id));
    if (!g || g.region !== c.region) throw new Ec2Fault(400, 'InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    return { groupId: g.id, groupName: g.name as string };
  });
  if (p.UserData !== undefined && String(p.UserData).length > 21848) throw invalidParameter('User data is limited to 16384 bytes');
  const { subnet, zones } = resolveZones(st, c, p);
  if (st.ctx.faults.quota(c.region, typeName)) {
    throw new Ec2Fault(400, 'VcpuLimitExceeded', 'You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to.');
  }
  // The first zone with room for all of them (MaxCount), the zone's or the region's.
  const zone = zones.find((z) => !st.ctx.faults.capacity(c.region, typeName, max) && !st.ctx.faults.capacity(z, typeName, max));
  if (!zone) {
    throw new Ec2Fault(500, 'InsufficientInstanceCapacity', `We currently do not have sufficient ${typeName} capacity in the Availability Zone you requested (${zones[0]}).`);
  }
  st.throttleInstances(c.accessKeyId, max);
  const zoneSubnet = subnet.zone === zone ? subnet : [...st.subnets.values()].find((s) => s.vpcId === subnet.vpcId && s.zone === zone) ?? subnet;
  const tags = tagsFromSpec(p, 'instance');
  const reservationId = st.newId('r');
  const defaultGroup = [...st.groups.values()].find((g) => g.vpcId === zoneSubnet.vpcId && g.name === 'default');
  const created: InstanceRec[] = [];
  for (let n = 0; n < max; n++) {
    const inst: InstanceRec = {
      id: st.newId('i'),
      region: c.region,
      zone,
      type: typeName,
      imageId: image.id,
      reservationId,
      launchIndex: n,
      ...(token ? { clientToken: token } : {}),
      ...(p.KeyName ? { keyName: String(p.KeyName) } : {}),
      groups: groups.length ? groups : defaultGroup ? [{ groupId: defaultGroup.id, groupName: 'default' }] : [],
      subnetId: zoneSubnet.id,
      vpcId: zoneSubnet.vpcId,
      privateIp: st.privateIp(),
      ...(p.UserData ? { userData: String(p.UserData) } : {}),
      tags: new Map(tags),
      launchedAt: st.now(),
      state: 'pending',
      stateAt: st.now(),
      arch: type.arch,
    };
    st.transition(inst, 'pending', [{ to: 'running', afterMs: st.ctx.config.bootMs }]);
    st.instances.set(inst.id, inst);
    created.push(inst);
  }
  if (tokenKey) st.tokens.set(tokenKey, { reservationId, fingerprint: launchFingerprint(p) });
  return reservations(created)[0]!;
}

type Change = { instanceId: string; currentState: { code: number; name: string }; previousState: { code: number; name: string } };

function change(i: InstanceRec, previous: string): Change {
  return { instanceId: i.id, currentState: { code: STATE_CODES[i.state]!, name: i.state }, previousState: { code: STATE_CODES[previous]!, name: previous } };
}

export function stateChange(st: Ec2State, c: Call, p: Params, action: 'start' | 'stop' | 'terminate') {
  const out: Change[] = [];
  const { actionMs, bootMs } = st.ctx.config;
  for (const i of namedInstances(st, c, p)!) {
    const prev = i.state;
    if (action === 'terminate') {
      if (prev !== 'terminated' && prev !== 'shutting-down') {
        st.transition(i, 'shutting-down', [{ to: 'terminated', afterMs: actionMs }]);
        for (const v of st.volumes.values()) if (v.instanceId === i.id) Object.assign(v, { state: 'available', until: undefined, instanceId: undefined, device: undefined });
      }
    } else if (action === 'stop') {
      if (prev === 'terminated' || prev === 'shutting-down') throw new Ec2Fault(400, 'IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be stopped.`);
      if (prev === 'pending') throw new Ec2Fault(400, 'IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be stopped.`);
      if (prev === 'running') st.transition(i, 'stopping', [{ to: 'stopped', afterMs: actionMs }]);
    } else {
      if (prev === 'stopping' || prev === 'terminated' || prev === 'shutting-down') {
        throw new Ec2Fault(400, 'IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be started.`);
      }
      if (prev === 'stopped') st.transition(i, 'pending', [{ to: 'running', afterMs: Math.min(bootMs, actionMs) }]);
    }
    out.push(change(i, prev));
  }
  return { instancesSet: out };
}

export function rebootInstances(st: Ec2State, c: Call, p: Params) {
  for (const i of namedInstances(st, c, p)!) {
    if (i.state !== 'running') throw new Ec2Fault(400, 'IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be rebooted.`);
  }
  return {};
}

/** CreateTags / DeleteTags on any resource of the region. */
export function tagResources(st: Ec2State, c: Call, p: Params, remove: boolean) {
  const ids = list(p.ResourceId).map(String);
  if (!ids.length) throw missingParameter('ResourceId');
  const tags = list(p.Tag);
  if (!remove && !tags.length) throw missingParameter('Tag');
  for (const id of ids) {
    const r =
      st.instances.get(id) ?? st.images.get(id) ?? st.snapshots.get(id) ?? st.groups.get(id) ?? st.vpcs.get(id) ?? st.subnets.get(id) ?? st.volumes.get(id) ??
      [...st.keyPairs.values()].find((k) => k.id === id);
    if (!r || r.region !== c.region) throw new Ec2Fault(400, 'InvalidID', `The ID '${id}' is not valid`);
    for (const t of tags) {
      if (!t?.Key) continue;
      if (remove) r.tags.delete(String(t.Key));
      else r.tags.set(String(t.Key), String(t.Value ?? ''));
    }
  }
  return {};
}
