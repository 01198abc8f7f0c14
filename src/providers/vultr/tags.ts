/**
 * ferry labels ↔ Vultr tags. Vultr tags are free strings, so a label k=v is the tag "k=v": label
 * keys and values never hold "=" (core checks them), which makes the codec exactly reversible.
 * A tag without "=" (somebody else's) is kept as a label named after it with an empty value.
 */
import { CREATE_ID_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/index.js';

export const labelToTag = (key: string, value: string) => `${key}=${value}`;

export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => labelToTag(k, v));
}

export function tagsToLabels(tags: readonly string[] | null | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (typeof tag !== 'string') continue;
    const at = tag.indexOf('=');
    if (at > 0) labels[tag.slice(0, at)] = tag.slice(at + 1);
    else labels[tag] = '';
  }
  return labels;
}

/** GET /instances?tag= filters on one tag server-side: ferry's own, or the create id's. */
export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
export const createIdTag = (createId: string) => labelToTag(CREATE_ID_KEY, createId);

/** Snapshots carry only a description: ferry marks its own with this suffix. */
export const SNAPSHOT_MARK = ` [${MANAGED_TAG}]`;
export const markSnapshot = (name: string) => `${name}${SNAPSHOT_MARK}`;
/** The name of one of ferry's snapshots, or undefined for any other. */
export const ferrySnapshotName = (description: string | null | undefined) =>
  description?.endsWith(SNAPSHOT_MARK) ? description.slice(0, -SNAPSHOT_MARK.length) : undefined;
