/**
 * ferry's labels as flat tags, for providers whose resources carry tags but not key/value labels
 * (DigitalOcean, Vultr, Linode, Scaleway…). A label k=v becomes "k:v"; "_" is escaped as "__" and "."
 * as "_d" so the tag stays within the usual [A-Za-z0-9_:-] alphabet and decodes back exactly.
 */

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
    if (typeof tag !== 'string') continue;
    const at = tag.indexOf(':');
    const key = at < 0 ? undefined : unescapePart(tag.slice(0, at));
    const value = at < 0 ? undefined : unescapePart(tag.slice(at + 1));
    if (key && value !== undefined) labels[key] = value;
    else labels[tag] = '';
  }
  return labels;
}
