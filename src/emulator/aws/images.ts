/** Public AMIs (Canonical, Debian), the account's own AMIs made by CreateImage, and their snapshots. */
import { publicAmis } from './catalog.js';
import { Ec2Fault, filters, list, matches, missingParameter, page, tagSet, tagsFromSpec, type Params } from './query.js';
import { ACCOUNT_ID, type Ec2State, type Simple } from './state.js';
import type { Call } from './instances.js';

interface ImageView {
  id: string;
  name: string;
  owner: string;
  arch: string;
  created: string;
  description: string;
  state: string;
  isPublic: boolean;
  snapshotId: string;
  tags: Map<string, string>;
  sourceInstanceId?: string;
}

const publicCache = new Map<string, ImageView[]>();

function publicImages(region: string): ImageView[] {
  let found = publicCache.get(region);
  if (!found) {
    found = publicAmis(region).map((a) => ({ ...a, state: 'available', isPublic: true, snapshotId: `snap-${a.id.slice(4)}`, tags: new Map() }));
    publicCache.set(region, found);
  }
  return found;
}

function ownImage(st: Ec2State, img: Simple): ImageView {
  const state = img.state === 'pending' && st.now() - img.createdAt >= st.ctx.config.actionMs ? 'available' : img.state;
  img.state = state;
  const snap = st.snapshots.get(img.snapshotId);
  if (snap && state === 'available') snap.state = 'completed';
  return { id: img.id, name: img.name, owner: ACCOUNT_ID, arch: img.arch, created: new Date(img.createdAt).toISOString(), description: img.description, state, isPublic: false, snapshotId: img.snapshotId, tags: img.tags, sourceInstanceId: img.sourceInstanceId };
}

function imagesIn(st: Ec2State, region: string): ImageView[] {
  return [...publicImages(region), ...[...st.images.values()].filter((i) => i.region === region).map((i) => ownImage(st, i))];
}

export function findImage(st: Ec2State, region: string, id: string): ImageView | undefined {
  return imagesIn(st, region).find((i) => i.id === id && i.state === 'available');
}

function imageXml(i: ImageView) {
  return {
    imageId: i.id,
    imageLocation: `${i.owner}/${i.name}`,
    imageState: i.state,
    imageOwnerId: i.owner,
    creationDate: i.created,
    isPublic: i.isPublic,
    architecture: i.arch,
    imageType: 'machine',
    name: i.name,
    description: i.description,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/sda1',
    blockDeviceMapping: [{ deviceName: '/dev/sda1', ebs: { snapshotId: i.snapshotId, volumeSize: 8, deleteOnTermination: true, volumeType: 'gp3', encrypted: false } }],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    tagSet: tagSet(i.tags),
    ...(i.sourceInstanceId ? { sourceInstanceId: i.sourceInstanceId } : {}),
  };
}

const IMAGE_FILTERS: Record<string, (i: ImageView) => string | undefined> = {
  name: (i) => i.name,
  architecture: (i) => i.arch,
  state: (i) => i.state,
  'owner-id': (i) => i.owner,
  'image-id': (i) => i.id,
  'is-public': (i) => String(i.isPublic),
  'image-type': () => 'machine',
  'root-device-type': () => 'ebs',
  'virtualization-type': () => 'hvm',
};

