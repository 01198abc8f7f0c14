/**
 * ferry labels ↔ Scaleway tags. Scaleway tags are free strings, so a label k=v is the tag "k=v"
 * (label keys never hold "="); list endpoints filter on exact tags server-side (?tags=a,b).
 * Any other tag reads back as a label named after the whole tag with an empty value.
 */
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/index.js';

export const labelToTag = (key: string, value: string) => `${key}=${value}`;

export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => labelToTag(k, v));
}

export function tagsToLabels(tags: readonly string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) {
    const at = tag.indexOf('=');
    if (at > 0) out[tag.slice(0, at)] = tag.slice(at + 1);
    else out[tag] = '';
  }
  return out;
}

export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
