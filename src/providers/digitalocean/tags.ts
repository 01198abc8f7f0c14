/**
 * ferry labels ↔ DigitalOcean tags, through core's tag codec: DO tags are flat strings of letters,
 * digits, ":", "-" and "_" (the spec's pattern ^[a-zA-Z0-9_\-\:]+$, 255 at most).
 */
import { labelToTag, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/index.js';

export { labelToTag, labelsToTags, tagsToLabels } from '../../core/index.js';

export const TAG_PATTERN = /^[a-zA-Z0-9_\-:]+$/;
export const TAG_MAX_LENGTH = 255;

/** Tag carrying the multi-create batch a droplet was made in (see batch.ts). */
export const BATCH_KEY = 'ferry-batch';

/**
 * The create id of a droplet made by a multi-create, whose tags are shared by the whole batch:
 * its batch and its name, which a batch never repeats.
 */
export function batchCreateId(batchId: string, name: string): string {
  return `batch-${batchId}.${name}`;
}

export function parseBatchCreateId(createId: string): { batchId: string; name: string } | undefined {
  const m = /^batch-([0-9a-f]{16})\.(.+)$/.exec(createId);
  return m ? { batchId: m[1]!, name: m[2]! } : undefined;
}

/** The tag of the batch a batch member's create id names; undefined for any other create id. */
export function batchTagOf(createId: string): string | undefined {
  const member = parseBatchCreateId(createId);
  return member ? labelToTag(BATCH_KEY, member.batchId) : undefined;
}

/** The tag every ferry droplet carries; GET /v2/droplets?tag_name= filters on it server-side. */
export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
