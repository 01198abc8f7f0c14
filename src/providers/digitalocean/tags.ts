/**
 * ferry labels ↔ DigitalOcean tags, through core's tag codec: DO tags are flat strings of letters,
 * digits, ":", "-" and "_" (the spec's pattern ^[a-zA-Z0-9_\-\:]+$, 255 at most).
 */
import { labelToTag, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/index.js';

export { labelToTag, labelsToTags, tagsToLabels } from '../../core/index.js';

export const TAG_PATTERN = /^[a-zA-Z0-9_\-:]+$/;
export const TAG_MAX_LENGTH = 255;

/** The tag every ferry droplet carries; GET /v2/droplets?tag_name= filters on it server-side. */
export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
