/**
 * ferry labels ↔ DigitalOcean tags. DO tags are flat strings of letters, digits, ":", "-" and "_"
 * (the spec's pattern ^[a-zA-Z0-9_\-\:]+$, 255 at most), so a label k=v becomes the tag "k:v".
 * Labels may also hold ".", which tags cannot: "_" is escaped as "__" and "." as "_d", which keeps
 * the common tags (managed-by:ferry, ferry-create-id:<uuid>) readable and the mapping reversible.
 */
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/index.js';

export const TAG_PATTERN = /^[a-zA-Z0-9_\-:]+$/;
export const TAG_MAX_LENGTH = 255;

function escapePart(s: string): string {
  return s.replace(/_/g, '__').replace(/\./g, '_d');
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
    else return undefined;
    i++;
  }
  return out;
}

export function labelToTag(key: string, value: string): string {
  return `${escapePart(key)}:${escapePart(value)}`;
}

export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => labelToTag(k, v));
}

/**
 * Tags made by ferry decode exactly; any other tag is kept as a label named after the whole tag
 * with an empty value, so `--all` listings still show it.
 */
export function tagsToLabels(tags: readonly string[] | null | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of tags ?? []) {
    const at = tag.indexOf(':');
    const key = at < 0 ? undefined : unescapePart(tag.slice(0, at));
    const value = at < 0 ? undefined : unescapePart(tag.slice(at + 1));
    if (key && value !== undefined) labels[key] = value;
    else labels[tag] = '';
  }
  return labels;
}

/** The tag every ferry droplet carries; GET /v2/droplets?tag_name= filters on it server-side. */
export const MANAGED_TAG = labelToTag(MANAGED_BY_KEY, MANAGED_BY_VALUE);
