/**
 * Block storage volumes (/v2/volumes): create (formatted ext4, tagged with ferry's labels), look
 * up by id or name, attach and detach through volume actions waited on at /v2/actions/{id}, and
 * delete (detaching first: DigitalOcean refuses to delete an attached volume).
 */
import {
  byCodeUnits,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  ProviderError,
  UserError,
  type OperationOptions,
  type ProviderTimeouts,
  type Volume,
  type VolumeRequest,
  type VolumeService,
} from '../../core/index.js';
import { startWhenIdle, waitForAction } from './actions.js';
import type { DoClient } from './client.js';
import { PROVIDER, volumeFromDo } from './mapping.js';
import { checkRegion } from './preflight.js';
import type { DoVolume } from './schema.js';
import { labelsToTags, TAG_MAX_LENGTH, TAG_PATTERN } from './tags.js';

/** The spec: lowercase letters, digits and "-", starting with a letter, 64 at most. */
const NAME_RE = /^[a-z][a-z0-9-]{0,63}$/;
/** The spec's maximum (16 TiB); the API's minimum is 1 GiB. */
const MAX_SIZE_GB = 16_384;

export interface VolumeContext {
  client: DoClient;
  timeouts: ProviderTimeouts;
}

function dropletId(instanceId: string): number {
  const n = Number(instanceId);
  if (!/^\d+$/.test(instanceId) || !Number.isSafeInteger(n)) throw new UserError(`invalid DigitalOcean droplet id "${instanceId}"`, 'droplet ids are positive integers');
  return n;
}

function volumeTags(labels: Record<string, string> | undefined): string[] {
  const tags = labelsToTags({ ...labels, [MANAGED_BY_KEY]: MANAGED_BY_VALUE });
  const bad = tags.find((t) => !TAG_PATTERN.test(t) || t.length > TAG_MAX_LENGTH);
  if (bad !== undefined) throw new UserError(`invalid volume label "${bad}"`, 'labels are key=value with letters, digits, ".", "_" and "-"');
  return tags;
}

/** Everything DigitalOcean would refuse, refused before any request (the region needs one lookup). */
async function checkRequest(c: VolumeContext, req: VolumeRequest, o?: OperationOptions): Promise<string[]> {
  if (!NAME_RE.test(req.name)) {
    throw new UserError(`invalid DigitalOcean volume name "${req.name}"`, 'use up to 64 lowercase letters, digits and "-", starting with a letter');
  }
  if (!Number.isInteger(req.sizeGb) || req.sizeGb < 1 || req.sizeGb > MAX_SIZE_GB) {
    throw new UserError(`invalid volume size ${req.sizeGb} GB`, `DigitalOcean volumes are 1 to ${MAX_SIZE_GB} GB, in whole GB`);
  }
  if (req.instanceId !== undefined) dropletId(req.instanceId);
  const tags = volumeTags(req.labels);
  checkRegion({ regions: await c.client.listRegions(o) }, req.region);
  return tags;
}

export async function getVolume(c: VolumeContext, id: string, o?: OperationOptions): Promise<Volume | null> {
  const v = await c.client.getVolume(id, o);
  return v ? volumeFromDo(v) : null;
}

/**
 * Names are unique per region only, and the contract's lookup carries no region: the oldest
 * volume of that name, in any region, is the answer.
 */
export async function getVolumeByName(c: VolumeContext, name: string, o?: OperationOptions): Promise<Volume | null> {
  const found = (await c.client.listVolumes({ name }, o)).filter((v) => v.name === name).sort((a, b) => byCodeUnits(a.created_at, b.created_at));
  return found[0] ? volumeFromDo(found[0]) : null;
}

async function mustGet(c: VolumeContext, id: string, o?: OperationOptions): Promise<DoVolume> {
  const v = await c.client.getVolume(id, o);
  if (!v) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: `volume ${id}`, message: `volume ${id} not found` });
  return v;
}

/** A volume made with instanceId is attached before this returns; a failed attach leaves it created, unattached. */
export async function createVolume(c: VolumeContext, req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
  const tags = await checkRequest(c, req, o);
  const created = await c.client.createVolume({ name: req.name, size_gigabytes: req.sizeGb, region: req.region, filesystem_type: 'ext4', tags }, o);
  if (req.instanceId === undefined) return volumeFromDo(created);
  return attach(c, created, req.instanceId, o);
}

async function attach(c: VolumeContext, v: DoVolume, instanceId: string, o?: OperationOptions): Promise<Volume> {
  const droplet = dropletId(instanceId);
  if (v.droplet_ids?.includes(droplet)) return volumeFromDo(v);
  const what = `attach of volume ${v.name} to droplet ${droplet}`;
  const action = await startWhenIdle(c.timeouts, what, () => c.client.volumeAction(v.id, { type: 'attach', droplet_id: droplet, region: v.region.slug }, o), o);
  await waitForAction(c.client, c.timeouts, action, what, o);
  return volumeFromDo(await mustGet(c, v.id, o));
}

/** Already attached to that droplet: returned as it is. Attached elsewhere: DigitalOcean's refusal. */
export async function attachVolume(c: VolumeContext, volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
  dropletId(instanceId);
  return attach(c, await mustGet(c, volumeId, o), instanceId, o);
}

/** Idempotent: a volume attached nowhere is returned as it is. */
export async function detachVolume(c: VolumeContext, volumeId: string, o?: OperationOptions): Promise<Volume> {
  const v = await mustGet(c, volumeId, o);
  const droplet = v.droplet_ids?.[0];
  if (droplet === undefined) return volumeFromDo(v);
  const what = `detach of volume ${v.name} from droplet ${droplet}`;
  const action = await startWhenIdle(c.timeouts, what, () => c.client.volumeAction(v.id, { type: 'detach', droplet_id: droplet, region: v.region.slug }, o), o);
  await waitForAction(c.client, c.timeouts, action, what, o);
  return volumeFromDo(await mustGet(c, v.id, o));
}

/** Detaches first; a missing volume is success. */
export async function deleteVolume(c: VolumeContext, id: string, o?: OperationOptions): Promise<void> {
  const v = await c.client.getVolume(id, o);
  if (!v) return;
  if (v.droplet_ids?.length) await detachVolume(c, id, o);
  await c.client.deleteVolume(id, o);
}

export function volumeService(c: VolumeContext): VolumeService {
  return {
    create: (req, o) => createVolume(c, req, o),
    get: (id, o) => getVolume(c, id, o),
    getByName: (name, o) => getVolumeByName(c, name, o),
    attach: (volumeId, instanceId, o) => attachVolume(c, volumeId, instanceId, o),
    detach: (volumeId, o) => detachVolume(c, volumeId, o),
    delete: (id, o) => deleteVolume(c, id, o),
  };
}
