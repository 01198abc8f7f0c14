/**
 * ferry labels ↔ Linode tags. Linode tags are free strings of 3 to 50 characters, so a label k=v
 * becomes "k:v", escaped as the DigitalOcean codec does ("_" → "__", "." → "_d", ":" → "_c") so
 * the mapping reverses exactly. The create id's key is written "_cid" (an escape no key can
 * produce) so that "…:<uuid>" stays within 50 characters.
 */
import { CREATE_ID_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/index.js';

export const TAG_MIN = 3;
export const TAG_MAX = 50;
const CREATE_ID_ALIAS = '_cid';

function escapePart(s: string): string {
  return s.replace(/_/g, '__').replace(/\./g, '_d').replace(/:/g, '_c');
}

/** undefined when the text holds an escape ferry never writes (a tag somebody else made). */
function unescapePart(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '_') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === '_') out += '_';
    else if (n === 'd') out += '.';
    else if (n === 'c') out += ':';
    else return undefined;
    i++;
  }
  return out;
}

export function labelToTag(key: string, value: string): string {
  const k = key === CREATE_ID_KEY ? CREATE_ID_ALIAS : escapePart(key);
  return `${k}:${escapePart(value)}`;
}

export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => labelToTag(k, v));
}

/** Tags ferry made decode exactly; any other tag is kept as a label named after it, with an empty value. */
export function tagsToLabels(tags: readonly string[] | null | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of tags ?? []) {
    const at = tag.indexOf(':');
    const rawKey = at < 0 ? undefined : tag.slice(0, at);
    const key = rawKey === CREATE_ID_ALIAS ? CREATE_ID_KEY : rawKey === undefined ? undefined : unescapePart(rawKey);
    const value = at < 0 ? undefined : unescapePart(tag.slice(at + 1));
    if (key && value !== undefined) labels[key] = value;
    else labels[tag] = '';
  }
  return labels;
}

/** A tag Linode would refuse, or undefined. */
export function invalidTag(tag: string): string | undefined {
  if (tag.length < TAG_MIN || tag.length > TAG_MAX) return `tag "${tag}" must be ${TAG_MIN} to ${TAG_MAX} characters`;
  return undefined;
}

/** Every ferry Linode carries it; `X-Filter: {"tags": MANAGED_TAG}` lists them server-side. */
export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