function filtered<T extends { tags: Map<string, string> }>(items: T[], f: Map<string, string[]>, table: Record<string, (x: T) => string | undefined>): T[] {
  return items.filter((x) =>
    [...f].every(([name, values]) => {
      if (name.startsWith('tag:')) return matches(x.tags.get(name.slice(4)), values);
      if (name === 'tag-key') return [...x.tags.keys()].some((k) => matches(k, values));
      const get = table[name];
      if (!get) throw new Ec2Fault(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
      return matches(get(x), values);
    }),
  );
}

export function describeImages(st: Ec2State, c: Call, p: Params) {
  const owners = list(p.Owner).map((o) => (o === 'self' ? ACCOUNT_ID : String(o)));
  const ids = list(p.ImageId).map(String);
  let items = imagesIn(st, c.region);
  if (owners.length) items = items.filter((i) => owners.includes(i.owner));
  if (ids.length) {
    const bad = ids.find((id) => !/^ami-[0-9a-f]{8,17}$/.test(id));
    if (bad) throw new Ec2Fault(400, 'InvalidAMIID.Malformed', `Invalid id: "${bad}"`);
    const missing = ids.filter((id) => !items.some((i) => i.id === id));
    if (missing.length) throw new Ec2Fault(400, 'InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
    items = items.filter((i) => ids.includes(i.id));
  }
  items = filtered(items, filters(p), IMAGE_FILTERS).sort((a, b) => a.id.localeCompare(b.id));
  const pg = page(items, p);
  return { imagesSet: pg.items.map(imageXml), ...(pg.nextToken ? { nextToken: pg.nextToken } : {}) };
}

export function createImage(st: Ec2State, c: Call, p: Params) {
  if (!p.InstanceId) throw missingParameter('InstanceId');
  if (!p.Name) throw missingParameter('Name');
  const inst = st.instances.get(String(p.InstanceId));
  if (!inst || inst.region !== c.region || !st.settle(inst) || inst.state === 'terminated') {
    throw new Ec2Fault(400, 'InvalidInstanceID.NotFound', `The instance ID '${p.InstanceId}' does not exist`);
  }
  if ([...st.images.values()].some((i) => i.region === c.region && i.name === p.Name)) {
    throw new Ec2Fault(400, 'InvalidAMIName.Duplicate', `AMI name ${p.Name} is already in use by AMI`);
  }
  const id = st.newId('ami');
  const snapshotId = st.newId('snap');
  st.snapshots.set(snapshotId, {
    id: snapshotId, region: c.region, tags: tagsFromSpec(p, 'snapshot'), state: 'pending', volumeSize: 8, startTime: st.now(),
    description: `Created by CreateImage(${inst.id}) for ${id}`,
  });
  st.images.set(id, {
    id, region: c.region, tags: tagsFromSpec(p, 'image'), name: String(p.Name), description: String(p.Description ?? ''), arch: inst.arch,
    state: 'pending', createdAt: st.now(), snapshotId, sourceInstanceId: inst.id,
  });
  return { imageId: id };
}

export function deregisterImage(st: Ec2State, c: Call, p: Params) {
  if (!p.ImageId) throw missingParameter('ImageId');
  const img = st.images.get(String(p.ImageId));
  if (!img || img.region !== c.region) throw new Ec2Fault(400, 'InvalidAMIID.NotFound', `The image id '[${p.ImageId}]' does not exist`);
  st.images.delete(img.id);
  return {};
}

export function describeSnapshots(st: Ec2State, c: Call, p: Params) {
  const owners = list(p.Owner).map((o) => (o === 'self' ? ACCOUNT_ID : String(o)));
  const ids = list(p.SnapshotId).map(String);
  if (owners.some((o) => o !== ACCOUNT_ID)) return { snapshotSet: [] };
  let items = [...st.snapshots.values()].filter((s) => s.region === c.region);
  for (const img of st.images.values()) if (img.region === c.region) ownImage(st, img);
  if (ids.length) {
    const missing = ids.filter((id) => !items.some((s) => s.id === id));
    if (missing.length) throw new Ec2Fault(400, 'InvalidSnapshot.NotFound', `The snapshot '${missing[0]}' does not exist.`);
    items = items.filter((s) => ids.includes(s.id));
  }
  items = filtered(items, filters(p), { 'snapshot-id': (s) => s.id, status: (s) => s.state, description: (s) => s.description });
  const pg = page(items, p);
  return {
    snapshotSet: pg.items.map((s) => ({
      snapshotId: s.id, volumeId: 'vol-ffffffff', status: s.state, startTime: new Date(s.startTime).toISOString(), progress: s.state === 'completed' ? '100%' : '0%',
      ownerId: ACCOUNT_ID, volumeSize: s.volumeSize, description: s.description, encrypted: false, storageTier: 'standard', tagSet: tagSet(s.tags),
    })),
    ...(pg.nextToken ? { nextToken: pg.nextToken } : {}),
  };
}

export function deleteSnapshot(st: Ec2State, c: Call, p: Params) {
  if (!p.SnapshotId) throw missingParameter('SnapshotId');
  const snap = st.snapshots.get(String(p.SnapshotId));
  if (!snap || snap.region !== c.region) throw new Ec2Fault(400, 'InvalidSnapshot.NotFound', `The snapshot '${p.SnapshotId}' does not exist.`);
  const user = [...st.images.values()].find((i) => i.snapshotId === snap.id);
  if (user) throw new Ec2Fault(400, 'InvalidSnapshot.InUse', `The snapshot ${snap.id} is currently in use by ${user.id}`);
  st.snapshots.delete(snap.id);
  return {};
}
