/**
 * ferry labels ↔ Linode tags. Linode tags are free strings of 3 to 50 characters, so a label k=v
 * becomes "k:v" through core's tag codec with ":" escaped too ("_" → "__", "." → "_d", ":" → "_c") so
 * the mapping reverses exactly. The create id's key is written "_cid" (an escape no key can
 * produce) so that "…:<uuid>" stays within 50 characters.
 */
import { CREATE_ID_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE, tagCodec } from '../../core/index.js';

export const TAG_MIN = 3;
export const TAG_MAX = 50;
const CREATE_ID_ALIAS = '_cid';

export const { labelToTag, labelsToTags, tagsToLabels } = tagCodec({ escapeColon: true, keyAliases: { [CREATE_ID_KEY]: CREATE_ID_ALIAS } });

/** A tag Linode would refuse, or undefined. */
export function invalidTag(tag: string): string | undefined {
  if (tag.length < TAG_MIN || tag.length > TAG_MAX) return `tag "${tag}" must be ${TAG_MIN} to ${TAG_MAX} characters`;
  return undefined;
}

/** Every ferry Linode carries it; `X-Filter: {"tags": MANAGED_TAG}` lists them server-side. */
export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
