/**
 * ferry's labels as flat tags, for providers whose resources carry tags but not key/value labels
 * (DigitalOcean, Vultr, Linode, Scaleway…). A label k=v becomes "k:v"; "_" is escaped as "__" and "."
 * as "_d" so the tag stays within the usual [A-Za-z0-9_:-] alphabet and decodes back exactly.
 */

export interface TagCodecOptions {
  /** Also escape ":" (as "_c"), for providers whose tags are split at every colon. */
  escapeColon?: boolean;
  /** Label keys written as a short alias (an escape no key produces), for providers with short tags. */
  keyAliases?: Readonly<Record<string, string>>;
}

export interface TagCodec {
  labelToTag(key: string, value: string): string;
  labelsToTags(labels: Record<string, string>): string[];
  /**
   * Tags made by ferry decode exactly; any other tag is kept as a label named after the whole tag
   * with an empty value, so `--all` listings still show it.
   */
  tagsToLabels(tags: readonly string[] | null | undefined): Record<string, string>;
}

export function tagCodec(options: TagCodecOptions = {}): TagCodec {
  const escapes: Record<string, string> = { _: '_', d: '.', ...(options.escapeColon ? { c: ':' } : {}) };
  const aliasOf = options.keyAliases ?? {};
  const keyOfAlias = Object.fromEntries(Object.entries(aliasOf).map(([k, a]) => [a, k]));
  const escapePart = (s: string) => {
    const out = s.replace(/_/g, '__').replace(/\./g, '_d');
    return options.escapeColon ? out.replace(/:/g, '_c') : out;
  };
  /** undefined when the text holds an escape ferry never writes (a tag somebody else made). */
  const unescapePart = (s: string): string | undefined => {
    if (!s.includes('_')) return s; // most parts: a fleet's listings decode thousands of tags per round
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c !== '_') {
        out += c;
        continue;
      }
      const n = s[i + 1];
      if (n === undefined || !Object.hasOwn(escapes, n)) return undefined;
      out += escapes[n];
      i++;
    }
    return out;
  };
  const labelToTag = (key: string, value: string) => `${Object.hasOwn(aliasOf, key) ? aliasOf[key] : escapePart(key)}:${escapePart(value)}`;
  return {
    labelToTag,
    labelsToTags: (labels) => Object.entries(labels).map(([k, v]) => labelToTag(k, v)),
    tagsToLabels(tags) {
      const labels: Record<string, string> = {};
      for (const tag of tags ?? []) {
        if (typeof tag !== 'string') continue;
        const at = tag.indexOf(':');
        const rawKey = at < 0 ? undefined : tag.slice(0, at);
        const key = rawKey === undefined ? undefined : Object.hasOwn(keyOfAlias, rawKey) ? keyOfAlias[rawKey] : unescapePart(rawKey);
        const value = at < 0 ? undefined : unescapePart(tag.slice(at + 1));
        if (key && value !== undefined) labels[key] = value;
        else labels[tag] = '';
      }
      return labels;
    },
  };
}

const plain = tagCodec();
export const { labelToTag, labelsToTags, tagsToLabels } = plain;
